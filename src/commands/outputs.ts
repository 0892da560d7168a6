/** --json FILE and --html FILE: the run's results for scripts and for people. */
import { resolve } from 'node:path';
import { connect, redactUrl } from '../db/connection.js';
import { readServerInfo } from '../db/server-info.js';
import { Stopped, UserError } from '../errors.js';
import type { Plan } from '../generate/plan.js';
import { toolInfo } from '../package-root.js';
import { type DataProfile, runProfile } from '../query/profile.js';
import { renderHtml } from '../report/html/index.js';
import { writeJsonReport, writeReportFile } from '../report/json.js';
import type { RunReport } from '../report/types.js';
import type { Scenario } from '../scenario/types.js';
import { whyUnwritable } from './paths.js';

export interface OutputArgs {
  json?: string;
  html?: string;
}

export function wantsOutputs(a: OutputArgs): boolean {
  return a.json !== undefined || a.html !== undefined;
}

/**
 * --json and --html checked before the run, not after it: a report that cannot be written was found out once
 * a load of hours had ended (and `--json` with no file left a stray temporary file).
 */
export function checkOutputs(a: OutputArgs): void {
  for (const [flag, file] of [
    ['--json', a.json],
    ['--html', a.html],
  ] as const) {
    if (file === undefined) continue;
    const problem = whyUnwritable(file, 'file');
    if (problem !== null)
      throw new UserError(
        `${flag}: "${file}" cannot be written (${problem}); expected a file path to write the report to`,
      );
  }
  if (a.json !== undefined && a.html !== undefined && resolve(a.json) === resolve(a.html))
    throw new UserError(`--json and --html: both are "${a.json}"; expected two different files`);
}

/** The frame of a report: tool, scenario, server (when there is one) and where it went. */
export async function reportFrame(
  argv: string[],
  scenario: Pick<Scenario, 'name' | 'seed' | 'scale' | 'hours' | 'start'>,
  url: string | undefined,
  target: string,
): Promise<RunReport> {
  const report: RunReport = {
    tool: toolInfo(),
    createdAt: new Date().toISOString(),
    command: ['gen', ...argv.map((a) => redactUrl(a))],
    scenario: {
      name: scenario.name,
      seed: scenario.seed,
      scale: scenario.scale,
      hours: scenario.hours,
      start: new Date(scenario.start).toISOString(),
    },
    target: url ? redactUrl(url) : target,
  };
  if (url) {
    const client = await connect(url);
    try {
      report.server = await readServerInfo(client);
    } finally {
      await client.end();
    }
  }
  return report;
}

/** The data profile of a loaded schema, for the report: its own connection, its time said apart from the load's. */
export async function dataProfile(
  url: string,
  schema: string,
  plan: Plan,
  say: (s: string) => void,
  signal?: AbortSignal,
): Promise<DataProfile> {
  const client = await connect(url, signal ? { signal } : {});
  try {
    const profile = await runProfile(client, schema, plan).catch((e: unknown) => {
      if (!signal?.aborted) throw e;
      throw new Stopped('the load is committed; the data profile and the report were not written', {
        cause: e,
      });
    });
    say(
      `gen: data profile: ${profile.queries.length} queries in ${(profile.ms / 1000).toFixed(2)} s ` +
        `(${profile.queries.map((q) => `${q.name} ${(q.ms / 1000).toFixed(2)} s`).join(', ')})`,
    );
    return profile;
  } finally {
    await client.end();
  }
}

export async function writeOutputs(
  a: OutputArgs,
  report: RunReport,
  say: (s: string) => void,
): Promise<void> {
  if (a.json !== undefined) {
    await writeJsonReport(a.json, report);
    say(`gen: wrote ${a.json}`);
  }
  if (a.html !== undefined) {
    await writeReportFile(a.html, renderHtml(report));
    say(`gen: wrote ${a.html}`);
  }
}
