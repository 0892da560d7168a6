/**
 * bin/gen.js's restart with glibc malloc settings (src/malloc-restart.ts), through a stand-in script that
 * restarts the same way: the working process has the settings, the exit code and signals pass through, and
 * GEN_NO_MALLOC_ENV keeps one process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EARLY_STOP, MALLOC_ENV, MALLOC_RESTART_OPT_OUT } from '../../src/malloc-restart.js';

const glibc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header
  ?.glibcVersionRuntime;

/** what the stand-in's working process saw: the settings it started with, and in its environment now */
interface Seen {
  pid: number;
  mmap?: string;
  trim?: string;
  mmapNow?: string;
  trimNow?: string;
}

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
  /** resolves once the working process printed `line` */
  printed(line: string): Promise<void>;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const clean = { ...process.env };
  for (const k of [...Object.keys(MALLOC_ENV), MALLOC_RESTART_OPT_OUT]) delete clean[k];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/integration/malloc-restart-child.ts', ...args],
    {
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const waiting: { line: string; resolve: () => void }[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiting) if (out.includes(w.line)) w.resolve();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })),
  );
  const printed = (line: string): Promise<void> =>
    new Promise((resolve) => {
      if (out.includes(line)) resolve();
      else waiting.push({ line, resolve });
    });
  return { child, done, printed };
}

describe.skipIf(glibc === undefined)('gen restarted with malloc settings (Linux, glibc)', () => {
  it('the working process is a child with the settings; with the opt-out it is the process itself', async () => {
    const p = run(['env']);
    const r = await p.done;
    expect(r.code).toBe(0);
    const seen = JSON.parse(r.out) as Seen;
    expect(seen.pid).not.toBe(p.child.pid);
    expect(seen.mmap).toBe(MALLOC_ENV.MALLOC_MMAP_THRESHOLD_);
    expect(seen.trim).toBe(MALLOC_ENV.MALLOC_TRIM_THRESHOLD_);
    // gone from its environment once read: the embedded PostgreSQL it starts does not get them
    expect(seen.mmapNow).toBeUndefined();
    expect(seen.trimNow).toBeUndefined();

    // a setting the user has is theirs: kept, and still in the environment of what gen starts
    const u = JSON.parse((await run(['env'], { MALLOC_MMAP_THRESHOLD_: '4096' }).done).out) as Seen;
    expect(u).toMatchObject({ mmap: '4096', mmapNow: '4096', trim: MALLOC_ENV.MALLOC_TRIM_THRESHOLD_ });
    expect(u.trimNow).toBeUndefined();

    const o = run(['env'], { [MALLOC_RESTART_OPT_OUT]: '1' });
    const alone = JSON.parse((await o.done).out) as { pid: number; mmap?: string };
    expect(alone.pid).toBe(o.child.pid);
    expect(alone.mmap).toBeUndefined();
  });

  it("the child's exit code is the parent's; killed by a signal, the parent ends by the same", async () => {
    expect((await run(['exit', '7']).done).code).toBe(7);
    const killed = await run(['kill']).done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.err).toBe('');
    // SIGINT ends the child by the signal only before it has a listener: the parent says gen never started
    const early = await run(['interrupt']).done;
    expect(early.signal).toBe('SIGINT');
    expect(early.err).toBe(`${EARLY_STOP}\n`);
  });

  it('SIGKILL of the parent (which passes nothing on): the child stops as on SIGTERM, not on alone', async () => {
    const p = run(['wait']);
    await p.printed('ready');
    p.child.kill('SIGKILL');
    // 'close' waits for the child too: it holds the same stdout
    const r = await p.done;
    expect(r.signal).toBe('SIGKILL');
    expect(r.out).toContain('SIGTERM');
  });

  it.each([
    ['SIGTERM', 143, 'SIGTERM'],
    ['SIGINT', 130, 'SIGINT x1'],
  ] as const)('%s sent to the parent reaches the child once (exit %i)', async (signal, code, line) => {
    const p = run(['wait']);
    await p.printed('ready');
    p.child.kill(signal);
    const r = await p.done;
    expect(r.out).toContain(line);
    expect(r.code).toBe(code);
  });
});
