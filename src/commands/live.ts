/** gen live: the scenario played as a running shop — business transactions in scenario time (src/live/). */
import { cpus } from 'node:os';
import { EXIT, interruptedExit, UserError } from '../errors.js';
import { KEPT_TABLES } from '../live/partitions.js';
import { toLiveReport } from '../live/report.js';
import { DEFAULT_PIPELINE_DEPTH, type LiveOptions, type LiveResult, runLive } from '../live/run.js';
import type { Layout } from '../model/layout.js';
import { TABLE_NAMES } from '../model/tables.js';
import { plural } from '../plural.js';
import { type DashboardOptions, type DashboardReport, runDashboards } from '../query/dashboards.js';
import {
  formatLiveSummary,
  liveProgressBlocks,
  liveProgressLines,
  redrawBlock,
} from '../report/live-text.js';
import { type MetricsServer, parseMetricsAddress, serveMetrics } from '../report/metrics-endpoint.js';
import { formatServerSide } from '../report/server-text.js';
import { listScenarios } from '../scenario/index.js';
import { loadLayout } from '../scenario/layout-file.js';
import type { Scenario } from '../scenario/types.js';
import { defineCommand } from './command.js';
import { clockNow, EMBEDDED_HINT, resolveServer, runInSchema } from './common.js';
import { dashboardClientsFlag, describeStart, numericFlag, scenarioFromFlags, schemaFlag } from './flags.js';
import {
  dbOption,
  metricsPortOption,
  outputOptions,
  quietOption,
  scenarioOptions,
  schemaOption,
  targetOptions,
} from './options.js';
import { reportFrame, wantsOutputs, writeOutputs } from './outputs.js';

export const DEFAULT_WRITERS = Math.max(2, 2 * cpus().length);

/**
 * gen live's --retention on its layout: one that partitions no event table (none) has nothing to retire, and the
 * run kept every row, silently. (gen bench --live compares layouts: its default list has none, whose run then
 * shows what keeping everything costs; not refused there.)
 */
export function checkRetentionLayout(retentionHours: number | null, layout: Layout): void {
  if (retentionHours === null) return;
  if (TABLE_NAMES.every((t) => KEPT_TABLES.has(t) || layout.granularity[t] === 'none'))
    throw new UserError(
      `--retention: layout "${layout.name}" partitions none of the event tables, so nothing can be retired; expected a partitioned layout (hourly, daily), or no --retention`,
    );
}

/** --retention below the scenario's longest reference delay would drop partitions later changes land in. */
export function checkRetention(scenario: Scenario, retentionHours: number | null): void {
  if (retentionHours === null) return;
  const d = scenario.distributions;
  const longest = Math.max(d.refundDelayHours.max, d.reviewDelayHours.max);
  if (retentionHours < longest) {
    throw new UserError(
      `--retention: ${retentionHours} is not allowed for scenario ${scenario.name}; expected at least ${longest} hours, its longest reference delay (refunds, reviews), so no change lands in a dropped partition`,
    );
  }
}

/**
 * `--clients N` dashboards alongside a live run (gen live, gen bench --live): started when play starts, with its
 * clock; stopped when play stops, before the run commits its last transactions, reads statistics and writes
 * reports (queries then would count as under load, at the hour the clock holds), or when the run fails. `hooks`
 * go to runLive; `report()` once it returned (a failure at the start is reported then).
 */
export function dashboardsDuringPlay(o: Omit<DashboardOptions, 'clock' | 'signal'>): {
  hooks: Pick<LiveOptions, 'onPlay' | 'onPlayEnd'>;
  stop(): void;
  report(): Promise<DashboardReport | undefined>;
} {
  const stop = new AbortController();
  let dashboards: Promise<DashboardReport> | undefined;
  return {
    hooks:
      o.clients > 0
        ? {
            onPlay: (clock) => {
              dashboards = runDashboards({ ...o, clock, signal: stop.signal });
              dashboards.catch(() => undefined);
            },
            onPlayEnd: () => stop.abort(),
          }
        : {},
    stop: () => stop.abort(),
    report: async () => (dashboards ? await dashboards : undefined),
  };
}

