/**
 * Generation without a database: determinism as a mapping, the golden hash of `tiny`, row shape, unique ids.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { at } from '../../src/at.js';
import { boundMemoOrders } from '../../src/generate/hour-orders.js';
import { buildPlan, generateChunk, listChunks, type Plan } from '../../src/generate/index.js';
import { TABLES } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { parseCsv } from './csv.js';

/**
 * The sha256 of every chunk of `tiny` (headers included, chunks in listChunks order).
 * Changing it is a deliberate decision: say in the commit why the output changed.
 */
const TINY_GOLDEN = 'd31d99ec711404a68e2cf5b67dbd932c36c433d28a960bba053d99292958deec';

/** a value the test's own setup put there: its absence is a broken test, said as such */
function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`test setup: no ${what}`);
  return v;
}

/** the columns of a row that show its state at the window's end, so differ with the window's length */
const END_STATE: Partial<Record<string, readonly string[]>> = {
  users: ['status', 'updated_time'],
  shop: ['status', 'updated_time'],
  shop_product: ['price', 'inventory', 'status', 'updated_time'],
  shop_promotion: ['status', 'updated_time'],
  user_payment_method: ['status', 'updated_time'],
  shop_order: ['status', 'updated_time'],
  invoice: ['status', 'updated_time'],
};

const tiny = (): Plan => buildPlan(applyOverrides(loadScenario('tiny'), {}));

function chunkBytes(plan: Plan, i: number, bufferSize?: number): Buffer {
  const c = at(listChunks(plan), i);
  return Buffer.concat([...generateChunk(plan, c, bufferSize ? { bufferSize } : {})]);
}

function hashAll(plan: Plan, order: number[]): string {
  // hash per chunk, then combine in listChunks order, so any generation order gives the same digest
  const per = new Map<number, string>();
  for (const i of order) per.set(i, createHash('sha256').update(chunkBytes(plan, i)).digest('hex'));
  const h = createHash('sha256');
  for (let i = 0; i < order.length; i++) h.update(must(per.get(i), `hash of chunk ${i}`));
  return h.digest('hex');
}

describe('determinism', () => {
  it('pins the golden hash of tiny', () => {
    const plan = tiny();
    const n = listChunks(plan).length;
    expect(hashAll(plan, [...Array(n).keys()])).toBe(TINY_GOLDEN);
  });

  it('gives the same bytes whatever the chunk order, buffer size or fresh plan', () => {
    const a = tiny();
    const n = listChunks(a).length;
    const forward = hashAll(a, [...Array(n).keys()]);
    const reverse = hashAll(tiny(), [...Array(n).keys()].reverse());
    expect(reverse).toBe(forward);
    for (let i = 0; i < n; i += 7) expect(chunkBytes(a, i, 8192).equals(chunkBytes(a, i))).toBe(true);
  });

  it('gives the same bytes when chunks are generated interleaved, buffer by buffer, as a load with 4 jobs does', () => {
    const plan = tiny();
    const chunks = listChunks(plan);
    const sequential = chunks.map((c) => Buffer.concat([...generateChunk(plan, c, { bufferSize: 4096 })]));
    const p = tiny();
    const out: Buffer[][] = chunks.map(() => []);
    const running: { i: number; g: Generator<Buffer> }[] = [];
    for (let next = 0; next < chunks.length || running.length > 0; ) {
      while (running.length < 4 && next < chunks.length) {
        running.push({ i: next, g: generateChunk(p, at(chunks, next), { bufferSize: 4096 }) });
        next++;
      }
      for (let k = 0; k < running.length; k++) {
        const r = at(running, k);
        const b = r.g.next();
        if (b.done) running.splice(k--, 1);
        else at(out, r.i).push(b.value);
      }
    }
    for (const [i, c] of chunks.entries())
      expect(Buffer.concat(at(out, i)).equals(at(sequential, i)), c.partition.name).toBe(true);
  });

  it('generates any hour alone: hourly chunks do not depend on the window length, but for end states', () => {
    const s = loadScenario('black-friday');
    const short = buildPlan(applyOverrides(s, { hours: 2 }));
    const long = buildPlan(applyOverrides(s, { hours: 30 }));
    const key = (c: ReturnType<typeof listChunks>[number]): string => c.partition.name;
    const longChunks = new Map(listChunks(long).map((c) => [key(c), c]));
    let masked = 0;
    for (const c of listChunks(short)) {
      const t = c.partition.table;
      if (t.granularity !== 'hour') continue;
      const other = must(longChunks.get(key(c)), `chunk ${key(c)} of the long window`);
      const a = Buffer.concat([...generateChunk(short, c)]).toString('utf8');
      const b = Buffer.concat([...generateChunk(long, other)]).toString('utf8');
      const cols = END_STATE[t.name];
      if (!cols) {
        expect(a === b, c.partition.name).toBe(true);
        continue;
      }
      // the entity rows show their state at the window's end (issue 8 §1): all else is the same
      const drop = new Set(cols.map((n) => t.columns.findIndex((col) => col.name === n)));
      const mask = (line: string): string[] =>
        must(parseCsv(line)[0], 'a row').filter((_v, i) => !drop.has(i));
      const la = a.split('\n');
      const lb = b.split('\n');
      expect(la.length, c.partition.name).toBe(lb.length);
      la.forEach((line, i) => {
        const other = lb[i] ?? '';
        if (line === other) return;
        masked++;
        expect(mask(line), c.partition.name).toEqual(mask(other));
      });
    }
    // the mask is needed: some end state does change between a 2 and a 30 hour window
    expect(masked).toBeGreaterThan(0);
  });

  it('counts the rows it writes, and writes the same bytes into one reused buffer', () => {
    // the count is what the bench reports instead of counting newlines: it must be the rows (parsed, so a
    // newline inside a quoted field would not count), for every chunk of tiny (rows in every table)
    const plan = tiny();
    for (const c of listChunks(plan)) {
      const kept: Buffer[] = [];
      const it = generateChunk(plan, c, { header: false, reuse: true, bufferSize: 8192 });
      let counted = -1;
      for (let r = it.next(); ; r = it.next()) {
        if (r.done) {
          counted = r.value;
          break;
        }
        kept.push(Buffer.from(r.value)); // a copy: the next rows overwrite the buffer
      }
      const reused = Buffer.concat(kept);
      const fresh = Buffer.concat([...generateChunk(plan, c, { header: false, bufferSize: 8192 })]);
      expect(reused.equals(fresh), c.partition.name).toBe(true);
      expect(counted, c.partition.name).toBe(parseCsv(fresh.toString('utf8')).length);
    }
  });

  it('changes with the seed', () => {
    const a = tiny();
    const b = buildPlan(applyOverrides(loadScenario('tiny'), { seed: 43 }));
    expect(chunkBytes(a, 2).equals(chunkBytes(b, 2))).toBe(false);
  });
});

