// A small internal-portal backend: POST an evidence bundle, get the hullcheck report as JSON; POST
// each cluster's bundle under its name, and browse the fleet.
//
//   node examples/node/portal.mjs            # listens on 127.0.0.1:8787 (PORT to change)
//   curl -s localhost:8787/evaluate -d '{"documents":[{"name":"pod.yaml","content":"..."}]}'
//   curl -s localhost:8787/clusters/prod/evaluate -d '{"documents":[...]}'   # one cluster
//   open http://127.0.0.1:8787/fleet/view?reference=prod                    # the fleet view
//
// Routes: GET /fleet (the fleet report's JSON, `?reference=NAME`), GET /fleet/view (the control x
// cluster matrix; a cell drills down to that control's findings on that cluster, from
// GET /clusters/NAME/controls/ID). Evaluation runs off the event loop (evaluateAsync), so the
// portal keeps serving meanwhile.
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import fs from 'node:fs'

const require = createRequire(import.meta.url)
const { Engine, Report } = require('../../bindings/node/index.js')

const engine = new Engine()
const VIEW = fs.readFileSync(new URL('./fleet-view.html', import.meta.url), 'utf8')
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

const NAME = /^[A-Za-z0-9._:@-]{1,253}$/

export function createPortal() {
  // The latest report of each cluster, by name.
  const clusters = new Map()
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://portal')
      const parts = url.pathname.split('/').map(decodeURIComponent)
      if (req.method === 'GET' && req.url === '/healthz') return send(res, 200, { ok: true })
      if (req.method === 'POST' && parts.length === 4 && parts[1] === 'clusters' && parts[3] === 'evaluate') {
        const name = parts[2]
        if (!NAME.test(name)) return send(res, 400, { error: { code: 'portal.bad_request', message: 'a cluster name is 1 to 253 letters, digits and `._:@-`' } })
        const body = await readJson(req)
        if (!Array.isArray(body.documents)) return send(res, 400, { error: { code: 'portal.bad_request', message: '`documents` must be a list of {name, content}' } })
        const report = await engine.evaluateAsync(body.documents, body.options ?? {})
        clusters.set(name, report)
        return send(res, 200, { cluster: name, summary: report.summary })
      }
      if (req.method === 'GET' && url.pathname === '/fleet') {
        const reports = Object.fromEntries(clusters)
        const reference = url.searchParams.get('reference') || undefined
        if (reference && !clusters.has(reference)) return send(res, 400, { error: { code: 'fleet.unknown_reference', message: `the reference cluster \`${reference}\` is not in the fleet` } })
        return send(res, 200, Report.merge(reports, { reference }).toJSON())
      }
      if (req.method === 'GET' && url.pathname === '/fleet/view') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'self'; img-src data:; script-src 'unsafe-inline'; style-src 'unsafe-inline'" })
        return res.end(VIEW)
      }
      if (req.method === 'GET' && parts.length === 5 && parts[1] === 'clusters' && parts[3] === 'controls') {
        const report = clusters.get(parts[2])
        if (!report) return send(res, 404, { error: { code: 'portal.not_found', message: `no cluster \`${parts[2]}\`` } })
        const control = report.controls.find((c) => c.control_id === parts[4]) ?? null
        const findings = report.findings.filter((f) => f.control_id === parts[4])
        return send(res, 200, { cluster: parts[2], control, findings })
      }
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
