/**
 * The references the model marks as written at one time with the row they name (Column.sameTimeAsTarget: on a
 * schema retired by gen live --retention, their checks and order-totals run when both tables were retired up to
 * the same time, src/verify/checks/references.ts) are so in the generated rows: every referring row's event_time
 * is its target's.
 */
import { describe, expect, it } from 'vitest';
import { at } from '../../src/at.js';
import { buildPlan, generateChunk, listChunks } from '../../src/generate/index.js';
import { TABLES, type TableName, table } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
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

const marked = TABLES.flatMap((t) =>
  t.columns.filter((c) => c.sameTimeAsTarget).map((c) => ({ from: t, column: c.name, to: c.references })),
);

describe('references written at one time with their target', () => {
  it('the model marks an order item and an invoice payment', () => {
    expect(marked.map((m) => `${m.from.name}.${m.column}`)).toEqual([
      'shop_order_item.shop_order_id',
      'invoice_payment.invoice_id',
    ]);
  });

  it.each(marked.map((m) => [`${m.from.name}.${m.column}`, m] as const))(
    '%s: the same event_time as the row it names',
    (_, m) => {
      const target = table(m.to as TableName);
      const timeOf = new Map(rowsOf(target.name).map((r) => [r[target.idColumn], r.event_time]));
      const rows = rowsOf(m.from.name).filter((r) => r[m.column] !== '');
      expect(rows.length).toBeGreaterThan(50);
      const other = rows.filter((r) => timeOf.get(r[m.column]) !== r.event_time);
      expect(other.slice(0, 3)).toEqual([]);
    },
  );
});
