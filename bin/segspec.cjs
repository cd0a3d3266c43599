#!/usr/bin/env node
'use strict';
// The command is the esbuild bundle dist/cli.cjs (the npm package carries it;
// a clone of the repository builds it with `npm run build`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(bundle)) {
  process.stderr.write(`segspec: ${bundle} is missing; in a clone of the repository, run 'npm run build' first\n`);
  process.exit(2);
}
require(bundle);
