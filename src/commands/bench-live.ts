/**
 * gen bench --live: the same live run (issue 7 §2) once per partition layout, each in its own schema, one after
 * the other so they do not compete for the server; then one comparison table (report/live-layouts-text.ts).
 */
import { connect } from '../db/connection.js';
import { EXIT, interruptedExit, UserError } from '../errors.js';
import type { Plan } from '../generate/index.js';
import { toLiveReport } from '../live/report.js';
import { DEFAULT_PIPELINE_DEPTH, runLive } from '../live/run.js';
import {
  LAG_P99_MS,
  playProbe,
  rewindLive,
  type SpeedProbe,
  searchSpeed,
  sustainedSpeed,
} from '../live/speed-search.js';
import type { Layout } from '../model/layout.js';
import { plural } from '../plural.js';
import { formatLiveLayoutComparison } from '../report/live-layouts-text.js';
import { liveProgressLines } from '../report/live-text.js';
import type { LiveLayoutResult, MaxSpeed } from '../report/types.js';
import { clockNow, EMBEDDED_HINT, type Io, resolveServer } from './common.js';
import { dashboardClientsFlag, numericFlag, scenarioFromFlags } from './flags.js';
import { checkRetention, DEFAULT_WRITERS, dashboardsDuringPlay } from './live.js';
import { type OutputArgs, reportFrame, wantsOutputs, writeOutputs } from './outputs.js';

/**
 * A comparison, not a soak: black-friday's two busiest hours (the doorbusters at midnight) at a speed the
 * hourly layout keeps up with on a 2-core machine (it plays ~100-140 transactions/s there while other work
 * runs; these hours at speed 20 ask ~80/s), so the figures compare layouts rather than a backlog.
 */
export const LIVE_DEFAULTS = { hours: 2, speed: 20, premake: 4, clients: 2 } as const;

/** wall seconds a speed probe plays at most (as npm run bench's live part, bench/live.ts) */
export const PROBE_SECONDS = 30;
/** probes per layout at most: doubling from 20 reaches 640 in 6, then 4 bisect steps */
const MAX_PROBES = 10;
const BISECT_STEPS = 4;
/** the window lasts at least probeSeconds / MIN_PLAY_SHARE at every speed probed */
const MIN_PLAY_SHARE = 3;

/** gen bench's flags for --live (no yargs defaults: given without --live, they are refused). */
export const liveBenchOptions = {
  live: {
    type: 'boolean',
    default: false,
    describe: `play the scenario live in each layout (as gen live) instead of loading it in bulk (default --hours ${LIVE_DEFAULTS.hours})`,
  },
  speed: {
    type: 'number',
    describe: `with --live: scenario seconds per wall second (default ${LIVE_DEFAULTS.speed})`,
  },
  writers: {
    type: 'number',
    describe: `with --live: connections executing transactions (default ${DEFAULT_WRITERS})`,
  },
  'pipeline-depth': {
    type: 'number',
    describe: `with --live: transactions a writer has in flight (default ${DEFAULT_PIPELINE_DEPTH}; 1: one at a time)`,
  },
  premake: {
    type: 'number',
    describe: `with --live: hours of partitions kept made ahead (default ${LIVE_DEFAULTS.premake})`,
  },
  retention: {
    type: 'number',
    describe: 'with --live: detach and drop event-table partitions older than this many scenario hours',
  },
  'find-speed': {
    type: 'boolean',
    describe: `with --live: then find each layout's highest speed with lag p99 under 1 s (probes from --speed, doubling, then bisecting)`,
  },
  'probe-seconds': {
    type: 'number',
    describe: `with --find-speed: wall seconds a probe plays at most (default ${PROBE_SECONDS}); no probe is faster than the window lasting a third of it`,
  },
} as const;

interface BenchArgs extends OutputArgs {
  live: boolean;
  speed?: number | undefined;
  writers?: number | undefined;
  pipelineDepth?: number | undefined;
  premake?: number | undefined;
  retention?: number | undefined;
  findSpeed?: boolean | undefined;
  probeSeconds?: number | undefined;
  clients?: number | undefined;
  duration?: number | undefined;
  paramSeed?: number | undefined;
  jobs?: number | undefined;
  quiet: boolean;
  db?: string | undefined;
  scenario: string;
  hours?: number | undefined;
  scale?: number | undefined;
  seed?: number | undefined;
  start?: string | undefined;
}

/** A flag of one mode given in the other is a mistake worth one line, not a silent no-op. */
function refuse(flags: [string, unknown][], why: string): void {
  const given = flags.find(([, v]) => v !== undefined);
  if (given) throw new UserError(`--${given[0]}: ${why}`);
}

