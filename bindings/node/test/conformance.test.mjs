// The shared conformance suite (tests/conformance), run from Node.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const { Engine, Report } = require('../index.js')
const CASES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../tests/conformance')
const dirs = fs.readdirSync(CASES).map(d => path.join(CASES, d)).filter(d => fs.statSync(d).isDirectory()).sort()
const engine = new Engine()

function strip(v, prefix) {
  if (typeof v === 'string') return v.split(prefix).join('')
  if (Array.isArray(v)) return v.map(x => strip(x, prefix))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x, prefix)]))
  return v
}

test('there are cases', () => assert.ok(dirs.length >= 10))

for (const dir of dirs) {
  test(path.basename(dir), () => {
    const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'))
    const camel = o => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]))
    // Top-level option names are camelCase in Node (`skip_controls` is `skipControls`).
    const options = camel(c.options)
    // `engine.controls`: directories of user controls, relative to the case.
    const controls = ((c.engine || {}).controls || []).map(d => path.join(dir, d))
    const eng = controls.length ? new Engine({ controls }) : engine
    const run = () => c.mode === 'paths'
      ? eng.evaluatePaths(c.inputs.map(i => path.join(dir, i)), options)
      : eng.evaluate(c.inputs.map(i => ({ name: i, content: fs.readFileSync(path.join(dir, i)) })), options)
    if (c.expect.error) {
      assert.throws(run, { code: c.expect.error })
      return
    }
    const report = run()
    for (const g of c.expect.gates || []) {
      const outcome = report.gate(camel(g.options))
      assert.deepEqual(outcome.reasons.map(r => r.code), g.reasons, JSON.stringify(g.options))
      assert.equal(outcome.passed, g.passed)
      assert.equal(outcome.result, report.summary.result)
    }
    const got = report.toJSON()
    delete got.tool
    delete got.catalog
    const want = JSON.parse(fs.readFileSync(path.join(dir, c.expect.report), 'utf8'))
    assert.deepEqual(strip(got, dir + '/'), want)
    if (c.fleet) {
      const parts = Object.fromEntries(Object.entries(c.fleet.clusters).map(([name, files]) =>
        [name, eng.evaluate(files.map(i => ({ name: i, content: fs.readFileSync(path.join(dir, i)) })), options)]))
      const fleet = Report.merge(parts, { reference: c.fleet.reference }).toJSON()
      for (const cl of fleet.clusters) { delete cl.tool_version; delete cl.catalog }
      delete fleet.summary.catalogs
      assert.deepEqual(fleet, JSON.parse(fs.readFileSync(path.join(dir, c.expect.fleet), 'utf8')))
    }
  })
}
