// The HTML report loads in headless Chromium without console errors and shows the report's counts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const { Engine } = require('../index.js')
const { chromium } = require('playwright-core')
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

test('html report renders in Chromium with drill-down and filters', async () => {
  const report = new Engine().evaluatePaths([path.join(ROOT, 'examples/cluster')], {
    now: '2026-06-01T00:00:00Z',
    waivers: [{ control_id: 'RUN-003', subject: { name: 'netshoot-debug' }, justification: 'j', owner: 'o', expires: '2026-01-01' }],
  })
  const json = report.toJSON()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-html-'))
  const file = path.join(dir, 'report.html')
  fs.writeFileSync(file, report.render('html'))
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const page = await browser.newPage()
    const problems = []
    page.on('console', msg => { if (msg.type() === 'error') problems.push(msg.text()) })
    page.on('pageerror', err => problems.push(String(err)))
    page.on('request', req => { if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) problems.push('request ' + req.url()) })
    await page.goto('file://' + file)
    await page.waitForSelector('body[data-ready="true"]')
    assert.deepEqual(problems, [])
    const text = async sel => (await page.textContent(sel)).trim()
    assert.equal(await text('#count-fail'), String(json.summary.findings.fail))
    assert.equal(await text('#count-pass'), String(json.summary.findings.pass))
    assert.equal(await text('#count-documents'), String(json.summary.documents))
    assert.equal(await text('#failing-count'), String(json.summary.findings.fail))
    assert.equal(await page.locator('#frameworks tr').count(), json.frameworks.length)
    assert.equal(await page.locator('#heat td.cell').count(), 6 * 6)
    // Filters narrow the failing findings.
    await page.selectOption('#filter-severity', 'critical')
    const critical = json.findings.filter(f => f.status === 'fail' && f.severity === 'critical').length
    assert.equal(await text('#failing-count'), String(critical))
    await page.selectOption('#filter-severity', '')
    await page.selectOption('#filter-framework', 'pci-dss-4.0.1')
    assert.ok(Number(await text('#failing-count')) < json.summary.findings.fail)
    // Drill-down: framework -> requirement -> controls and findings.
    await page.click('#frameworks tr[data-framework="nist-800-53r5"]')
    await page.click('#requirements tr[data-requirement="AC-6(10)"]')
    const detail = await text('#requirement-detail')
    assert.match(detail, /RUN-003/)
    assert.match(detail, /privileged=true/)
    // The expired waiver is listed.
    assert.equal(await page.locator('#waivers tr[data-state="expired"]').count(), 1)
    await page.setViewportSize({ width: 1400, height: 2400 })
    await page.screenshot({ path: path.join(os.tmpdir(), 'hullcheck-report.png'), fullPage: false })
  } finally {
    await browser.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('html report is complete without JavaScript and prints on few A4 pages', async () => {
  const report = new Engine().evaluatePaths([path.join(ROOT, 'examples/cluster')], { now: '2026-06-01T00:00:00Z' })
  const json = report.toJSON()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-html-'))
  const file = path.join(dir, 'report.html')
  fs.writeFileSync(file, report.render('html', { assessor: 'Example 3PAO' }))
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1400, height: 2400 } })
    const page = await noJs.newPage()
    await page.goto('file://' + file)
    const text = async sel => (await page.textContent(sel)).trim()
    assert.equal(await text('#count-fail'), String(json.summary.findings.fail))
    assert.equal(await text('#failing-count'), String(json.summary.findings.fail))
    assert.equal(await page.locator('#failing tr.finding').count(), json.summary.findings.fail)
    assert.equal(await page.locator('#frameworks tr').count(), json.frameworks.length)
    const notAssessed = json.controls.filter(c => c.status === 'not_assessed').length
    assert.equal(await page.locator('#not-assessed tr.not-assessed').count(), notAssessed)
    assert.match(await text('#scope-section'), /Example 3PAO/)
    assert.match(await text('#scope-section'), /sha256:/)
    // The filters need the script, so they are not shown without it.
    assert.equal(await page.locator('.filters').isVisible(), false)
    await page.screenshot({ path: path.join(os.tmpdir(), 'hullcheck-report-nojs.png') })
    const withJs = await browser.newContext({ viewport: { width: 1400, height: 2400 } })
    const live = await withJs.newPage()
    await live.goto('file://' + file)
    await live.waitForSelector('body[data-ready="true"]')
    assert.equal(await live.locator('.filters').isVisible(), true)
    await live.screenshot({ path: path.join(os.tmpdir(), 'hullcheck-report-js.png') })
    // Printed on A4 (headless Chromium's print to PDF): at most 12 pages.
    const pdf = await live.pdf({ format: 'A4', printBackground: false })
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length
    assert.ok(pages >= 1 && pages <= 12, `${pages} pages`)
    fs.writeFileSync(path.join(os.tmpdir(), 'hullcheck-report.pdf'), pdf)
  } finally {
    await browser.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

