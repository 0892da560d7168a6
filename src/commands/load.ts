/** gen (the default command): a scenario, generated and loaded (or written as CSV files with --out). */
import { EXIT, interruptedExit, UserError } from '../errors.js';
import { listChunks, loadChunks } from '../generate/index.js';
import { LoadAborted, runLoad } from '../load/index.js';
import { describeShard, shardOf } from '../load/shard.js';
import type { LoadSummary } from '../load/stats.js';
import { plural } from '../plural.js';
import { toLoadReport } from '../report/load-report.js';
import { type MetricsServer, parseMetricsAddress, serveMetrics } from '../report/metrics-endpoint.js';
import { formatProgress, formatSummary } from '../report/terminal.js';
import { listScenarios } from '../scenario/index.js';
import { loadLayout } from '../scenario/layout-file.js';
import { defineCommand } from './command.js';
import { clockNow, EMBEDDED_HINT, resolveServer, runInSchema } from './common.js';
import {
  copyFormatFlag,
  describeStart,
  jobsFlag,
  refuseTooManyPartitions,
  scenarioFromFlags,
  schemaFlag,
  shardFlag,
} from './flags.js';
import {
  dbOption,
  jobsOption,
  metricsPortOption,
  outputOptions,
  quietOption,
  scenarioOptions,
  schemaOption,
  shardOption,
  targetOptions,
} from './options.js';
import { dataProfile, reportFrame, wantsOutputs, writeOutputs } from './outputs.js';
import { checkOutFolder } from './paths.js';

