/** gen query: the query suite's pruning checks, then N concurrent clients, optionally with a load running. */
import { withClient } from '../db/connection.js';
import { UserError } from '../errors.js';
import { runLoad } from '../load/index.js';
import { loadedScenario } from '../load/ledger.js';
import { runQueryCommand } from '../query/index.js';
import { toLoadReport } from '../report/load-report.js';
import { formatQueryRun } from '../report/query-text.js';
import type { Io } from './common.js';
import { intFlag, numFlag, resolveServer, schemaFlag } from './common.js';
import { jobsFlag, type ScenarioArgs, scenarioFromArgs } from './load.js';
import { type OutputArgs, reportFrame, writeOutputs } from './outputs.js';

export interface QueryArgs extends OutputArgs, ScenarioArgs {
  db?: string;
  schema: string;
  clients?: number;
  duration?: number;
  count?: number;
  rate?: number;
  queries?: string;
  'last-hours'?: number;
  'param-seed'?: number;
  'with-load': boolean;
  jobs?: number;
}

export async function queryCommand(a: QueryArgs, argv: string[], io: Io): Promise<number> {
  const say = (s: string): void => {
    io.stderr.write(`${s}\n`);
  };
  const schema = schemaFlag(a.schema);
  const clients = intFlag('clients', a.clients, 1, 256) ?? 4;
  const durationS = numFlag('duration', a.duration, 0.1, 86_400);
  const count = intFlag('count', a.count, 1, 100_000_000);
  const rate = numFlag('rate', a.rate, 0.001, 1_000_000);
  const lastHours = intFlag('last-hours', a['last-hours'], 1, 8760);
  const seed = intFlag('param-seed', a['param-seed'], 0, 4294967295) ?? 1;
  const queries = a.queries
    ?.split(',')
    .map((q) => q.trim())
    .filter((q) => q !== '');
  // the mixed mode loads the scenario into a scratch schema while the queries run
  const mixed = a['with-load'] ? scenarioFromArgs(a) : undefined;
  const server = await resolveServer(a.db, io);
  say(
    `gen query: ${clients} clients on schema ${schema} -> ${server.where}${mixed ? `, with a load of ${mixed.scenario.name} running` : ''}`,
  );
  const mixedSchema = `${schema}_mixed_load`;
  const loading = mixed
    ? runLoad({
        plan: mixed.plan,
        target: { kind: 'db', url: server.url, schema: mixedSchema },
        jobs: jobsFlag(a.jobs),
        reset: true,
      })
    : undefined;
  const result = await runQueryCommand({
    url: server.url,
    schema,
    clients,
    seed,
    ...(durationS !== undefined ? { durationMs: durationS * 1000 } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(rate !== undefined ? { rate } : {}),
    ...(queries ? { queries } : {}),
    ...(lastHours !== undefined ? { lastHours } : {}),
  });
  const load = loading ? await loading : undefined;
  io.stdout.write(`${formatQueryRun(result)}\n`);
  if (load) {
    io.stdout.write(
      `\nmeanwhile loaded ${load.rows.toLocaleString('en-US')} rows into ${mixedSchema} at ` +
        `${Math.round(load.rows / ((load.wallMs - load.ddlMs) / 1000)).toLocaleString('en-US')} rows/s\n`,
    );
  }
  if (a.json !== undefined || a.html !== undefined) {
    // the report describes the data queried: the scenario the schema was loaded with
    const loaded = await withClient(server.url, (c) => loadedScenario(c, schema));
    if (!loaded)
      throw new UserError(`schema "${schema}" was not loaded by gen; load it first: gen --schema ${schema}`);
    const report = await reportFrame(argv, loaded, server.url, schema);
    report.queries = result.report;
    if (load) report.load = toLoadReport(load, mixedSchema);
    await writeOutputs(a, report, say);
  }
  return result.ok ? 0 : 1;
}
