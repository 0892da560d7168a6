#!/usr/bin/env node
// The CLI entry: the compiled src/cli.ts (npm install runs `tsc` through the prepare script).
import { main } from '../dist/src/cli.js';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
);
