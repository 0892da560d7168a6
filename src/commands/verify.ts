/**
 * gen verify: does the schema hold exactly what the scenario generates? The load ledger, row counts and
 * checksums per chunk, then the integrity checks (references, partition bounds, partition_key, totals,
 * rollups). Exit code 1 on any difference.
 */
import { withClient } from '../db/connection.js';
import { EXIT, UserError } from '../errors.js';
import { listChunks, planEnd } from '../generate/index.js';
import { liveClock, liveRetiredBefore, loadedScenario, RUN_TABLE, runIdentity } from '../load/ledger.js';
import { qualified } from '../model/ddl.js';
import { type Layout, layoutPartitionsOf } from '../model/layout.js';
import { layoutNames, loadLayout } from '../scenario/layout-file.js';
import {
  type ChunkVerdict,
  checksOnAPart,
  type IntegrityResult,
  retiredBounds,
  runIntegrityChecksConcurrently,
  verifyChunks,
} from '../verify/index.js';
import { defineCommand } from './command.js';
import { clockNow, onlyRow, resolveServer } from './common.js';
import { jobsFlag, scenarioFromFlags, schemaFlag } from './flags.js';
import {
  dbOption,
  jobsOption,
  outputOptions,
  quietOption,
  scenarioOptions,
  schemaOption,
} from './options.js';
import { secs, slowest, verifyProgress, writeVerifyJson } from './verify-output.js';

/**
 * The layout a schema was loaded with, by its recorded name: a built-in or shipped one. A layout file is
 * recorded by its name only: without --layout, say so rather than blame a --layout not given.
 */
function loadRecordedLayout(name: string, schema: string): Layout {
  if (!layoutNames().includes(name))
    throw new UserError(
      `schema "${schema}" was loaded with layout "${name}" from a file; expected --layout with that file's path`,
    );
  return loadLayout(name, '--layout');
}

