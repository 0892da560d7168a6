/** What every command shares: the output streams and finding the server to talk to. */
import type { Writable } from 'node:stream';
import {
  connectWhenUp,
  describeServer,
  noteSource,
  redactUrl,
  resolveConnectionString,
  withClient,
} from '../db/connection.js';
import { EnvironmentError } from '../errors.js';
import { followMismatch, liveRunStarted } from '../live/progress.js';
import { runBusyError, schemaHolds } from '../load/coop.js';
import { liveClock, loadedOtherWay, loadedScenario, runIdentity, schemaClaim } from '../load/ledger.js';
import type { Layout } from '../model/layout.js';
import { type ChosenScenario, type ScenarioFlags, scenarioFromFlags } from './flags.js';

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  /** a terminal's width in columns, when it is one */
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** aborted on Ctrl-C: long commands stop cleanly */
  signal?: AbortSignal;
  /** the clock for `--start now` (epoch ms; Date.now when absent): tests pass their own */
  now?: () => number;
}

/** The time a command resolves `--start now...` against: read once per command, at its start. */
export function clockNow(io: Io): number {
  return io.now ? io.now() : Date.now();
}

/** declarative partitioning with primary keys and partition pruning as gen uses them */
const MIN_SERVER_VERSION = 140000;

export interface Server {
  url: string;
  /** for people: version, where, and how the URL was found; no password */
  where: string;
  embedded: boolean;
  version: string;
}

/**
 * --db, DATABASE_URL, PG*, else the embedded server. Connects once and checks the version, so a bad URL is
 * one clear line before anything is written.
 */
export async function resolveServer(db: string | undefined, io: Io): Promise<Server> {
  const given = resolveConnectionString({ ...(db !== undefined ? { db } : {}), env: io.env });
  let url: string;
  let where: string;
  if (given) {
    url = given.url;
    where = `${redactUrl(url)} (from ${given.source})`;
  } else {
    // loaded only here: the embedded server is an optional dependency (the Docker image has none), and a run
    // given --db must not depend on it
    const { ensureEmbedded } = await import('../db/embedded/index.js');
    const e = await ensureEmbedded();
    url = e.url;
    noteSource(url, 'embedded');
    where = `${redactUrl(url)} (embedded${e.started ? ', started' : ''})`;
  }
  // a server still starting (57P03) is waited for: gen started with the database, in a container or a script
  const client = await connectWhenUp(url, {
    ...(io.signal ? { signal: io.signal } : {}),
    onWait: (line) => io.stderr.write(`gen: ${line}\n`),
  });
  try {
    const v = await describeServer(client);
    if (v.versionNum < MIN_SERVER_VERSION) {
      throw new EnvironmentError(`${redactUrl(url)} runs PostgreSQL ${v.version}; gen needs 14 or later`);
    }
    return {
      url,
      where: `PostgreSQL ${v.version} at ${where}`,
      embedded: given === null,
      version: v.version,
    };
  } finally {
    await client.end();
  }
}

export const EMBEDDED_HINT =
  'The embedded server keeps running. Connect: psql "$(npm run -s gen -- db url)"; stop it: npm run gen -- db stop';

/** The one row a query returns by construction (an aggregate, a one-row table): none is a bug, not a user error. */
export function onlyRow<R>(rows: readonly R[], what: string): R {
  const [row] = rows;
  if (row === undefined) throw new Error(`${what} returned no row`);
  return row;
}

/**
 * The run a load (bulk or live) makes in `schema`, read before the command says anything, so that what the
 * set-up would refuse later is refused in one line: a schema holding another run, or this run loaded the other
 * way (bulk or live), or one another process holds right now (exit 3, busy: gen live plays a schema alone, and
 * --reset needs it alone). A re-run of `--start now-72h` continues the window the schema's run started; with
 * --reset the schema will be dropped and a relative start is resolved afresh.
 */
export async function runInSchema(
  a: ScenarioFlags & { reset: boolean },
  o: {
    url: string;
    schema: string;
    layout: Layout;
    now: number;
    chosen: ChosenScenario;
    mode: 'bulk' | 'live';
    /** gen live --follow given: a run played the other way is refused here, before anything is said */
    follow?: boolean;
  },
): Promise<ChosenScenario> {
  const busy = (): EnvironmentError =>
    runBusyError(o.schema, o.mode === 'live' ? 'live' : a.reset ? 'reset' : 'bulk');
  return withClient(o.url, async (c) => {
    const holds = await schemaHolds(c, o.schema);
    // gen live and --reset take the run lock alone: any other holder turns them away (as setUp does)
    if ((o.mode === 'live' || a.reset) && holds.run !== null) throw busy();
    if (a.reset) return o.chosen;
    const run =
      o.chosen.scenario.startFrom === undefined
        ? o.chosen
        : scenarioFromFlags(a, { now: o.now, recorded: await loadedScenario(c, o.schema) });
    // another process sets the schema up (a --reset of it may be replacing what it holds): setUp waits and decides
    if (holds.settingUp) return run;
    // an exclusive holder not setting the schema up is a gen live playing it
    if (holds.run === 'exclusive') throw busy();
    await schemaClaim(c, o.schema, runIdentity(run.plan, o.layout), false);
    const otherWay = await loadedOtherWay(c, o.schema, o.mode);
    if (otherWay !== null) throw otherWay;
    if (o.follow !== undefined) {
      const live = await liveClock(c, o.schema);
      // here, before anything is said; readState checks again in the set-up transaction (two processes racing)
      const began = live !== null && liveRunStarted({ ...live, resumeFrom: live.clock }, run.plan.start);
      if (began && live.follow !== o.follow) throw followMismatch(o.schema, live.follow);
    }
    return run;
  });
}