export function refuseLiveFlags(a: BenchArgs): void {
  refuse(
    [
      ['speed', a.speed],
      ['writers', a.writers],
      ['pipeline-depth', a.pipelineDepth],
      ['premake', a.premake],
      ['retention', a.retention],
      ['find-speed', a.findSpeed],
      ['probe-seconds', a.probeSeconds],
    ],
    'only with --live',
  );
}

/** gen bench --live: checks its flags, plays each layout, prints the comparison, writes the reports. */
export async function runLiveBench(
  a: BenchArgs,
  layouts: Layout[],
  { prefix, schemaOf }: { prefix: string; schemaOf: (l: Layout) => string },
  { argv, io }: { argv: string[]; io: Io },
): Promise<number> {
  const say = (s: string): void => {
    io.stderr.write(`${s}\n`);
  };
  refuse(
    [
      ['duration', a.duration],
      ['param-seed', a.paramSeed],
      ['jobs', a.jobs],
    ],
    'not used with --live (a live run lasts its window divided by --speed; dashboards draw from the scenario seed)',
  );
  const speed = numericFlag('speed', a.speed) ?? LIVE_DEFAULTS.speed;
  const writers = numericFlag('writers', a.writers) ?? DEFAULT_WRITERS;
  const pipelineDepth = numericFlag('pipeline-depth', a.pipelineDepth) ?? DEFAULT_PIPELINE_DEPTH;
  const premakeHours = numericFlag('premake', a.premake) ?? LIVE_DEFAULTS.premake;
  const retentionHours = numericFlag('retention', a.retention) ?? null;
  const clients = dashboardClientsFlag(a.clients, LIVE_DEFAULTS.clients);
  // resolved once: every layout plays the same window
  const { scenario, plan } = scenarioFromFlags(
    { ...a, hours: a.hours ?? LIVE_DEFAULTS.hours },
    { now: clockNow(io) },
  );
  checkRetention(scenario, retentionHours);
  const findSpeed = a.findSpeed === true;
  const probeSeconds = numericFlag('probe-seconds', a.probeSeconds) ?? PROBE_SECONDS;
  if (!findSpeed && a.probeSeconds !== undefined)
    throw new UserError('--probe-seconds: only with --find-speed');
  if (findSpeed && retentionHours !== null)
    throw new UserError(
      '--find-speed: not with --retention (each probe plays the window from its start, whose partitions the retention drops)',
    );
  for (const l of layouts) schemaOf(l);
  const server = await resolveServer(a.db, io);
  say(
    `gen bench --live: ${scenario.name}, ${plural(scenario.hours, 'hour')} at speed ${speed}, ${plural(writers, 'writer')}, ` +
      `${plural(clients, 'dashboard client')}, layouts ${layouts.map((l) => l.name).join(', ')} -> ${server.where}`,
  );
  const { results, finished } = await benchLive({
    plan,
    seed: scenario.seed,
    url: server.url,
    layouts,
    schemaOf,
    speed,
    writers,
    pipelineDepth,
    premakeHours,
    retentionHours,
    clients,
    ...(findSpeed ? { findSpeed: { probeSeconds, maxProbes: MAX_PROBES } } : {}),
    quiet: a.quiet,
    io,
  });
  io.stdout.write(`${formatLiveLayoutComparison(results)}\n`);
  const failed = results.flatMap((r) =>
    Object.entries(r.live.errors).map(([k, n]) => `${r.layout} ${k} ${n}`),
  );
  // a comparison, not a check: failed transactions are listed, the exit code stays 0
  if (failed.length > 0) io.stdout.write(`\ntransactions that failed: ${failed.join(', ')}\n`);
  if (wantsOutputs(a)) {
    const report = await reportFrame(argv, scenario, server.url, prefix);
    report.liveLayouts = results;
    await writeOutputs(a, report, say);
  }
  if (!finished) {
    say(
      `gen bench: stopped during ${results[results.length - 1]?.layout ?? 'the first layout'}; the table shows what was played`,
    );
    return interruptedExit(io.signal);
  }
  if (server.embedded) io.stdout.write(`\n${EMBEDDED_HINT}\n`);
  return EXIT.ok;
}

export interface LiveBenchOptions {
  plan: Plan;
  seed: number;
  url: string;
  layouts: Layout[];
  /** the schema of each layout */
  schemaOf: (l: Layout) => string;
  speed: number;
  writers: number;
  /** transactions a writer has in flight */
  pipelineDepth: number;
  premakeHours: number;
  retentionHours: number | null;
  /** dashboard clients running the query suite meanwhile (0: none) */
  clients: number;
  /** after each layout's run, the highest speed it sustains (speed-search.ts): probes of at most probeSeconds */
  findSpeed?: { probeSeconds: number; maxProbes: number };
  quiet: boolean;
  io: Io;
}

