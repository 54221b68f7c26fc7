// The portal example serves reports of posted evidence bundles.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createPortal } from '../../../examples/node/portal.mjs'

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext: {privileged: true}\n'

test('portal renders the report of a posted bundle', async () => {
  const server = createPortal()
  await new Promise(r => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${server.address().port}`
  try {
    const ok = await fetch(`${base}/evaluate`, { method: 'POST', body: JSON.stringify({ documents: [{ name: 'pod.yaml', content: POD }], options: { controls: ['RUN-003'], now: '2026-06-01T00:00:00Z' } }) })
    assert.equal(ok.status, 200)
    const report = await ok.json()
    assert.equal(report.findings[0].status, 'fail')
    assert.equal(report.evaluated_at, '2026-06-01T00:00:00Z')
    const bad = await fetch(`${base}/evaluate`, { method: 'POST', body: JSON.stringify({ documents: [], options: { profiles: ['nope'] } }) })
    assert.equal(bad.status, 400)
    assert.equal((await bad.json()).error.code, 'options.unknown_profile')
    assert.equal((await fetch(`${base}/healthz`)).status, 200)
    assert.ok((await (await fetch(`${base}/catalog/controls`)).json()).length >= 85)
    assert.equal((await fetch(`${base}/nope`)).status, 404)
  } finally {
    server.close()
  }
})
