/**
 * The references gen verify counts as written at one time with the row they name (src/verify/checks/references.ts
 * SAME_TIME: on a schema retired by gen live --retention, their checks and order-totals run when both tables were
 * retired up to the same time) are so in the generated rows: every referring row's event_time is its target's.
 */
import { describe, expect, it } from 'vitest';
import { at } from '../../src/at.js';
import { buildPlan, generateChunk, listChunks } from '../../src/generate/index.js';
import { type TableName, table } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { SAME_TIME } from '../../src/verify/checks/references.js';
import { parseCsv } from './csv.js';

const plan = buildPlan(applyOverrides(loadScenario('tiny'), {}));

/** a table's rows as objects by column name, all its chunks */
function rowsOf(name: TableName): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const c of listChunks(plan)) {
    if (c.partition.table.name !== name) continue;
    const rows = parseCsv(Buffer.concat([...generateChunk(plan, c)]).toString('utf8'));
    const header = rows.shift() ?? [];
    for (const r of rows) out.push(Object.fromEntries(header.map((h, i) => [h, at(r, i)])));
  }
  return out;
}

describe('references written at one time with their target', () => {
  it.each([...SAME_TIME])('%s: the same event_time as the row it names', (ref) => {
    const [from = '', column = ''] = ref.split('.');
    const t = table(from as TableName);
    const target = table(t.columns.find((c) => c.name === column)?.references as TableName);
    const timeOf = new Map(rowsOf(target.name).map((r) => [r[target.idColumn], r.event_time]));
    const rows = rowsOf(t.name).filter((r) => r[column] !== '');
    expect(rows.length).toBeGreaterThan(50);
    const other = rows.filter((r) => timeOf.get(r[column]) !== r.event_time);
    expect(other.slice(0, 3)).toEqual([]);
  });
});
