#!/usr/bin/env node
'use strict';
// The `giftdesk` admin command: runs the built CLI (out/main/cli.js).
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('giftdesk: the app is not built yet. Run `npm run build` first.\n');
  process.exit(1);
}
const { runCli } = require(cli);
runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
);
