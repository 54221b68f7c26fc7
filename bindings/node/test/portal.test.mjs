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

test('the fleet view shows the matrix and drills down to findings, in Chromium', async () => {
  const { createRequire } = await import('node:module')
  const require = createRequire(import.meta.url)
  const { chromium } = require('playwright-core')
  const server = createPortal()
  await new Promise(r => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${server.address().port}`
  const post = (name, doc) => fetch(`${base}/clusters/${name}/evaluate`, { method: 'POST', body: JSON.stringify({ documents: [{ name: 'pod.yaml', content: doc }], options: { now: '2026-06-01T00:00:00Z' } }) })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    assert.equal((await post('prod', POD.replace('privileged: true', 'privileged: false'))).status, 200)
    assert.equal((await post('stage', POD)).status, 200)
    assert.equal((await post('bad name', POD)).status, 400)
    const fleet = await (await fetch(`${base}/fleet?reference=prod`)).json()
    assert.equal(fleet.summary.clusters, 2)
    const run003 = fleet.controls.find((r) => r.control_id === 'RUN-003')
    assert.equal(run003.clusters.stage.status, 'fail')
    assert.ok(fleet.divergence.some((d) => d.control_id === 'RUN-003'))
    assert.equal((await fetch(`${base}/fleet?reference=dev`)).status, 400)
    const page = await browser.newPage()
    const problems = []
    page.on('console', msg => { if (msg.type() === 'error') problems.push(msg.text()) })
    page.on('pageerror', err => problems.push(String(err)))
    page.on('request', req => { if (!req.url().startsWith(base)) problems.push('request ' + req.url()) })
    await page.goto(`${base}/fleet/view?reference=prod`)
    await page.waitForSelector('body[data-ready="true"]')
    assert.equal(await page.locator('#matrix tbody tr').count(), fleet.controls.length)
    assert.equal(await page.locator('#matrix thead th').count(), 2 + 2)
    assert.ok(await page.locator('tr.divergent[data-control="RUN-003"]').count() === 1)
    const cell = page.locator('tr[data-control="RUN-003"] td[data-cluster="stage"]')
    assert.equal((await cell.textContent()).trim(), 'F')
    await cell.click()
    await page.waitForSelector('#detail:not([hidden])')
    assert.match(await page.textContent('#detail-title'), /RUN-003 on stage: fail/)
    assert.equal(await page.locator('#detail-findings li.s-fail').count(), run003.clusters.stage.failing)
    assert.deepEqual(problems, [])
  } finally {
    await browser.close()
    server.close()
  }
})