/** The layouts played in order; stops after the one an interrupt (io.signal) cut short. */
export async function benchLive(
  o: LiveBenchOptions,
): Promise<{ results: LiveLayoutResult[]; finished: boolean }> {
  const say = (s: string): void => {
    o.io.stderr.write(`${s}\n`);
  };
  const results: LiveLayoutResult[] = [];
  for (const layout of o.layouts) {
    const schema = o.schemaOf(layout);
    say(`gen bench: ${layout.name}: playing live into ${schema}...`);
    const dashboards = dashboardsDuringPlay({
      url: o.url,
      schema,
      clients: o.clients,
      seed: o.seed,
      windowStart: o.plan.start,
    });
    const progressLine = liveProgressLines();
    const r = await runLive({
      plan: o.plan,
      url: o.url,
      schema,
      layout,
      speed: o.speed,
      writers: o.writers,
      pipelineDepth: o.pipelineDepth,
      premakeHours: o.premakeHours,
      retentionHours: o.retentionHours,
      // each layout starts afresh: a bench compares whole runs, never a resumed one
      reset: true,
      ...(o.io.signal ? { signal: o.io.signal } : {}),
      progressEveryMs: 5000,
      onProgress: (p) => {
        if (!o.quiet) say(`gen bench: ${layout.name}: ${progressLine(p)}`);
      },
      ...dashboards.hooks,
    }).finally(() => dashboards.stop());
    const live = toLiveReport(r, {
      follow: false,
      realTime: false,
      speed: o.speed,
      writers: o.writers,
      pipelineDepth: o.pipelineDepth,
      premakeHours: o.premakeHours,
      retentionHours: o.retentionHours,
    });
    const queried = await dashboards.report();
    if (queried) live.dashboards = queried;
    const result: LiveLayoutResult = { layout: layout.name, schema, live };
    results.push(result);
    if (!r.finished) return { results, finished: false };
    if (o.findSpeed) {
      result.maxSpeed = await findSpeed(o, layout, schema, o.findSpeed);
      if (o.io.signal?.aborted) return { results, finished: false };
    }
  }
  return { results, finished: true };
}

/**
 * The highest speed a layout sustains: probes from the run's --speed (speed-search.ts), each playing the window
 * from its start again (the schema rewound to its snapshot) for at most `probeSeconds`, without dashboards. No
 * probe is faster than the window lasting a third of a probe: faster, the whole window is due at once and its
 * lag measures how long a backlog takes to drain, not a rate kept up (black-friday --scale 0.2, one hour:
 * "passing" at speed 4,800, the hour played in 0.75 s). The schema is left as the last probe left it.
 */
async function findSpeed(
  o: LiveBenchOptions,
  layout: Layout,
  schema: string,
  limits: { probeSeconds: number; maxProbes: number },
): Promise<MaxSpeed> {
  const say = (s: string): void => {
    if (!o.quiet) o.io.stderr.write(`${s}\n`);
  };
  say(`gen bench: ${layout.name}: finding the highest speed with lag p99 under ${LAG_P99_MS / 1000} s...`);
  // the window lasting at least a third of a probe
  const speedCap = Math.max(1, Math.floor((o.plan.hours * 3600) / (limits.probeSeconds / MIN_PLAY_SHARE)));
  const admin = await connect(o.url);
  try {
    const probes = await searchSpeed(
      o.speed,
      async (speed): Promise<SpeedProbe | undefined> => {
        if (o.io.signal?.aborted) return undefined;
        await rewindLive(admin, schema, o.plan);
        const run = {
          plan: o.plan,
          url: o.url,
          schema,
          layout,
          writers: o.writers,
          premakeHours: o.premakeHours,
        };
        const { probe: p } = await playProbe(
          { ...run, pipelineDepth: o.pipelineDepth },
          speed,
          limits.probeSeconds,
          {
            signal: o.io.signal,
          },
        );
        if (o.io.signal?.aborted) return undefined;
        say(
          `gen bench: ${layout.name}: probe speed ${speed}: ${p.pass ? 'pass' : 'FAIL'}, lag p99 ${(p.lagP99Ms / 1000).toFixed(2)} s, ` +
            `${p.tps.toFixed(0)} transactions/s over ${p.playS.toFixed(1)} s${p.whole ? ' (the whole window)' : ''}, ${plural(p.errors, 'error')}`,
        );
        return p;
      },
      { maxProbes: limits.maxProbes, bisectSteps: BISECT_STEPS, maxSpeed: speedCap },
    );
    const { speed, failedAt } = sustainedSpeed(probes);
    return { speed, failedAt, speedCap, lagP99Ms: LAG_P99_MS, probeSeconds: limits.probeSeconds, probes };
  } finally {
    await admin.end().catch(() => undefined);
  }
}
