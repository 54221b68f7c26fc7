// A small internal-portal backend: POST an evidence bundle, get the hullcheck report as JSON.
//
//   node examples/node/portal.mjs            # listens on 127.0.0.1:8787 (PORT to change)
//   curl -s localhost:8787/evaluate -d '{"documents":[{"name":"pod.yaml","content":"..."}]}'
//
// Evaluation runs off the event loop (evaluateAsync), so the portal keeps serving meanwhile.
import { createServer } from 'node:http'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { Engine } = require('../../bindings/node/index.js')

const engine = new Engine()
const MAX_BODY = 64 * 1024 * 1024

function send(res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

async function readJson(req) {
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY) throw Object.assign(new Error('request body too large'), { code: 'portal.too_large' })
    chunks.push(chunk)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

export function createPortal() {
  return createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/healthz') return send(res, 200, { ok: true })
      if (req.method === 'GET' && req.url === '/catalog/controls') return send(res, 200, engine.catalog.controls())
      if (req.method === 'POST' && req.url === '/evaluate') {
        const body = await readJson(req)
        if (!Array.isArray(body.documents)) return send(res, 400, { error: { code: 'portal.bad_request', message: '`documents` must be a list of {name, content}' } })
        const report = await engine.evaluateAsync(body.documents, body.options ?? {})
        return send(res, 200, report.toJSON())
      }
      send(res, 404, { error: { code: 'portal.not_found', message: `no route ${req.method} ${req.url}` } })
    } catch (err) {
      const status = typeof err.code === 'string' && err.code.startsWith('options.') ? 400 : 500
      send(res, err instanceof SyntaxError ? 400 : status, { error: { code: err.code ?? 'portal.error', message: err.message } })
    }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8787)
  createPortal().listen(port, '127.0.0.1', () => console.log(`hullcheck portal on http://127.0.0.1:${port}`))
}
