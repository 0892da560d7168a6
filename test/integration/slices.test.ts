/**
 * A load that commits the big population chunks in slices (src/generate/slices.ts): small slices on a small
 * window, so that the load, its resume and verify are all checked on a real server in seconds.
 */
import { describe, expect, inject, it } from 'vitest';
import { buildPlan, listChunks, loadChunks, type Plan } from '../../src/generate/index.js';
import { runLoad } from '../../src/load/index.js';
import { ident } from '../../src/model/ddl.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { verifyChunks } from '../../src/verify/index.js';
import { scratchSchemas } from './scratch.js';

const url = inject('databaseUrl');
const { admin, schema } = scratchSchemas(url, 'slices');
const plan: Plan = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 2, scale: 0.02 }));
/** users' population is ~5,200 rows at this scale: 4 of the 6 population tables are cut */
const SLICE_ROWS = 1_000;
const sliced = loadChunks(plan, undefined, SLICE_ROWS);

async function expectComplete(s: string): Promise<void> {
  const verdicts = await verifyChunks({ url, schema: s, plan, chunks: listChunks(plan), jobs: 2 });
  expect(verdicts.filter((v) => !v.ok).map((v) => `${v.partition}: ${v.problem}`)).toEqual([]);
  const run = await admin().query<{ finished: boolean }>(
    `select finished_at is not null as finished from ${ident(s)}._gen_run`,
  );
  expect(run.rows[0]?.finished).toBe(true);
}

const ledgerNames = async (s: string): Promise<string[]> =>
  (
    await admin().query<{ partition: string }>(`select partition from ${ident(s)}._gen_ledger order by 1`)
  ).rows.map((r) => r.partition);

describe('a load in slices', () => {
  it('commits each slice as its own chunk, and verify finds every partition whole', async () => {
    expect(sliced.length).toBeGreaterThan(listChunks(plan).length + 8);
    const s = schema('whole');
    const summary = await runLoad({
      plan,
      target: { kind: 'db', url, schema: s },
      jobs: 2,
      sliceRows: SLICE_ROWS,
    });
    expect(summary.chunksTotal).toBe(sliced.length);
    // the per-table summary counts partitions, a partition in slices once
    const partitions = listChunks(plan).filter((c) => c.partition.table.name === 'global_entity').length;
    expect(summary.tables.global_entity?.partitions).toBe(partitions);
    const names = await ledgerNames(s);
    expect(names).toHaveLength(sliced.length);
    expect(names.filter((n) => n.startsWith(`global_entity_`) && n.includes('#')).length).toBeGreaterThan(5);
    await expectComplete(s);
  });

  it('resumes after some slices, and after a partition loaded whole by a gen from before slices', async () => {
    const s = schema('resume');
    const target = { kind: 'db' as const, url, schema: s };
    const ge = listChunks(plan).find((c) => c.partition.table.name === 'global_entity');
    if (!ge) throw new Error('no global_entity chunk');
    // a gen from before slices committed global_entity's hour 0 whole (and nothing else)
    await runLoad({ plan, target, jobs: 2, chunks: [ge], sliceRows: Number.POSITIVE_INFINITY });
    // then this one committed the first slice of users' hour 0 before it was stopped
    const firstUsers = sliced.find((c) => c.partition.table.name === 'users' && c.slice?.index === 0);
    if (!firstUsers) throw new Error('users is not sliced');
    await runLoad({ plan, target, jobs: 2, chunks: [firstUsers], sliceRows: SLICE_ROWS });
    const again = await runLoad({ plan, target, jobs: 2, sliceRows: SLICE_ROWS });
    const geSlices = sliced.filter((c) => c.partition.name === ge.partition.name).length;
    expect(again.skipped).toBe(geSlices + 1);
    const names = await ledgerNames(s);
    expect(names).toContain(ge.partition.name);
    expect(names.filter((n) => n.startsWith(`${ge.partition.name}#`))).toEqual([]);
    await expectComplete(s);
  });
});
