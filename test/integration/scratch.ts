/**
 * What integration test files share: the schemas a file makes on the test server (each name suffixed, all
 * dropped after the file) with one admin connection, and `gen` as a child process to signal and kill.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { ident } from '../../src/model/ddl.js';

export interface Scratch {
  /** the admin connection (open between beforeAll and afterAll) */
  admin(): pg.Client;
  /** a fresh schema name for this file, `<prefix>_<name>_<suffix>`, dropped after the file */
  schema(name: string): string;
  /** the chunks committed in schema s's ledger */
  committedChunks(s: string): Promise<number>;
  /** resolves once schema s's ledger holds at least n committed chunks (a load under way) */
  waitForChunks(s: string, n: number, timeoutMs?: number): Promise<void>;
}

/** Registers the file's beforeAll/afterAll: one admin connection, its schemas dropped at the end. */
export function scratchSchemas(url: string, prefix: string): Scratch {
  const suffix = randomBytes(3).toString('hex');
  const schemas: string[] = [];
  let client: pg.Client | undefined;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterAll(async () => {
    for (const s of schemas) await client?.query(`DROP SCHEMA IF EXISTS ${ident(s)} CASCADE`);
    await client?.end();
  });
  const admin = (): pg.Client => {
    if (!client) throw new Error('the admin connection opens in beforeAll');
    return client;
  };
  const committedChunks = async (s: string): Promise<number> => {
    const r = await admin().query<{ n: string }>(`select count(*) n from ${ident(s)}._gen_ledger`);
    return Number(r.rows[0]?.n);
  };
  return {
    admin,
    schema: (name) => {
      const s = `${prefix}_${name}_${suffix}`;
      schemas.push(s);
      return s;
    },
    committedChunks,
    waitForChunks: async (s, n, timeoutMs = 60_000) => {
      const t0 = Date.now();
      for (;;) {
        const got = await committedChunks(s).catch(() => 0);
        if (got >= n) return;
        if (Date.now() - t0 > timeoutMs) throw new Error(`only ${got} chunks committed in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

export interface GenRun {
  code: number | null;
  signal: string | null;
  out: string;
  err: string;
}

/** `gen` as its own process, from the TypeScript sources (gen-process.ts), so a test can signal or kill it. */
export function genProcess(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<GenRun> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/gen-process.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<GenRun>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { child, done };
}
