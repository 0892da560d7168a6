/**
 * `gen sql | head -1`: the reader of gen's output goes away. gen's output is for people; the work goes on and
 * nothing crashes with a stack trace (src/cli.ts runProcess). No database: `gen sql` prints the DDL.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('gen whose stdout reader has gone', () => {
  it('finishes without an EPIPE stack trace, exit 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/gen-process.ts', 'sql'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // the read end closed before gen writes a byte: its first write fails with EPIPE
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
