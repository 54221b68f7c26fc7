// The package's `hullcheck` command and its platform loader.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ROOT = path.resolve(HERE, '../..')
const NOW = '2026-06-01T00:00:00Z'
const { SUPPORTED, platformKey, load } = require('../loader.js')

test('bin/hullcheck.js is the CLI: same report bytes and exit code as the binary', () => {
  const args = ['evaluate', '--format', 'json', '--now', NOW, 'examples/cluster']
  const bin = spawnSync(process.execPath, [path.join(HERE, 'bin/hullcheck.js'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 })
  const cli = spawnSync('cargo', ['run', '-q', '--release', '-p', 'hullcheck-cli', '--', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 })
  assert.equal(bin.status, cli.status)
  assert.equal(bin.status, 1, 'the example cluster fails its gate')
  assert.equal(bin.stdout, cli.stdout)
})

test('bin/hullcheck.js exits 2 with clap\'s message on a bad flag, 0 on --version', () => {
  const bad = spawnSync(process.execPath, [path.join(HERE, 'bin/hullcheck.js'), 'evaluate', '--no-such-flag'], { encoding: 'utf8' })
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /--no-such-flag/)
  const version = execFileSync(process.execPath, [path.join(HERE, 'bin/hullcheck.js'), '--version'], { encoding: 'utf8' })
  assert.match(version, /^hullcheck \d+\.\d+\.\d+/)
})

test('the ES module exports the same API as the CommonJS one', async () => {
  const esm = await import('../index.mjs')
  const cjs = require('../index.js')
  for (const name of ['Engine', 'Catalog', 'Report', 'runCli']) {
    assert.equal(esm[name], cjs[name], name)
  }
})

test('platform keys follow the C library of the process', () => {
  const fake = (platform, arch, header, shared = []) => ({ platform, arch, report: { getReport: () => ({ header, sharedObjects: shared }) } })
  assert.equal(platformKey(fake('linux', 'x64', { glibcVersionRuntime: '2.36' })), 'linux-x64-gnu')
  assert.equal(platformKey(fake('linux', 'arm64', {}, ['/lib/ld-musl-aarch64.so.1'])), 'linux-arm64-musl')
  assert.equal(platformKey(fake('darwin', 'arm64', {})), 'darwin-arm64')
})

test('an unsupported platform is named, with the supported ones listed', () => {
  assert.throws(() => load('darwin-arm64'), (e) => {
    assert.match(e.message, /darwin-arm64/)
    for (const p of SUPPORTED) assert.ok(e.message.includes(p), p)
    assert.doesNotMatch(e.message, /npm bug/)
    return true
  })
})

test('a supported platform without its package names the package to install', () => {
  const missing = () => { throw new Error('Cannot find module') }
  assert.throws(() => load('linux-arm64-musl', '/nonexistent', missing), /hullcheck-linux-arm64-musl/)
})
