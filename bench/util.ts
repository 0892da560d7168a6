/** Small helpers the parts of `npm run bench` share: medians, number formats, tables, child processes. */
import { spawn } from 'node:child_process';
import { textTable } from '../src/report/text-table.js';

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  // the middle value, or the mean of the two middle ones
  const lo = s[Math.ceil(s.length / 2) - 1];
  const hi = s[Math.floor(s.length / 2)];
  if (lo === undefined || hi === undefined) throw new Error('median of no values');
  return (lo + hi) / 2;
};

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const secs = (ms: number): string => (ms / 1000).toFixed(2);
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

export function printTable(rows: string[][]): void {
  console.log(textTable(rows, (i) => i !== 0));
}

export interface ChildResult {
  code: number | null;
  /** wall time from spawn to exit */
  ms: number;
  stdout: string;
  stderr: string;
  /** killed after timeoutMs */
  timedOut: boolean;
}

/** Runs a program to its end, stdout and stderr kept (the last 64 kB of each); never rejects on exit codes. */
export function runChild(
  cmd: string,
  args: string[],
  o: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env });
    let stdout = '';
    let stderr = '';
    const keep = (s: string, d: Buffer): string => (s + d.toString()).slice(-65536);
    p.stdout.on('data', (d: Buffer) => {
      stdout = keep(stdout, d);
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr = keep(stderr, d);
    });
    let timedOut = false;
    const timer =
      o.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            p.kill('SIGINT');
          }, o.timeoutMs);
    p.on('error', reject);
    p.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, ms: performance.now() - t0, stdout, stderr, timedOut });
    });
  });
}

/** Runs a program that must succeed; rejects with its exit code and the end of its stderr. */
export async function mustRun(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const r = await runChild(cmd, args, env === undefined ? {} : { env });
  if (r.code !== 0) throw new Error(`${cmd} exited ${r.code}: ${r.stderr.slice(-600)}`);
  return r.ms;
}

/**
 * A server URL for a libpq program the bench starts (psql, pgbench): the URL without its password, and an
 * environment that has the password in PGPASSWORD. A command line is visible to every user of the machine (`ps`);
 * a process's environment only to its owner.
 */
export function libpqTarget(url: string): { conninfo: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  if (u.password === '') return { conninfo: url, env: process.env };
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { conninfo: u.toString(), env: { ...process.env, PGPASSWORD: password } };
}

/**
 * Rows and bytes of a chunk's generator, drained: the rows are the count it returns (what it wrote), so nothing
 * reads the bytes a second time.
 */
export function drain(gen: Generator<Buffer, number>): { rows: number; bytes: number } {
  let bytes = 0;
  for (let r = gen.next(); ; r = gen.next()) {
    if (r.done) return { rows: r.value, bytes };
    bytes += r.value.length;
  }
}
