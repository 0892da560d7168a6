import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { toolInfo } from '../../src/package-root.js';
import { readJsonReport, reportProblem, writeJsonReport } from '../../src/report/json.js';
import { sampleReport } from '../../src/report/sample-report.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-json-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `value` as a report file as-is (no validation), for reading back. */
async function rawFile(name: string, value: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

async function readError(file: string): Promise<Error> {
  const err = await readJsonReport(file).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).not.toContain('\n');
  return err as Error;
}

/** The optional fields of types.ts: every other property of the sample is required by the schema. */
const OPTIONAL = new Set([
  '/server',
  '/load',
  '/profile',
  '/queries',
  '/layouts',
  '/queries/rate',
  '/layouts/0/queries/rate',
  '/queries/arrivals',
  '/layouts/0/queries/arrivals',
  '/queries/queries/0/serverMs',
  '/queries/queries/0/clientMs',
  '/layouts/0/queries/queries/0/serverMs',
  '/layouts/0/queries/queries/0/clientMs',
  '/load/copyFormat',
  '/layouts/0/load/copyFormat',
  '/load/serverSide',
  '/layouts/0/load/serverSide',
  '/live',
  '/live/serverSide',
  '/live/dashboards',
  '/live/dashboards/queries/0/serverMs',
  '/live/dashboards/queries/0/clientMs',
  '/live/pipelineDepth',
  '/live/maintenance/eventsLeftOut',
  '/live/maintenance/ops/0/waitedMs',
  '/live/maintenance/events/0/waitedMs',
  '/live/types/0/byHour',
  '/liveLayouts',
  '/liveLayouts/0/live/serverSide',
  '/liveLayouts/0/maxSpeed',
  '/liveLayouts/0/live/dashboards',
  '/liveLayouts/0/live/dashboards/queries/0/serverMs',
  '/liveLayouts/0/live/dashboards/queries/0/clientMs',
  '/liveLayouts/0/live/pipelineDepth',
  '/liveLayouts/0/live/maintenance/eventsLeftOut',
  '/liveLayouts/0/live/maintenance/ops/0/waitedMs',
  '/liveLayouts/0/live/maintenance/events/0/waitedMs',
  '/liveLayouts/0/live/types/0/byHour',
  '/liveLayouts/0/maxSpeed/probes/0/whole',
]);
/** Records keyed by user names (tables, settings, error kinds): their keys are data, not fields of the type. */
const RECORDS = /\/(tables|settings|errors)$/;

/** JSON pointers of every object property of the sample, descending into the first element of arrays. */
function propertyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? propertyPaths(value[0], `${path}/0`) : [];
  if (value === null || typeof value !== 'object') return [];
  const record = RECORDS.test(path);
  return Object.entries(value).flatMap(([k, v]) => [
    ...(record ? [] : [`${path}/${k}`]),
    ...propertyPaths(v, `${path}/${k}`),
  ]);
}

function without(report: unknown, pointer: string): unknown {
  const copy = structuredClone(report) as Record<string, unknown>;
  const keys = pointer.split('/').slice(1);
  const last = keys.pop();
  let node: Record<string, unknown> = copy;
  for (const k of keys) node = node[k] as Record<string, unknown>;
  if (last !== undefined) delete node[last];
  return copy;
}

