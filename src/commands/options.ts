/**
 * The option groups several commands share, declared once. Each command lists them in its builder; yargs
 * infers the argument types from these declarations (hence `as const`), so no command casts its arguments.
 * The order in which a builder adds them is the order of its --help.
 */
import { DEFAULT_SCHEMA } from '../model/ddl.js';
import { layoutNames } from '../scenario/layout-file.js';

/** --db: where to connect. */
export const dbOption = {
  db: { type: 'string', describe: 'postgres URL (else DATABASE_URL, PG*, or the embedded server)' },
} as const;

/** --scenario --hours --scale --seed --start: what to generate (checked by scenarioFromFlags). */
export function scenarioOptions(scenarioHelp = 'scenario name or path to a .yaml file') {
  return {
    scenario: { type: 'string', default: 'black-friday', describe: scenarioHelp },
    hours: { type: 'number', describe: "hours of the window (default: the scenario's)" },
    scale: { type: 'number', describe: 'multiply volumes (population and rates)' },
    seed: { type: 'number', describe: "override the scenario's seed" },
    start: {
      type: 'string',
      describe:
        'move the window: hour-aligned UTC (2026-11-27T00:00:00Z, 2026-11-27), or now, now-72h, now-3d, now+2h (the current UTC hour; resolved once, recorded with the load: a re-run means the same window)',
    },
  } as const;
}

/** --json --html: the run's results for scripts and for people. */
export const outputOptions = {
  json: { type: 'string', describe: 'write the results as JSON to this file' },
  html: { type: 'string', describe: 'write a self-contained HTML report to this file' },
} as const;

/** --jobs: chunks in parallel (checked by jobsFlag); what they do depends on the command. */
export function jobsOption(describe: string) {
  return { jobs: { type: 'number', describe } } as const;
}

/** --schema: the schema a command writes or reads. */
export function schemaOption(describe?: string) {
  return {
    schema: { type: 'string', default: DEFAULT_SCHEMA, ...(describe !== undefined ? { describe } : {}) },
  } as const;
}

/** a load's target in the schema: a run there already, and the partition layout (gen, gen live) */
export const targetOptions = {
  reset: {
    type: 'boolean',
    default: false,
    describe: 'drop the schema first, whatever run it holds (not with --shard)',
  },
  layout: {
    type: 'string',
    default: 'hourly',
    describe: `partition layout: ${layoutNames().join(', ')}, or a layout file`,
  },
} as const;

/** --quiet: no progress lines on stderr. */
export const quietOption = {
  quiet: { type: 'boolean', default: false, describe: 'no progress lines' },
} as const;

/** --metrics-port: Prometheus/OpenMetrics at /metrics while the command runs (checked by parseMetricsAddress). */
export const metricsPortOption = {
  'metrics-port': {
    type: 'string',
    describe:
      'serve metrics for Prometheus at http://127.0.0.1:PORT/metrics while it runs (0: a free port; host:port)',
  },
} as const;

/** --shard K/N: this process's share of the run's chunks (checked by shardFlag). */
export const shardOption = {
  shard: {
    type: 'string',
    describe:
      "load (or write with --out) only shard K of N of the run's chunks, balanced by rows: 1/3, 2/3 and 3/3 on three machines make one run; JOB_COMPLETION_INDEX/N takes K from that variable (0-based, Kubernetes Indexed Job)",
  },
} as const;
