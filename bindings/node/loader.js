'use strict'
// Finds the native module for the running platform: a local build beside this file
// (`hullcheck.<platform>.node`, from `npm run build`), or the per-platform package
// `hullcheck-<platform>` that npm installs as an optional dependency of `hullcheck`.

const path = require('path')
const fs = require('fs')

/** The platforms hullcheck publishes a native module for. */
const SUPPORTED = ['linux-x64-gnu', 'linux-x64-musl', 'linux-arm64-gnu', 'linux-arm64-musl']

/** The C library of a Linux process, from its diagnostic report: `gnu` or `musl`. */
function libcOf(proc) {
  if (!proc.report || typeof proc.report.getReport !== 'function') return 'gnu'
  proc.report.excludeNetwork = true
  const report = proc.report.getReport()
  const header = (report && report.header) || {}
  if (header.glibcVersionRuntime) return 'gnu'
  const shared = (report && report.sharedObjects) || []
  return shared.some((f) => f.includes('libc.musl-') || f.includes('ld-musl-')) ? 'musl' : 'gnu'
}

/** The platform key of `proc` (a `process`-like object), as in `linux-x64-gnu`. */
function platformKey(proc) {
  const base = `${proc.platform}-${proc.arch}`
  return proc.platform === 'linux' ? `${base}-${libcOf(proc)}` : base
}

/** Loads the native module for `key`, or throws an error that names the platform. */
function load(key, dir = __dirname, req = require) {
  if (!SUPPORTED.includes(key)) {
    throw new Error(`hullcheck has no native module for this platform (${key}); ` +
      `it is published for ${SUPPORTED.join(', ')}`)
  }
  const local = path.join(dir, `hullcheck.${key}.node`)
  if (fs.existsSync(local)) return req(local)
  try {
    return req(`hullcheck-${key}`)
  } catch (e) {
    throw new Error(`hullcheck's native module for ${key} is not installed: the package ` +
      `hullcheck-${key} is missing (npm installs it as an optional dependency of hullcheck, ` +
      `unless optional dependencies were omitted): ${e.message}`)
  }
}

module.exports = { SUPPORTED, platformKey, load }
