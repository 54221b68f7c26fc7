'use strict'
// hullcheck for Node: the native module of this platform (see loader.js). The API is declared
// in index.d.ts, which `napi build` generates from the Rust source; the report's shapes are in
// report.d.ts, generated from the report schema.

const { load, platformKey } = require('./loader.js')

const native = load(platformKey(process))

// A report's arrays are converted once, on first access, and are the same objects after: a loop
// indexing `report.findings[i]` is linear.
const CACHED = [
  [native.Report, ['findings', 'controls', 'frameworks', 'documents', 'summary']],
  [native.FleetReport, ['clusters', 'controls', 'frameworks', 'divergence', 'summary']],
]
for (const [cls, names] of CACHED) {
  for (const name of names) {
    const d = Object.getOwnPropertyDescriptor(cls.prototype, name)
    if (!d || typeof d.get !== 'function') continue
    Object.defineProperty(cls.prototype, name, {
      configurable: true,
      enumerable: d.enumerable,
      get() {
        const value = d.get.call(this)
        Object.defineProperty(this, name, { value, enumerable: false, configurable: false })
        return value
      },
    })
  }
}

// An AbortSignal already aborted rejects at once (napi-rs only watches for a later abort).
for (const name of ['evaluatePathsAsync', 'evaluateAsync']) {
  const call = native.Engine.prototype[name]
  Object.defineProperty(native.Engine.prototype, name, {
    configurable: true,
    writable: true,
    value(input, options, signal) {
      if (signal && signal.aborted) {
        const err = new Error('the evaluation was aborted')
        err.name = 'AbortError'
        err.code = 'ABORT_ERR'
        return Promise.reject(err)
      }
      return call.call(this, input, options, signal)
    },
  })
}

module.exports = native