export const liveCommand = defineCommand({
  command: 'live',
  describe:
    'play the scenario against the database in scenario time: business transactions, partitions made and retired under load',
  builder: (y) =>
    y
      .options(scenarioOptions(`name (${listScenarios().join(', ')}) or path to a .yaml file`))
      .options(dbOption)
      .options(schemaOption('target schema'))
      .options({
        speed: {
          type: 'number',
          describe:
            'scenario seconds per wall second (default 60: an hour a minute); with --start now-...: real time, what is past played at once',
        },
        follow: {
          type: 'boolean',
          default: false,
          describe: 'keep playing past the window end, indefinitely (with --retention: a rolling window)',
        },
        writers: {
          type: 'number',
          describe: `connections executing transactions (default: 2 per core, ${DEFAULT_WRITERS})`,
        },
        'pipeline-depth': {
          type: 'number',
          describe: `transactions a writer has in flight: the next is sent while the one before commits (default ${DEFAULT_PIPELINE_DEPTH}; 1: one at a time)`,
        },
        premake: {
          type: 'number',
          default: 4,
          describe: 'hours of partitions kept made ahead of the scenario clock',
        },
        retention: {
          type: 'number',
          describe: 'detach and drop event-table partitions older than this many scenario hours',
        },
        clients: {
          type: 'number',
          describe: 'dashboard clients running the query suite meanwhile, relative to the scenario clock',
        },
      })
      .options(metricsPortOption)
      .options(targetOptions)
      .options(quietOption)
      .options(outputOptions),
  run: async (a, { argv, io }) => {
    const say = (s: string): void => {
      io.stderr.write(`${s}\n`);
    };
    const schema = schemaFlag(a.schema);
    const speedFlag = numericFlag('speed', a.speed);
    const speed = speedFlag ?? 60;
    const writers = numericFlag('writers', a.writers) ?? DEFAULT_WRITERS;
    const pipelineDepth = numericFlag('pipeline-depth', a.pipelineDepth) ?? DEFAULT_PIPELINE_DEPTH;
    const premakeHours = numericFlag('premake', a.premake) ?? 4;
    const retentionHours = numericFlag('retention', a.retention) ?? null;
    const clients = dashboardClientsFlag(a.clients, 0);
    const now = clockNow(io);
    // checked before connecting; a relative start may still become the recorded run's below
    let chosen = scenarioFromFlags(a, { now });
    const metricsAt = a.metricsPort === undefined ? undefined : parseMetricsAddress(a.metricsPort);
    const layout = loadLayout(a.layout, '--layout');
    checkRetention(chosen.scenario, retentionHours);
    checkRetentionLayout(retentionHours, layout);
    const server = await resolveServer(a.db, io);
    chosen = await runInSchema(a, {
      url: server.url,
      schema,
      layout,
      now,
      chosen,
      mode: 'live',
      follow: a.follow === true,
    });
    const { scenario, plan } = chosen;
    // a window relative to now, without --speed: real time, the hours already past played at once
    const realTime = scenario.startFrom !== undefined && speedFlag === undefined;
    // bound before the header: a port that is taken is refused in one line (the run's schema is set up, empty)
    const endpoint: MetricsServer | undefined =
      metricsAt === undefined ? undefined : await serveMetrics(metricsAt.port, metricsAt.host);
    say(
      `gen live: scenario ${scenario.name} (seed ${scenario.seed}, scale ${scenario.scale}), ${plural(scenario.hours, 'hour')} from ` +
        `${describeStart(chosen)} ${realTime ? 'in real time' : `at speed ${speed}`}${a.follow ? ', following' : ''}, ${plural(writers, 'writer')}${pipelineDepth === 1 ? '' : ` (${pipelineDepth} transactions in flight each)`}${clients > 0 ? `, ${plural(clients, 'dashboard client')}` : ''} -> ${server.where}, schema ${schema}`,
    );
    const tty = io.stderr.isTTY === true;
    let result: LiveResult;
    const dashboards = dashboardsDuringPlay({
      url: server.url,
      schema,
      clients,
      seed: scenario.seed,
      windowStart: plan.start,
      onQuery: (name, ms) => endpoint?.metrics.query(name, ms),
    });
    const progressLine = liveProgressLines();
    // on a terminal, a block redrawn in place: the progress line and a line per transaction type
    const progressBlock = liveProgressBlocks();
    let shown = 0;
    try {
      if (endpoint !== undefined) say(`gen live: metrics at ${endpoint.url}`);
      const m = endpoint?.metrics;
      result = await runLive({
        plan,
        url: server.url,
        schema,
        layout,
        speed,
        writers,
        pipelineDepth,
        premakeHours,
        retentionHours,
        realTime,
        follow: a.follow,
        reset: a.reset,
        ...(io.signal ? { signal: io.signal } : {}),
        onStep: (line) => {
          if (!a.quiet) say(`gen live: ${line}`);
        },
        // before play (the snapshot, the first hours generated) the clock is where play will start, not 1970
        onResumeFrom: (time) => m?.scenarioClock(time),
        onProgress: (p) => {
          m?.scenarioClock(p.clock);
          m?.lag(p.lagMs);
          m?.partitionsAhead(p.aheadHours);
          if (a.quiet) return;
          if (tty) {
            const lines = progressBlock(p);
            io.stderr.write(redrawBlock(shown, lines, io.stderr.columns));
            shown = lines.length;
          } else say(progressLine(p));
        },
        progressEveryMs: m ? 1000 : tty ? 1000 : 5000,
        ...(m
          ? {
              onTransaction: (type, ms, late, rows) => {
                m.transaction(type, ms, late);
                for (const [t, n] of rows) m.rows(t, n);
              },
              onError: (type, kind) => m.error(type, kind),
              onMaintenance: (e) => m.maintenance(e.op, e.ms, e.waitedMs ?? 0),
            }
          : {}),
        ...dashboards.hooks,
      });
    } finally {
      dashboards.stop();
      await endpoint?.close();
    }
    if (tty && !a.quiet) io.stderr.write('\n');
    const report = toLiveReport(result, {
      speed: realTime ? 1 : speed,
      writers,
      pipelineDepth,
      premakeHours,
      retentionHours,
      follow: a.follow,
      realTime,
    });
    const queried = await dashboards.report();
    if (queried) report.dashboards = queried;
    if (result.alreadyDone)
      io.stdout.write(`nothing to do: this run is already played in schema ${schema}\n`);
    else {
      io.stdout.write(`${formatLiveSummary(report)}\n`);
      if (result.serverSide) io.stdout.write(`${formatServerSide(result.serverSide)}\n`);
    }
    if (wantsOutputs(a)) {
      const frame = await reportFrame(argv, scenario, server.url, `schema ${schema}`);
      frame.live = report;
      await writeOutputs(a, frame, say);
    }
    if (!result.finished) {
      say('gen live: stopped; run the same command again to continue where the committed transactions end');
      return interruptedExit(io.signal);
    }
    if (server.embedded) io.stdout.write(`\n${EMBEDDED_HINT}\n`);
    return EXIT.ok;
  },
});
