#!/usr/bin/env node
// The CLI entry: the compiled src/cli.ts (npm install runs `tsc` through the prepare script).
import { main } from '../dist/src/cli.js';

// Ctrl-C stops a load cleanly (in-flight COPYs are aborted, the summary says what was committed, exit 130);
// a second Ctrl-C exits at once.
const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\ngen: stopping (Ctrl-C again to quit at once)...\n');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});
process.once('SIGTERM', () => controller.abort());

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
});