export const loadCommand = defineCommand({
  command: '$0',
  describe: 'generate a scenario and load it (or write CSV files with --out)',
  builder: (y) =>
    y
      .options(scenarioOptions(`name (${listScenarios().join(', ')}) or path to a .yaml file`))
      .options(jobsOption('chunks loaded in parallel (default: 2 per core, at most 8)'))
      .options(dbOption)
      .options(schemaOption('target schema'))
      .options({
        out: {
          type: 'string',
          describe: 'write one CSV file per partition into this folder instead of loading',
        },
        'copy-format': {
          type: 'string',
          default: 'binary',
          describe: 'how rows go to the server: binary (COPY FORMAT binary) or csv (as --out writes them)',
        },
      })
      .options(shardOption)
      .options(targetOptions)
      .options({
        analyze: {
          type: 'boolean',
          default: true,
          describe: 'VACUUM (ANALYZE) the loaded tables afterwards (--no-analyze: leave them to autovacuum)',
        },
      })
      .options(metricsPortOption)
      .options(quietOption)
      .options(outputOptions),
  run: async (a, { argv, io }) => {
    const say = (s: string): void => {
      io.stderr.write(`${s}\n`);
    };
    const jobs = jobsFlag(a.jobs);
    const schema = schemaFlag(a.schema);
    const copyFormat = copyFormatFlag(a.copyFormat);
    const now = clockNow(io);
    // checked before connecting; a relative start may still become the recorded run's below
    let chosen = scenarioFromFlags(a, { now });
    const layout = loadLayout(a.layout, '--layout');
    const metricsAt = a.metricsPort === undefined ? undefined : parseMetricsAddress(a.metricsPort);
    // checked before connecting (again below: a recorded start may move the window's daily partitions)
    // a database commits slices of the big population chunks (src/generate/slices.ts); a file holds a partition
    const chunksOf = a.out === undefined ? loadChunks : listChunks;
    shardFlag(a.shard, io.env, chunksOf(chosen.plan).length);
    // --reset drops the schema whatever run it holds, this one too: given to each shard, a shard that starts after
    // another committed its chunks drops them, and every process still exits 0 (a helper's run: verify 44/89)
    if (a.reset && a.shard !== undefined && a.out === undefined)
      throw new UserError(
        '--reset: not with --shard, where each process would drop the chunks the others committed; expected --reset in one run before the shards start (or DROP SCHEMA), and the shards without it',
      );

    let target: Parameters<typeof runLoad>[0]['target'];
    let where: string;
    let url: string | undefined;
    let embedded = false;
    if (a.out !== undefined) {
      // the files are the hourly layout's partitions whatever --layout says: said, not ignored
      if (layout.name !== 'hourly')
        throw new UserError(
          `--layout: ${layout.name} is not used with --out, which writes a file per partition of the hourly layout; expected no --layout (gen sql --partitions prints those partitions' DDL)`,
        );
      checkOutFolder(a.out, new Set(listChunks(chosen.plan).map((c) => `${c.partition.name}.csv`)));
      target = { kind: 'dir', dir: a.out };
      where = a.out;
    } else {
      refuseTooManyPartitions(chosen.scenario, layout);
      const server = await resolveServer(a.db, io);
      url = server.url;
      embedded = server.embedded;
      target = { kind: 'db', url, schema };
      chosen = await runInSchema(a, { url, schema, layout, now, chosen, mode: 'bulk' });
      where = `${server.where}, schema ${schema}${layout.name === 'hourly' ? '' : `, layout ${layout.name}`}`;
    }
    const { scenario, plan } = chosen;
    // checked again on the recorded run's chunks (a recorded start may move the daily partitions), before the
    // endpoint is bound: nothing may throw between binding it and the try that closes it
    const runChunks = chunksOf(plan);
    const shard = shardFlag(a.shard, io.env, runChunks.length);
    const mine = shard === undefined ? undefined : shardOf(plan, runChunks, shard.k, shard.n);
    const chunks = mine?.chunks;
    // bound before the header: a port that is taken is refused in one line
    const endpoint: MetricsServer | undefined =
      metricsAt === undefined ? undefined : await serveMetrics(metricsAt.port, metricsAt.host);
    say(
      `gen: scenario ${scenario.name} (seed ${scenario.seed}, scale ${scenario.scale}), ${plural(scenario.hours, 'hour')} from ` +
        `${describeStart(chosen)}, ${plural(jobs, 'job')} -> ${where}`,
    );
    if (shard !== undefined && mine !== undefined)
      say(`gen: ${describeShard(mine, shard.k, shard.n, runChunks.length)}`);
    const tty = io.stderr.isTTY === true;
    if (endpoint !== undefined) say(`gen: metrics at ${endpoint.url}`);
    const metrics = endpoint?.metrics;
    // the scenario clock of a bulk load: the latest partition start being loaded (chunks go hour-major)
    let clock = Number.NEGATIVE_INFINITY;
    let summary: LoadSummary;
    try {
      summary = await runLoad({
        plan,
        target,
        jobs,
        layout,
        copyFormat,
        reset: a.reset,
        analyze: a.analyze,
        ...(chunks ? { chunks } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
        onRetry: (partition, attempt, e) => say(`gen: ${partition}: ${e.message}; retrying (${attempt})`),
        ...(metrics
          ? {
              onChunkStart: (c) => {
                if (c.partition.from <= clock) return;
                clock = c.partition.from;
                metrics.scenarioClock(clock);
              },
              onChunkDone: (c, rows) => metrics.rows(c.partition.table.name, rows),
            }
          : {}),
        ...(a.quiet
          ? {}
          : {
              onProgress: (p) => {
                if (tty) io.stderr.write(`\r${formatProgress(p)}\u001b[K`);
                else say(formatProgress(p));
              },
              progressEveryMs: tty ? 500 : 5000,
            }),
      });
    } catch (e) {
      if (tty && !a.quiet) io.stderr.write('\n');
      if (e instanceof LoadAborted) {
        say(`gen: ${e.message}; run the same command again to finish`);
        return interruptedExit(io.signal);
      }
      throw e;
    } finally {
      await endpoint?.close();
    }
    if (tty && !a.quiet) io.stderr.write('\n');
    if (summary.skipped === summary.chunksTotal) {
      // an earlier run stopped after its last chunk, before its VACUUM (ANALYZE): this one did that
      io.stdout.write(
        summary.analyzeMs === undefined
          ? `nothing to do: all ${summary.chunksTotal} chunks of this run are already loaded in ${summary.target}\n`
          : `all ${summary.chunksTotal} chunks of this run were already loaded in ${summary.target}; finished what the run before left: VACUUM (ANALYZE) of the schema's tables in ${(summary.analyzeMs / 1000).toFixed(2)} s\n`,
      );
    } else {
      if (summary.skipped > 0) {
        io.stdout.write(
          `resumed: ${summary.skipped} of ${summary.chunksTotal} chunks were already loaded; loaded the rest\n`,
        );
      }
      io.stdout.write(`${formatSummary(summary)}\n`);
    }
    if (wantsOutputs(a)) {
      const report = await reportFrame(argv, scenario, url, summary.target);
      report.load = toLoadReport(summary, target.kind === 'db' ? schema : summary.target);
      // after the load and timed apart from it: what the rows look like (CSV files have no SQL to ask)
      if (url !== undefined) report.profile = await dataProfile(url, schema, plan, say, io.signal);
      await writeOutputs(a, report, say);
    }
    if (embedded) io.stdout.write(`\n${EMBEDDED_HINT}\n`);
    return EXIT.ok;
  },
});
