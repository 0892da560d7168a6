#!/usr/bin/env node
// The CLI entry: the compiled src/cli.ts (npm install runs `tsc` through the prepare script).
import { runProcess } from '../dist/src/cli.js';

runProcess();
