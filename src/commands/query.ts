/** gen query: the query suite's pruning checks, then N concurrent clients, optionally with a load running. */
import { join } from 'node:path';
import { withClient } from '../db/connection.js';
import { EXIT, errorMessage, interruptedExit, stopName, UserError } from '../errors.js';
import { runLoad } from '../load/index.js';
import { loadedScenario } from '../load/ledger.js';
import { plural } from '../plural.js';
import {
  DEFAULT_DURATION_MS,
  loadSuite,
  requireQueryable,
  runQueryCommand,
  selectQueries,
  writePgbenchSuite,
} from '../query/index.js';
import { toLoadReport } from '../report/load-report.js';
import { formatQueryRun } from '../report/query-text.js';
import { defineCommand } from './command.js';
import { clockNow, resolveServer } from './common.js';
import { arrivalsFlag, jobsFlag, listFlag, numericFlag, scenarioFromFlags, schemaFlag } from './flags.js';
import { dbOption, jobsOption, outputOptions, scenarioOptions, schemaOption } from './options.js';
import { reportFrame, wantsOutputs, writeOutputs } from './outputs.js';
import { whyUnwritable } from './paths.js';

export const queryCommand = defineCommand({
  command: 'query',
  describe: 'the query suite on a loaded schema: pruning proved with EXPLAIN, then concurrent clients',
  builder: (y) =>
    y
      .options(dbOption)
      .options(schemaOption('the loaded schema to query'))
      .options({
        clients: { type: 'number', describe: 'concurrent clients, one connection each (default 4)' },
        duration: {
          type: 'number',
          describe: 'seconds of load (default 10, unless --count is given; with both, whichever ends first)',
        },
        count: {
          type: 'number',
          describe: 'stop after this many queries in all (with --duration, whichever ends first)',
        },
        rate: {
          type: 'number',
          describe: 'target queries/s over all clients; latency from the scheduled start',
        },
        arrivals: {
          type: 'string',
          describe:
            'with --rate: even (default: evenly spaced) or poisson (exponential gaps, as pgbench -R: the same mean rate, with bursts)',
        },
        queries: { type: 'string', describe: 'comma-separated query names (default: all)' },
        'last-hours': { type: 'number', describe: 'N of the "last N hours" queries (default 2)' },
        'param-seed': { type: 'number', describe: 'seed of the parameter draw (default 1)' },
        pgbench: {
          type: 'string',
          describe: 'write the suite as pgbench scripts (and run.sh) into this directory; runs no queries',
        },
        'with-load': {
          type: 'boolean',
          default: false,
          describe: 'load --scenario into <schema>_mixed_load meanwhile',
        },
      })
      .options(scenarioOptions())
      .options(jobsOption('parallel chunks of the --with-load load'))
      .options(outputOptions),
  run: async (a, { argv, io }) => {
    const say = (s: string): void => {
      io.stderr.write(`${s}\n`);
    };
    const schema = schemaFlag(a.schema);
    const clients = numericFlag('clients', a.clients) ?? 4;
    const durationS = numericFlag('duration', a.duration);
    const count = numericFlag('count', a.count);
    const rate = numericFlag('rate', a.rate);
    const arrivals = arrivalsFlag(a.arrivals, rate);
    const lastHours = numericFlag('last-hours', a.lastHours);
    const seed = numericFlag('param-seed', a.paramSeed) ?? 1;
    const queries = a.queries === undefined ? undefined : listFlag(a.queries);
    // a typo is refused before the header line, as every flag is: one line
    if (queries !== undefined) selectQueries(loadSuite(), queries);
    if (a.pgbench !== undefined) {
      if (arrivals !== undefined) {
        throw new UserError(
          `--arrivals: "${arrivals}" is not allowed with --pgbench; expected no --arrivals there (pgbench -R always draws Poisson arrivals: gen query --rate N --arrivals poisson matches them)`,
        );
      }
      if (a.pgbench === '' || a.withLoad || wantsOutputs(a)) {
        throw new UserError(
          `--pgbench: "${a.pgbench}" is not allowed${a.pgbench === '' ? '' : ' with --with-load, --json or --html'}; ` +
            'expected a directory, and no query run (--pgbench writes scripts only)',
        );
      }
      const problem = whyUnwritable(a.pgbench, 'folder');
      if (problem !== null)
        throw new UserError(
          `--pgbench: "${a.pgbench}" cannot be written (${problem}); expected a directory to write the scripts into`,
        );
      const server = await resolveServer(a.db, io);
      const { paths } = await writePgbenchSuite({
        url: server.url,
        schema,
        seed,
        dir: a.pgbench,
        clients,
        durationS: durationS ?? DEFAULT_DURATION_MS / 1000,
        ...(rate !== undefined ? { rate } : {}),
        ...(queries ? { queries } : {}),
        ...(lastHours !== undefined ? { lastHours } : {}),
      });
      io.stdout.write(`${paths.join('\n')}\n`);
      say(
        `gen query: wrote ${paths.length} files for schema ${schema}; replay with ${join(a.pgbench, 'run.sh')} [DB URL]`,
      );
      return EXIT.ok;
    }
    // the mixed mode loads the scenario into a scratch schema while the queries run
    // (a scratch schema loaded with reset: a relative --start is the current clock's)
    const mixed = a.withLoad
      ? { ...scenarioFromFlags(a, { now: clockNow(io) }), jobs: jobsFlag(a.jobs) }
      : undefined;
    const server = await resolveServer(a.db, io);
    // a schema with nothing to query is refused before the header: one line
    await withClient(server.url, (c) => requireQueryable(c, schema));
    say(
      `gen query: ${plural(clients, 'client')} on schema ${schema} -> ${server.where}${mixed ? `, with a load of ${mixed.scenario.name} running` : ''}`,
    );
    const mixedSchema = `${schema}_mixed_load`;
    const loading = mixed
      ? runLoad({
          plan: mixed.plan,
          target: { kind: 'db', url: server.url, schema: mixedSchema },
          jobs: mixed.jobs,
          reset: true,
          ...(io.signal ? { signal: io.signal } : {}),
        })
      : undefined;
    const querying = runQueryCommand({
      url: server.url,
      schema,
      clients,
      seed,
      ...(durationS !== undefined ? { durationMs: durationS * 1000 } : {}),
      ...(count !== undefined ? { count } : {}),
      ...(rate !== undefined ? { rate } : {}),
      ...(arrivals !== undefined ? { arrivals } : {}),
      ...(queries ? { queries } : {}),
      ...(lastHours !== undefined ? { lastHours } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    // wait for both, so a failing query run never leaves the load running with nobody to see its outcome
    const [q, l] = await Promise.allSettled([querying, loading]);
    if (io.signal?.aborted && q.status === 'fulfilled') {
      // k6's way: what ran is reported, then the stop's exit code
      io.stdout.write(`${formatQueryRun(q.value)}\n`);
      if (l.status === 'rejected') say(`gen query: the load into ${mixedSchema}: ${errorMessage(l.reason)}`);
      say(`gen query: stopped by ${stopName(io.signal)}; the figures above are the queries that finished`);
      return interruptedExit(io.signal);
    }
    if (q.status === 'rejected') throw q.reason;
    if (l.status === 'rejected') throw l.reason;
    const result = q.value;
    const load = l.value;
    io.stdout.write(`${formatQueryRun(result)}\n`);
    if (load) {
      io.stdout.write(
        `\nmeanwhile loaded ${load.rows.toLocaleString('en-US')} rows into ${mixedSchema} at ` +
          `${Math.round(load.rows / ((load.wallMs - load.ddlMs) / 1000)).toLocaleString('en-US')} rows/s\n`,
      );
    }
    if (wantsOutputs(a)) {
      // the report describes the data queried: the scenario the schema was loaded with
      const loaded = await withClient(server.url, (c) => loadedScenario(c, schema));
      if (!loaded)
        throw new UserError(
          `schema "${schema}" was not loaded by gen; load it first: gen --schema ${schema}`,
        );
      const report = await reportFrame(argv, loaded, server.url, schema);
      report.queries = result.report;
      if (load) report.load = toLoadReport(load, mixedSchema);
      await writeOutputs(a, report, say);
    }
    // a pruning claim that failed (or a query that errored) is a finding, like a difference gen verify finds
    return result.ok ? EXIT.ok : EXIT.differences;
  },
});