describe('rows', () => {
  const plan = tiny();
  const chunks = listChunks(plan);
  const byTable = new Map<string, string[][]>();
  for (const c of chunks) {
    const rows = parseCsv(Buffer.concat([...generateChunk(plan, c)]).toString('utf8'));
    const header = must(rows.shift(), 'CSV header');
    expect(header).toEqual(c.partition.table.columns.map((col) => col.name));
    const list = byTable.get(c.partition.table.name) ?? [];
    list.push(...rows);
    byTable.set(c.partition.table.name, list);
  }

  it.each(TABLES.map((t) => [t.name, t] as const))('%s: every row has the model columns, typed', (_n, t) => {
    const rows = must(byTable.get(t.name), `rows of ${t.name}`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.length).toBe(t.columns.length);
      t.columns.forEach((col, i) => {
        const v = at(r, i);
        if (v === '') {
          expect(col.nullable, `${t.name}.${col.name} is NULL`).toBe(true);
          return;
        }
        if (col.type === 'uuid')
          expect(v).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        if (col.type === 'timestamptz')
          expect(v).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{0,2}[1-9])?\+00$/);
        if (col.type === 'numeric(12,2)') expect(v).toMatch(/^-?\d+\.\d\d$/);
        if (col.type === 'jsonb') expect(() => JSON.parse(v)).not.toThrow();
      });
    }
  });

  it('never repeats an id, across all tables', () => {
    const seen = new Set<string>();
    let n = 0;
    for (const t of TABLES) {
      if (t.name === 'global_entity') continue; // it repeats the entity ids on purpose
      const idx = t.columns.findIndex((c) => c.name === t.idColumn);
      for (const r of must(byTable.get(t.name), `rows of ${t.name}`)) {
        seen.add(at(r, idx));
        n++;
      }
    }
    expect(seen.size).toBe(n);
  });
});

// the settled-orders memo is a cache: at --scale 5 its order bound drops hours the metric tables' walk of a day
// reads again, which are then recomputed; recomputed hours must give the same bytes as remembered ones
describe('the settled-orders memo bound', () => {
  it('gives the same chunks when it keeps one order (every hour recomputed)', () => {
    const make = (): Plan =>
      buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 30, scale: 0.03 }));
    const digests = (plan: Plan): string[] =>
      listChunks(plan).map((c) =>
        createHash('sha256')
          .update(Buffer.concat([...generateChunk(plan, c)]))
          .digest('hex'),
      );
    const remembered = digests(make());
    const restore = boundMemoOrders(1);
    try {
      expect(digests(make())).toEqual(remembered);
    } finally {
      restore();
    }
  });
});
