import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const { Engine, Report, Catalog } = require('../index.js')
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const NOW = '2026-06-01T00:00:00Z'
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/app:1.0\n    securityContext: {privileged: true}\n'
const engine = new Engine()
process.chdir(ROOT)

test('report equals the CLI JSON', () => {
  const report = engine.evaluatePaths(['examples/cluster'], { now: NOW })
  let cli = ''
  try {
    execFileSync('cargo', ['run', '-q', '--release', '-p', 'hullcheck-cli', '--', 'evaluate', '--now', NOW, 'examples/cluster'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 })
  } catch (err) {
    assert.equal(err.status, 1)
    cli = err.stdout
  }
  assert.equal(report.toJSONString(), cli)
  assert.deepEqual(report.toJSON(), JSON.parse(cli))
  assert.deepEqual(JSON.parse(JSON.stringify(report)), JSON.parse(cli))
})

test('documents accept strings and buffers', () => {
  for (const content of [POD, Buffer.from(POD)]) {
    const r = engine.evaluate([{ name: 'pod.yaml', content }], { controls: ['RUN-003'], now: NOW })
    assert.ok(r instanceof Report)
    assert.deepEqual(r.findings.map(f => f.status), ['fail'])
    assert.equal(r.findings[0].location.line, 8)
    assert.equal(r.hasFailures, true)
    assert.equal(r.evaluatedAt, NOW)
  }
})

test('async twins resolve off the event loop', async () => {
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  const [a, b] = await Promise.all([
    engine.evaluatePathsAsync(['examples/cluster'], { now: NOW }),
    engine.evaluateAsync([{ name: 'pod.yaml', content: POD }], { now: NOW }),
  ])
  clearInterval(timer)
  assert.equal(a.toJSONString(), engine.evaluatePaths(['examples/cluster'], { now: NOW }).toJSONString())
  assert.ok(b.summary.findings.fail > 0)
  assert.ok(ticks >= 0)
})

test('errors carry codes', async () => {
  assert.throws(() => engine.evaluatePaths(['examples/cluster'], { profiles: ['nope'] }), err => err instanceof Error && err.code === 'options.unknown_profile')
  assert.throws(() => engine.evaluate([{ name: 'p', content: POD }], { params: { 'scan.max_age_hours': 'soon' } }), { code: 'options.bad_param_value' })
  await assert.rejects(engine.evaluatePathsAsync(['examples/cluster'], { controls: ['NOPE-1'] }), { code: 'options.unknown_control' })
  assert.throws(() => new Engine({ catalog: '/nonexistent/catalog' }), { code: 'catalog.io' })
})

test('catalog queries', () => {
  const cat = engine.catalog
  assert.ok(cat instanceof Catalog)
  assert.ok(cat.digest.startsWith('sha256:'))
  assert.ok(cat.controls().length >= 85)
  assert.ok(cat.practices().length >= 27)
  assert.equal(cat.layers().length, 6)
  assert.ok(cat.frameworks().some(f => f.framework_id === 'fedramp-r5-moderate' && f.requirement_count === 323))
  assert.deepEqual(cat.requirementsForControl('RUN-003').find(r => r.framework_id === 'fedramp-r5-moderate' && r.requirement_id === 'AC-6(10)'), { framework_id: 'fedramp-r5-moderate', requirement_id: 'AC-6(10)' })
  assert.ok(cat.controlsForRequirement('nist-800-53r5', 'AC-6(10)').includes('RUN-003'))
  assert.equal(cat.coverage().length, cat.frameworks().length)
  assert.ok(cat.frameworks().some(f => f.framework_id === 'disa-k8s-stig-v2r6' && f.requirement_count === 92))
  assert.ok(cat.frameworks().some(f => f.framework_id === 'cis-kubernetes-1.12' && f.requirement_count === 131))
  assert.ok(cat.graph().nodes.length > 1000)
  assert.ok(cat.graphDot().startsWith('digraph'))
})

test('panics become coded errors, never an abort', () => {
  const { boundaryCheck } = require('../index.js')
  for (let i = 0; i < 2; i++) assert.throws(() => boundaryCheck(), { code: 'internal.panic' })
  assert.ok(new Engine().catalog.version)
})

test('STIG checklists take target data', () => {
  const report = engine.evaluatePaths(['examples/cluster'], { now: NOW })
  const cklb = JSON.parse(report.render('cklb', { targetHost: 'prod-1', targetRole: 'Member Server' }))
  assert.equal(cklb.target_data.host_name, 'prod-1')
  assert.equal(cklb.stigs[0].rules.length, 92)
  assert.ok(report.render('ckl').includes('<VULN>'))
  assert.throws(() => report.render('ckl', { targetRole: 'Mainframe' }), e => e.code === 'options.bad_target_role')
})

test('skipControls leave controls out, with a did-you-mean for typos', () => {
  const report = engine.evaluatePaths(['examples/cluster'], { skipControls: ['RUN-003'], now: NOW })
  assert.ok(report.controls.every(c => c.control_id !== 'RUN-003'))
  assert.throws(() => engine.evaluatePaths(['examples/cluster'], { skipControls: ['RUN-0003'] }), e => e.code === 'options.unknown_control' && e.message.includes('did you mean `RUN-003`?'))
})

test('markdown links under a link base', () => {
  const report = engine.evaluatePaths(['examples/cluster'], { now: NOW })
  assert.ok(report.render('markdown', { linkBase: 'https://github.com/o/r/blob/abc' }).includes('(<https://github.com/o/r/blob/abc/'))
})


test('excludes and annotation waivers as on the CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-node-excl-'))
  try {
    fs.writeFileSync(path.join(dir, 'keep.yaml'), POD)
    fs.writeFileSync(path.join(dir, 'drop.yaml'), POD)
    const r = engine.evaluatePaths([dir], { controls: ['RUN-003'], now: NOW, exclude: ['drop.yaml'] })
    const docs = r.documents
    const skipped = Object.fromEntries(docs.map((d) => [path.basename(d.file), d.skipped]))
    assert.equal(skipped['drop.yaml'].code, 'skipped.excluded')
    assert.equal(skipped['keep.yaml'] ?? null, null)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const annotated = POD.replace('metadata: {name: p, namespace: shop}', "metadata:\n  name: p\n  namespace: shop\n  annotations:\n    hullcheck.dev/waive.RUN-003: '{justification: j, owner: o, expires: 2027-01-01}'")
  const waived = engine.evaluate([{ name: 'pod.yaml', content: annotated }], { controls: ['RUN-003'], now: NOW })
  assert.deepEqual(waived.findings.map((f) => f.status), ['waived'])
  const strict = engine.evaluate([{ name: 'pod.yaml', content: annotated }], { controls: ['RUN-003'], now: NOW, noAnnotationWaivers: true })
  assert.deepEqual(strict.findings.map((f) => f.status), ['fail'])
})
