// The library as a portal developer uses it: typed results (checked by tsc --strict), cached
// accessors, strict options, a missing path as an error, policy and waivers files, AbortSignal,
// diff and fleet merges.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Engine, FleetReport, Report, diff } from '../index.mjs'

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ROOT = path.resolve(HERE, '../..')
const CLUSTER = path.join(ROOT, 'examples/cluster')
const NOW = '2026-06-01T00:00:00Z'
const engine = new Engine()

test('report.d.ts is fresh', () => {
  execFileSync('python3', ['tools/gen_binding_types.py', '--check'], { cwd: ROOT, stdio: 'pipe' })
})

test('tsc --strict rejects a misspelt key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-tsc-'))
  const tsc = path.join(HERE, 'node_modules/typescript/bin/tsc')
  const check = (body) => {
    fs.writeFileSync(path.join(dir, 'script.ts'),
      `import { Engine, Report } from ${JSON.stringify(HERE)}\n` +
      `const report: Report = new Engine().evaluatePaths('examples/cluster')\n` + body)
    return spawnSync(process.execPath, [tsc, '--strict', '--noEmit', '--skipLibCheck', 'false', '--types', 'node',
      '--moduleResolution', 'node', '--module', 'commonjs', '--target', 'es2020', path.join(dir, 'script.ts')],
    { encoding: 'utf8', cwd: HERE })
  }
  try {
    const good = 'const ids: string[] = report.findings.map((f) => f.control_id)\n' +
      'const line: number = report.findings[0].location.line\n' +
      "const fleet = Report.merge({ prod: report }, { reference: 'prod' })\n" +
      'const names: string[] = fleet.clusters.map((c) => c.name)\n'
    const ok = check(good)
    assert.equal(ok.status, 0, ok.stdout + ok.stderr)
    const bad = check(good + 'const typo = report.findings[0].contorl_id\n')
    assert.notEqual(bad.status, 0)
    assert.match(bad.stdout, /Property 'contorl_id' does not exist on type 'Finding'/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('accessors convert once', () => {
  const report = engine.evaluatePaths(CLUSTER, { now: NOW })
  for (const name of ['findings', 'controls', 'frameworks', 'documents', 'summary']) {
    assert.equal(report[name], report[name], name)
  }
  assert.deepEqual(report.findings, report.toJSON().findings)
})

test('findings equal their JSON, rendered locations included', () => {
  for (const dir of ['examples/cluster', 'tests/conformance/rendered-streams/input']) {
    const report = engine.evaluatePaths(path.join(ROOT, dir), { now: NOW })
    const want = JSON.parse(report.toJSONString()).findings
    assert.equal(JSON.stringify(report.findings), JSON.stringify(want))
    if (dir.includes('rendered')) assert.ok(report.findings.some((f) => f.location.rendered))
  }
})

test('one path as a string; a missing path throws', () => {
  const one = engine.evaluatePaths(CLUSTER, { now: NOW }).toJSONString()
  assert.equal(engine.evaluatePaths([CLUSTER], { now: NOW }).toJSONString(), one)
  assert.throws(() => engine.evaluatePaths([CLUSTER, 'no/such/dir']),
    (e) => e.code === 'evidence.missing_path' && e.message.includes('`no/such/dir`'))
})

test('unknown option keys and wrong types throw, naming no Rust type', () => {
  const cases = [
    () => engine.evaluatePaths(CLUSTER, { contorls: ['RUN-003'] }),
    () => engine.evaluatePaths(CLUSTER, { controls: 'RUN-003' }),
    () => new Engine({ catalogue: 'x' }),
    () => engine.evaluatePaths(CLUSTER, { now: NOW }).gate({ failOnn: 'high' }),
    () => engine.evaluatePaths(CLUSTER, { now: NOW }).render('text', { colour: true }),
    () => engine.evaluatePaths(42),
    () => engine.evaluate([{ name: 1, content: 'x' }]),
    () => engine.evaluate([{ name: 'a.yaml', content: 7 }]),
    () => engine.evaluate('not a list'),
    () => engine.evaluate([null]),
    () => engine.evaluatePaths(CLUSTER, 5),
    () => engine.evaluatePaths(CLUSTER, { now: NOW }).render(1),
    () => engine.reportFromJson(5),
    () => FleetReport.fromJSON({}),
    () => FleetReport.merge([1]),
    () => diff(1, 2),
    () => engine.catalog.requirementsForControl(3),
    () => new Engine(5),
  ]
  for (const c of cases) {
    assert.throws(c, (e) => /^(options\.invalid|options\.invalid_argument|evidence\.invalid_paths|evidence\.invalid_document)$/.test(e.code) &&
      !/rust|String|Vec<|Option<|struct|napi/.test(e.message), String(c))
  }
  assert.throws(() => engine.evaluatePaths(CLUSTER, { contorls: [] }), /unknown field `contorls`/)
  assert.throws(() => engine.evaluate([{ name: 'a.yaml', content: 7 }]), /document 0 \(`a.yaml`\): `content` must be a string or a Buffer/)
  await_ok: {
    const r = engine.evaluate([{ name: 'a.yaml', content: Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n') }])
    assert.equal(r.documents.length, 1)
  }
})

test('policy and waivers files as on the CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-policy-'))
  try {
    fs.writeFileSync(path.join(dir, 'policy.yaml'), 'controls: [RUN-003]\n')
    fs.writeFileSync(path.join(dir, 'waivers.yaml'), "waivers:\n- control_id: RUN-003\n  justification: legacy\n  owner: team@example.com\n  expires: '2027-01-01'\n")
    const args = ['--policy', path.join(dir, 'policy.yaml'), '--waivers', path.join(dir, 'waivers.yaml')]
    const report = engine.evaluatePaths(CLUSTER, { now: NOW, policy: path.join(dir, 'policy.yaml'), waivers: path.join(dir, 'waivers.yaml') })
    const cli = spawnSync(process.execPath, [path.join(HERE, 'bin/hullcheck.js'), 'evaluate', '--now', NOW, ...args, CLUSTER], { encoding: 'utf8' })
    assert.equal(report.toJSONString(), cli.stdout)
    assert.throws(() => engine.evaluatePaths(CLUSTER, { policy: path.join(dir, 'nope.yaml') }), (e) => e.code === 'options.policy_file')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('an aborted signal rejects with AbortError', async () => {
  const c = new AbortController()
  c.abort()
  await assert.rejects(engine.evaluatePathsAsync(CLUSTER, { now: NOW }, c.signal), (e) => e.name === 'AbortError' || e.code === 'ABORT_ERR')
  const late = new AbortController()
  const p = engine.evaluatePathsAsync(CLUSTER, { now: NOW }, late.signal)
  late.abort()
  await assert.rejects(p, (e) => e.name === 'AbortError' || e.code === 'ABORT_ERR')
  const done = await engine.evaluatePathsAsync(CLUSTER, { now: NOW }, new AbortController().signal)
  assert.equal(done.toJSONString(), engine.evaluatePaths(CLUSTER, { now: NOW }).toJSONString())
})

test('diff and merge as the CLI, in any order', () => {
  const a = engine.evaluatePaths(CLUSTER, { now: NOW })
  const b = engine.evaluatePaths(CLUSTER, { now: NOW, controls: ['RUN-003'] })
  const one = Report.merge({ prod: a, stage: b }, { reference: 'prod' })
  const two = FleetReport.merge([Report.merge({ stage: b }), Report.merge({ prod: a })], { reference: 'prod' })
  assert.equal(one.toJSONString(), two.toJSONString())
  assert.deepEqual(one.clusters.map((c) => c.name), ['prod', 'stage'])
  assert.ok(one.divergence.length > 0)
  assert.equal(FleetReport.fromJSON(one.toJSONString()).toJSONString(), one.toJSONString())
  assert.match(one.render('html'), /<table id="matrix">/)
  assert.throws(() => FleetReport.merge([one, one]), (e) => e.code === 'fleet.duplicate_cluster')
  assert.throws(() => Report.merge({ x: {} }), (e) => e.code === 'options.merge')
  const back = Report.fromJSON(a.toJSONString())
  assert.equal(back.toJSONString(), a.toJSONString())
  assert.equal(back.render('markdown'), a.render('markdown'))
  assert.equal(Report.fromJSON(a.toJSONString(), engine).toJSONString(), a.toJSONString())
  assert.throws(() => Report.fromJSON('{}'), (e) => e.code === 'evidence.not_a_report')
  const d = diff(b, a)
  assert.ok(Array.isArray(d.new_failures))
  assert.equal(typeof diff(b, a, 'markdown'), 'string')
})