export const verifyCommand = defineCommand({
  command: 'verify',
  describe: 'check a loaded schema against the scenario: ledger, counts, checksums and integrity checks',
  builder: (y) =>
    y
      .options(scenarioOptions())
      .options(dbOption)
      .options(schemaOption('the loaded schema'))
      .options({
        layout: { type: 'string', describe: 'the layout it was loaded with (default: as recorded)' },
      })
      .options(jobsOption('chunks checked in parallel, and integrity checks run at once meanwhile'))
      .options({ json: outputOptions.json })
      .options(quietOption),
  run: async (a, { io }) => {
    const say = (s: string): void => {
      io.stderr.write(`${s}\n`);
    };
    const schema = schemaFlag(a.schema);
    const jobs = jobsFlag(a.jobs);
    const now = clockNow(io);
    scenarioFromFlags(a, { now }); // bad flags are one line before connecting
    const server = await resolveServer(a.db, io);
    const recorded = await withClient(server.url, async (c) => {
      const s = await loadedScenario(c, schema);
      if (!s) return null;
      const r = await c.query<{ fingerprint: string; description: string }>(
        `select fingerprint, description from ${qualified(schema, RUN_TABLE)}`,
      );
      // gen live --retention: the partitions it retired are gone, not different (their chunks are left out)
      const retiredBefore = await liveRetiredBefore(c, schema);
      const tables =
        retiredBefore === null
          ? null
          : await c.query<{ name: string }>(
              `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = $1 and c.relkind in ('r', 'p')`,
              [schema],
            );
      return {
        scenario: s,
        ...onlyRow(r.rows, RUN_TABLE),
        live: await liveClock(c, schema),
        retiredBefore,
        existing: new Set(tables?.rows.map((x) => x.name)),
      };
    });
    if (!recorded)
      throw new UserError(
        `schema "${schema}" holds no load by gen (no ${RUN_TABLE} table); nothing to verify`,
      );
    // `--start now-72h` on a schema loaded with now-72h means the window that load resolved
    const chosen = scenarioFromFlags(a, { now, recorded: recorded.scenario });
    const { plan } = chosen;
    const layout =
      a.layout !== undefined
        ? loadLayout(a.layout, '--layout')
        : loadRecordedLayout(recorded.scenario.layout, schema);
    const id = runIdentity(plan, layout);
    if (id.fingerprint !== recorded.fingerprint) {
      io.stdout.write(
        `schema "${schema}" holds another run: ${recorded.description}\n` +
          `the flags describe:                ${id.description}\n` +
          (recorded.description === id.description
            ? "described alike: the scenario or layout file's contents (or gen's data version) differ from the load's\n"
            : '') +
          'give verify the same scenario flags (and --layout) as the load\n',
      );
      return EXIT.differences;
    }
    // a gen live run short of its window's end (stopped, or --follow, which never ends) is not the scenario's
    // window: compared, each of its chunks and most checks would differ, which says nothing
    if (recorded.live !== null && !recorded.live.finished) {
      const clock = new Date(recorded.live.clock).toISOString();
      const past = recorded.live.clock > planEnd(plan);
      io.stdout.write(
        recorded.live.follow || past
          ? `schema "${schema}" is played by gen live --follow (its clock at ${clock}${past ? ", past the window's end" : ''}): a followed run never ends, and verify compares a finished window; nothing compared\n`
          : `schema "${schema}" holds a gen live run short of its window's end (its clock at ${clock}): run the same gen live command again to finish it, then verify; nothing compared\n`,
      );
      if (a.json !== undefined) say(`gen verify: ${a.json} not written (nothing compared)`);
      return EXIT.differences;
    }
    say(`gen verify: ${id.description} in schema ${schema} -> ${server.where}`);
    const { retiredBefore, existing } = recorded;
    const all = listChunks(plan);
    const retired = (c: (typeof all)[number]): boolean =>
      retiredBefore !== null && c.partition.to <= retiredBefore && !existing.has(c.partition.name);
    const chunks = all.filter((c) => !retired(c));
    // integrity: references, bounds, partition_key, totals, rollups, recomputed in SQL on what is there. With
    // tables retired in part, those that still hold on what is left (placement, ids, references into the kept
    // tables, checks of the kept tables alone or of each row against them, and of rows written at one time when
    // their tables were retired up to the same time): the others compare against rows that are gone
    const partial = new Set(all.filter(retired).map((c) => c.partition.table.name));
    const { run: checks, left } = checksOnAPart(
      schema,
      { start: plan.start, hours: plan.hours },
      partial,
      retiredBounds(all, retired),
    );
    const progress = verifyProgress(chunks.length, checks.length);
    const tty = io.stderr.isTTY === true;
    const timer = a.quiet
      ? undefined
      : setInterval(
          () => {
            if (tty) io.stderr.write(`\r${progress.line()}\u001b[K`);
            else say(progress.line());
          },
          tty ? 500 : 5000,
        );
    // The two phases at once: the chunk phase is mostly the client's (generation, hashing) and the checks only
    // the server's, and the checks only read, so they need not wait for the chunks (issue 9 §3).
    const t0 = performance.now();
    const timed = async <T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> => {
      const value = await f();
      return { value, ms: performance.now() - t0 };
    };
    let chunkPhase: { value: ChunkVerdict[]; ms: number };
    let checkPhase: { value: IntegrityResult[]; ms: number };
    try {
      [chunkPhase, checkPhase] = await Promise.all([
        timed(() =>
          verifyChunks({
            url: server.url,
            schema,
            plan,
            chunks,
            jobs,
            onChunk: progress.chunkDone,
            ...(io.signal ? { signal: io.signal } : {}),
          }),
        ),
        timed(() =>
          runIntegrityChecksConcurrently(server.url, checks, {
            jobs,
            sample: 3,
            onStart: progress.checkStarted,
            onCheck: progress.checkDone,
            ...(io.signal ? { signal: io.signal } : {}),
          }),
        ),
      ]);
    } finally {
      if (timer) clearInterval(timer);
      if (tty && !a.quiet) io.stderr.write('\n');
    }
    const totalMs = performance.now() - t0;
    const verdicts = chunkPhase.value;
    const bad = verdicts.filter((v) => !v.ok);
    const rows = verdicts.reduce((n, v) => n + v.actualRows, 0);
    // a chunk is named by its hourly (or daily) partition name; where the layout's partition is another (a day's
    // leaf in a daily layout, the table in an unpartitioned one), that one is named beside it
    const byName = new Map(chunks.map((c) => [c.partition.name, c]));
    const end = planEnd(plan);
    const where = (name: string): string => {
      const c = byName.get(name);
      const leaves = c === undefined ? [] : layoutPartitionsOf(layout, c, plan.start, end);
      return leaves.length === 1 && leaves[0] !== name ? ` (in ${leaves[0]})` : '';
    };
    for (const v of bad.slice(0, 20))
      io.stdout.write(`DIFF ${v.partition}${where(v.partition)}: ${v.problem}\n`);
    if (bad.length > 20) io.stdout.write(`... and ${bad.length - 20} more chunks differ\n`);
    // chunks, named as the ledger names them: a table's hour (an hourly layout's partition; in a daily one, an
    // hour of a day's partition), a metric table's hour or day
    io.stdout.write(
      `${chunks.length - bad.length}/${chunks.length} chunks (a table's hour or day each) match the scenario (${rows.toLocaleString('en-US')} rows: ledger, counts, checksums)\n`,
    );
    const retiredAt = retiredBefore === null ? '' : new Date(retiredBefore).toISOString();
    if (retiredBefore !== null)
      io.stdout.write(
        `${all.length - chunks.length} chunks retired by gen live --retention (partitions ending at or before ${retiredAt}): not compared\n`,
      );
    if (left.length > 0)
      io.stdout.write(
        `${left.length} integrity checks not run: they need rows gen live --retention retired (hours up to ${retiredAt} of ${[...partial].sort().join(', ')})\n`,
      );
    const results = checkPhase.value;
    const failed = results.filter((r) => !r.ok);
    for (const r of failed) {
      io.stdout.write(
        `FAIL ${r.name}: ${r.offending} offending rows (${r.description}); e.g. ${JSON.stringify(r.sample[0])}\n`,
      );
    }
    if (checks.length > 0) {
      io.stdout.write(`${results.length - failed.length}/${results.length} integrity checks pass\n`);
      io.stdout.write(
        `in ${secs(totalMs)} s: chunks ${secs(chunkPhase.ms)} s and checks ${secs(checkPhase.ms)} s at once, ` +
          `${jobs} connections each; slowest checks: ${slowest(results, 5)}\n`,
      );
    } else io.stdout.write(`in ${secs(totalMs)} s, ${jobs} connections\n`);
    if (a.json !== undefined) {
      await writeVerifyJson(a.json, {
        schema,
        run: id.description,
        jobs,
        totalMs,
        chunks: {
          total: chunks.length,
          retired: all.length - chunks.length,
          ok: chunks.length - bad.length,
          rows,
          ms: chunkPhase.ms,
          differing: bad.map((v) => ({ partition: v.partition, problem: v.problem ?? '' })),
        },
        checks: {
          ...(left.length === 0
            ? {}
            : {
                notRun: `gen live --retention retired the hours up to ${retiredAt}: ${left.length} checks need them`,
                left,
              }),
          total: results.length,
          ok: results.length - failed.length,
          ms: checkPhase.ms,
          results: results.map((r) => ({ name: r.name, ok: r.ok, offending: r.offending, ms: r.ms })),
        },
      });
      say(`gen verify: wrote ${a.json}`);
    }
    return bad.length === 0 && failed.length === 0 ? EXIT.ok : EXIT.differences;
  },
});
