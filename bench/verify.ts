/**
 * Verify vs load (issue 9 §3): `gen` loads a window into a scratch schema, then `gen verify` checks it; both
 * run as child processes, whole commands (start-up, schema and all), timed the same way. The load's peak RSS
 * is one of the memory figures (bench/memory.ts). verify is stopped after VERIFY_TIMEOUT_FACTOR times the load.
 */
import pg from 'pg';
import { dropSchema } from '../src/load/drop-schema.js';
import { LEDGER_TABLE } from '../src/load/ledger.js';
import { qualified } from '../src/model/ddl.js';
import { type MeasuredRun, runGen, type Window, windowArgs } from './memory.js';
import type { BenchServer } from './servers.js';
import { fmt, ratio, secs } from './util.js';

/** Issue 9 §3: gen verify takes at most 1.5x the load it checks. */
const VERIFY_GOAL = 1.5;
const VERIFY_TIMEOUT_FACTOR = 10;

export interface LoadVerify {
  server: BenchServer;
  window: Window;
  rows: number;
  load: MeasuredRun;
  verify: MeasuredRun;
}

export async function loadAndVerify(server: BenchServer, w: Window, schema: string): Promise<LoadVerify> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await dropSchema(client, schema);
    await client.query('CHECKPOINT');
    const target = ['--schema', schema, '--quiet'];
    const load = await runGen([...windowArgs(w), ...target], { db: server.url });
    if (load.code !== 0) throw new Error(`gen exited ${load.code}: ${load.stderr.slice(-600)}`);
    const r = await client.query<{ n: string }>(`select sum(rows) n from ${qualified(schema, LEDGER_TABLE)}`);
    const rows = Number(r.rows[0]?.n ?? 0);
    const verify = await runGen(['verify', ...windowArgs(w), ...target], {
      timeoutMs: VERIFY_TIMEOUT_FACTOR * load.ms,
      db: server.url,
    });
    const v = verify.ms / load.ms;
    const outcome = verify.timedOut
      ? `stopped after ${secs(verify.ms)} s (${VERIFY_TIMEOUT_FACTOR}x the load): NOT met`
      : verify.code === 0
        ? `${ratio(verify.ms, load.ms)} (${v <= VERIFY_GOAL ? 'met' : 'NOT met'})`
        : `exit ${verify.code} (${verify.code === 1 ? 'differences found' : 'failed'}: ${lastLine(verify)})`;
    console.log(
      `PostgreSQL ${server.name}, scale ${w.scale}, ${w.hours} h, ${fmt(rows)} rows: gen ${secs(load.ms)} s ` +
        `(client CPU ${load.cpuMs === undefined ? '?' : `${secs(load.cpuMs)} s`}), ` +
        `gen verify ${secs(verify.ms)} s; goal verify <= ${VERIFY_GOAL}x the load: ${outcome}`,
    );
    return { server, window: w, rows, load, verify };
  } finally {
    await dropSchema(client, schema).catch(() => undefined);
    await client.end();
  }
}

function lastLine(r: MeasuredRun): string {
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
  return lines.at(-1)?.slice(0, 300) ?? 'no output';
}