describe('report schema', () => {
  it('accepts the sample report, with and without its optional parts', () => {
    const r = sampleReport();
    expect(reportProblem(r)).toBeNull();
    const bare = without(without(without(without(r, '/layouts'), '/queries'), '/load'), '/server');
    expect(reportProblem(bare)).toBeNull();
  });

  it('mirrors types.ts: removing any required field of the sample fails, removing an optional one does not', () => {
    const r = sampleReport();
    const paths = propertyPaths(r);
    expect(paths.length).toBeGreaterThan(60);
    for (const p of paths) {
      const problem = reportProblem(without(r, p));
      if (OPTIONAL.has(p)) expect(problem, p).toBeNull();
      else expect(problem, p).toMatch(/must have required property/);
    }
  });

  it('rejects fields types.ts does not have, naming them', () => {
    const r = sampleReport();
    // a field the type does not have: Object.assign, since the compiler rightly refuses it otherwise
    Object.assign(r.load, { rowsPerSecond: 1 });
    expect(reportProblem(r)).toBe('/load: must NOT have additional properties (rowsPerSecond)');
  });

  it('rejects NaN turned into null and negative times', () => {
    const r = sampleReport();
    r.load.chunkMs.p99 = -1;
    expect(reportProblem(r)).toBe('/load/chunkMs/p99: must be >= 0');
    const n = JSON.parse(
      JSON.stringify({ ...sampleReport(), queries: { ...sampleReport().queries, qps: NaN } }),
    );
    expect(reportProblem(n)).toBe('/queries/qps: must be number');
  });
});

describe('writeJsonReport / readJsonReport', () => {
  it('round-trips the sample report', async () => {
    const file = join(dir, 'nested', 'run.json');
    const r = sampleReport();
    await writeJsonReport(file, r);
    expect(await readJsonReport(file)).toEqual(r);
    // readable by people and by diff: indented, one trailing newline
    const content = await readFile(file, 'utf8');
    expect(content).toMatch(/^\{\n {2}"tool": \{/);
    expect(content.endsWith('}\n')).toBe(true);
  });

  it('refuses to write a report that would not read back (a bug, not a user error)', async () => {
    const r = sampleReport();
    r.load.rowsPerSec = Number.POSITIVE_INFINITY;
    const file = join(dir, 'inf.json');
    const err = await writeJsonReport(file, r).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('/load/rowsPerSec: must be number');
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('names the file and the first problem in one line', async () => {
    const r = sampleReport();
    Object.assign(r.load, { rowsPerSec: 'fast' });
    const file = await rawFile('a.json', r);
    expect((await readError(file)).message).toBe(`${file}: /load/rowsPerSec: must be number`);
  });

  it('knows the arrivals gen query can draw, and no others', async () => {
    const r = sampleReport();
    Object.assign(r.queries, { arrivals: 'bursty' });
    const file = await rawFile('arrivals.json', r);
    expect((await readError(file)).message).toMatch(
      new RegExp(`^${file}: /queries/arrivals: must be equal to one of`),
    );
    Object.assign(r.queries, { arrivals: 'poisson' });
    expect(await readJsonReport(await rawFile('poisson.json', r))).toBeDefined();
  });

  it('names a missing required field', async () => {
    const file = await rawFile('no-scenario.json', without(sampleReport(), '/scenario'));
    expect((await readError(file)).message).toBe(`${file}: /: must have required property 'scenario'`);
  });

  it('turns unreadable and non-JSON files into one-line UserErrors', async () => {
    const missing = join(dir, 'missing.json');
    expect((await readError(missing)).message).toBe(`${missing}: cannot read: no such file`);
    const truncated = await rawFile('truncated.json', '{"tool": {"name": ');
    expect((await readError(truncated)).message).toMatch(new RegExp(`^${truncated}: not JSON: `));
    // the parser quotes the start of the text: its newlines do not cut the message short
    const text = await rawFile('notes.txt', `hello\nworld\n${'x'.repeat(500)}`);
    const why = (await readError(text)).message;
    expect(why).toMatch(new RegExp(`^${text}: not JSON: .*"hello worl.*is not valid JSON$`));
    expect(why).not.toContain('\n');
    expect(why.length).toBeLessThan(text.length + 200);
    const array = await rawFile('array.json', '[]');
    expect((await readError(array)).message).toBe(`${array}: /: must be object`);
  });
});

describe('toolInfo', () => {
  it("is package.json's", async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      name: string;
      version: string;
    };
    expect(toolInfo()).toEqual({ name: pkg.name, version: pkg.version });
  });
});
