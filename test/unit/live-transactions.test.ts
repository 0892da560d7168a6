/**
 * Live mode's transactions (src/generate/transactions.ts) replayed in memory give the bulk load's rows: the
 * snapshot, then every hour's inserts and UPDATEs in time order, then the metric rows as hours and days close,
 * equal the chunks `gen` COPYs, table by table, row by row. No database: the SQL side is tested in
 * test/integration/live.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { csvLine, lineValues, parseCsv, type Row } from '../../src/generate/csv-rows.js';
import { buildPlan, generateChunk, listChunks, type Plan } from '../../src/generate/index.js';
import {
  EVENT_TABLES,
  hourTransactions,
  metricCloses,
  snapshotCsv,
  type Txn,
} from '../../src/generate/transactions.js';
import type { TableName } from '../../src/model/tables.js';
import { columnNames, table } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

const plan = (name: string, hours: number, scale = 1): Plan =>
  buildPlan(applyOverrides(loadScenario(name), { hours, scale }));

const COLS: Record<string, string[]> = {
  status: ['status', 'updated_time'],
  price: ['price'],
  inventory: ['inventory'],
};

/** table -> id -> CSV line, as the bulk load writes it */
function bulk(p: Plan): Map<TableName, Map<string, string>> {
  const out = new Map<TableName, Map<string, string>>();
  for (const c of listChunks(p)) {
    const name = c.partition.table.name;
    let m = out.get(name);
    if (!m) {
      m = new Map();
      out.set(name, m);
    }
    for (const buf of generateChunk(p, c, { header: false }))
      for (const row of parseCsv(buf.toString('utf8'))) m.set(`${row[0]}|${row[1]}`, csvLine(row));
  }
  return out;
}

function replay(p: Plan): { tables: Map<TableName, Map<string, Row>>; txns: Txn[]; missed: number } {
  const tables = new Map<TableName, Map<string, Row>>();
  const t = (name: TableName): Map<string, Row> => {
    let m = tables.get(name);
    if (!m) {
      m = new Map();
      tables.set(name, m);
    }
    return m;
  };
  for (const name of EVENT_TABLES)
    for (const text of snapshotCsv(p, name))
      for (const row of parseCsv(text.toString('utf8'))) t(name).set(`${row[0]}|${row[1]}`, row);
  const txns: Txn[] = [];
  let missed = 0;
  let last = -Infinity;
  for (let h = 0; h < p.hours; h++) {
    for (const x of hourTransactions(p, h)) {
      expect(x.time).toBeGreaterThan(last);
      last = x.time;
      txns.push(x);
      for (const [name, rows] of x.inserts)
        for (const line of rows) {
          const row = lineValues(line);
          t(name).set(`${row[0]}|${row[1]}`, row);
        }
      for (const u of x.updates) {
        const row = t(u.ref.table).get(`${u.ref.id}|${u.ref.eventTime}`);
        if (!row) {
          missed++;
          continue;
        }
        const names = columnNames(table(u.ref.table));
        COLS[u.shape]?.forEach((c, i) => {
          row[names.indexOf(c)] = u.values[i] ?? null;
        });
      }
    }
    for (const c of metricCloses(p, h))
      for (const buf of c.rows('csv'))
        for (const row of parseCsv(buf.toString('utf8'))) t(c.table).set(`${row[0]}|${row[1]}`, row);
  }
  return { tables, txns, missed };
}

describe('live transactions', () => {
  for (const [name, hours, scale] of [
    ['tiny', 12, 1],
    ['black-friday', 4, 0.02],
  ] as const) {
    it(`replayed in memory equal the bulk rows (${name}, ${hours} h)`, () => {
      const p = plan(name, hours, scale);
      const want = bulk(p);
      const got = replay(p);
      expect(got.missed).toBe(0);
      for (const [tname, rows] of want) {
        const have = got.tables.get(tname) ?? new Map<string, Row>();
        expect(have.size, tname).toBe(rows.size);
        let diff = 0;
        let example = '';
        for (const [id, line] of rows) {
          const row = have.get(id);
          const mine = row ? csvLine(row) : '(missing)';
          if (mine !== line) {
            diff++;
            if (!example) example = `${tname}\n want ${line} got  ${mine}`;
          }
        }
        expect(example, tname).toBe('');
        expect(diff).toBe(0);
      }
      // every kind of business event shows up
      const types = new Set(got.txns.map((x) => x.type));
      for (const t of ['checkout', 'payment', 'signup', 'request_log'] as const) expect(types).toContain(t);
    });
  }

  it('rows inserted as they were: a checkout is pending, its settlement an UPDATE later', () => {
    const p = plan('tiny', 6);
    const txns = Array.from({ length: 6 }, (_, h) => hourTransactions(p, h)).flat();
    const checkout = txns.find(
      (x) =>
        x.type === 'checkout' &&
        x.inserts.some(([n, r]) => n === 'shop_order' && r[0] && lineValues(r[0]).includes('pending')),
    );
    expect(checkout).toBeDefined();
    const order = checkout?.inserts.find(([n]) => n === 'shop_order')?.[1][0];
    const id = order && lineValues(order)[0];
    const settle = txns.find((x) => x.time > (checkout?.time ?? 0) && x.updates.some((u) => u.ref.id === id));
    expect(settle?.updates.find((u) => u.ref.id === id)?.values[0]).toMatch(
      /^(paid|payment_failed|abandoned)$/,
    );
  });
});
