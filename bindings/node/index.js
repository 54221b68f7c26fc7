'use strict'
// hullcheck for Node: the native module of this platform (see loader.js). The API is declared
// in index.d.ts, which `napi build` generates from the Rust source; the report's shapes are in
// report.d.ts, generated from the report schema.

const { load, platformKey } = require('./loader.js')

const native = load(platformKey(process))

const NONE = 0xffffffff

/** The findings built from the native table (`Report._findingsTable`, see src/convert.rs):
 * the same objects as the JSON's, made by object literals here rather than through N-API. */
function findingsFrom(t) {
  const S = t.strings
  const sub = t.subjects
  const c = t.codes
  const str = (i) => (i === NONE ? null : S[i])
  const out = new Array(c.length / 14)
  for (let i = 0, o = 0; o < c.length; i++, o += 14) {
    const s = c[o + 5] * 5
    const location = { file: S[c[o + 6]], document: c[o + 7], line: c[o + 8], path: S[c[o + 9]] }
    if (c[o + 10] === 1) location.rendered = { file: S[c[o + 11]], document: c[o + 12], line: c[o + 13] }
    out[i] = {
      control_id: S[c[o]],
      status: S[c[o + 1]],
      severity: S[c[o + 2]],
      layer: S[c[o + 3]],
      message: S[c[o + 4]],
      subject: { kind: str(sub[s]), namespace: str(sub[s + 1]), name: str(sub[s + 2]), container: str(sub[s + 3]), image: str(sub[s + 4]) },
      location,
    }
  }
  return out
}

// A report's arrays are converted once, on first access, and are the same objects after: a loop
// indexing `report.findings[i]` is linear.
const FAST = { findings: function () { return findingsFrom(this._findingsTable()) } }
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
        const value = cls === native.Report && FAST[name] ? FAST[name].call(this) : d.get.call(this)
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

// N-API's own argument conversions name Rust types ("into rust type `String`"); they are
// rethrown as TypeErrors in JavaScript's terms, with code `options.invalid_argument`.
const JS_TYPES = { String: 'a string', bool: 'a boolean', u32: 'a number', i32: 'a number', i64: 'a number', f64: 'a number' }
function argumentError(message) {
  const err = new TypeError(message)
  err.code = 'options.invalid_argument'
  return err
}
function translate(err) {
  if (!(err instanceof Error) || typeof err.message !== 'string') return err
  let m = /^Failed to convert JavaScript value `(\w+)[^`]*` into rust type `([^`]+)`/.exec(err.message)
  if (m) return argumentError(`expected ${JS_TYPES[m[2]] || 'a value of another type'}, got ${m[1].toLowerCase()}`)
  m = /^Failed to recover `(\w+)` type from napi value/.exec(err.message)
  if (m) return argumentError(`expected a hullcheck ${m[1]}`)
  if (/rust type|napi value/i.test(err.message)) return argumentError('an argument has the wrong type')
  return err
}
function guarded(fn) {
  return function (...args) {
    try {
      return fn.apply(this, args)
    } catch (e) {
      throw translate(e)
    }
  }
}
/** The class with its methods guarded. N-API defines static methods read-only, so the class is
 * exported behind a proxy that guards them; `new`, `instanceof` and `prototype` reach the class. */
function guardedClass(cls) {
  for (const name of Object.getOwnPropertyNames(cls.prototype)) {
    const d = Object.getOwnPropertyDescriptor(cls.prototype, name)
    if (name === 'constructor' || typeof d.value !== 'function' || !d.configurable) continue
    Object.defineProperty(cls.prototype, name, { ...d, value: guarded(d.value) })
  }
  const statics = new Map()
  return new Proxy(function () {}, {
    construct(_shim, args) {
      try {
        return Reflect.construct(cls, args)
      } catch (e) {
        throw translate(e)
      }
    },
    get(_shim, prop) {
      if (prop === Symbol.hasInstance) return (x) => x instanceof cls
      const v = Reflect.get(cls, prop)
      if (typeof prop !== 'string' || prop === 'prototype' || typeof v !== 'function') return v
      if (!statics.has(prop)) statics.set(prop, guarded(v).bind(cls))
      return statics.get(prop)
    },
    has(_shim, prop) {
      return prop in cls
    },
  })
}
const api = { ...native }
for (const name of ['Engine', 'Report', 'FleetReport', 'Catalog']) api[name] = guardedClass(native[name])
for (const name of ['diff', 'runCli']) api[name] = guarded(native[name])

module.exports = api
