#!/usr/bin/env node
// The package's `hullcheck` command (`npx hullcheck`): the same command line as the binary,
// through the native module's runCli, so flags, output and exit codes are identical.
'use strict'

const { runCli } = require('../index.js')

process.exitCode = runCli(['hullcheck', ...process.argv.slice(2)])
