'use strict'
// hullcheck for Node: the native module of this platform (see loader.js). The API is declared
// in index.d.ts, which `napi build` generates from the Rust source.

const { load, platformKey } = require('./loader.js')

module.exports = load(platformKey(process))
