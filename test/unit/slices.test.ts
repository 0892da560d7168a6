/**
 * Slices of the population chunks (src/generate/slices.ts): a load cuts hour 0's population chunks into
 * slices by entity range; together the slices' rows are the chunk's, each exactly once.
 */
import { describe, expect, it } from 'vitest';
import { estimateChunkRows } from '../../src/generate/estimate.js';
import { buildPlan, generateChunk, listChunks, loadChunks, type Plan } from '../../src/generate/index.js';
import { POPULATION_TABLES, SLICE_ROWS } from '../../src/generate/slices.js';
import { CsvRowHash } from '../../src/load/binary-copy.js';
import { type Chunk, chunkName, partitionOfChunk } from '../../src/model/partitions.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

const planOf = (name: string, hours: number, scale: number): Plan =>
  buildPlan(applyOverrides(loadScenario(name), { hours, scale }));

/** the chunk's rows as an order-independent hash, and every line (to find one written twice) */
function rowsOf(plan: Plan, chunks: readonly Chunk[]): { hash: string; rows: number; lines: string[] } {
  const first = chunks[0];
  if (first === undefined) throw new Error('no chunks');
  // the chunks are one table's (a partition's slices, or the whole partition)
  const set = new CsvRowHash(first.partition.table.columns.map((col) => col.type));
  const lines: string[] = [];
  for (const c of chunks) {
    let text = '';
    for (const b of generateChunk(plan, c, { header: false })) {
      set.push(b);
      text += b.toString('utf8');
    }
    lines.push(...text.split('\n').filter((l) => l !== ''));
  }
  return { hash: set.digest(), rows: set.rows, lines };
}

describe('population slices', () => {
  const plan = planOf('black-friday', 3, 0.02);
  const whole = listChunks(plan);
  // small slices, so that every population table's hour 0 is cut (users: ~5,200 at this scale)
  const sliceRows = 1_000;
  const sliced = loadChunks(plan, undefined, sliceRows);

  it('cuts only the population chunks of hour 0, in place, and names each slice', () => {
    const cut = new Set(sliced.filter((c) => c.slice !== undefined).map((c) => c.partition.table.name));
    expect([...cut].sort()).toEqual(
      [...POPULATION_TABLES].filter((t) => t !== 'shop' && t !== 'shop_promotion').sort(),
    );
    // unsliced, the same chunks in the same order
    expect(
      sliced.filter((c) => c.slice === undefined || c.slice.index === 0).map((c) => c.partition.name),
    ).toEqual(whole.map((c) => c.partition.name));
    for (const c of sliced.filter((x) => x.slice !== undefined)) {
      expect(c.partition.from).toBe(plan.start);
      expect(chunkName(c)).toBe(`${c.partition.name}#${(c.slice?.index ?? 0) + 1}/${c.slice?.of}`);
      expect(partitionOfChunk(chunkName(c))).toBe(c.partition.name);
    }
    expect(new Set(sliced.map(chunkName)).size).toBe(sliced.length);
  });

  it('slices hold the chunk rows, each exactly once', () => {
    for (const c of whole.filter(
      (x) => x.partition.from === plan.start && POPULATION_TABLES.has(x.partition.table.name),
    )) {
      const slices = sliced.filter((s) => s.partition.name === c.partition.name);
      const a = rowsOf(plan, [c]);
      const b = rowsOf(plan, slices);
      expect(b.rows, c.partition.name).toBe(a.rows);
      expect(b.hash, c.partition.name).toBe(a.hash);
      expect(new Set(b.lines).size, c.partition.name).toBe(b.lines.length);
      if (slices.length > 1) {
        // each slice holds some of the population
        const sizes = slices.map((s) => rowsOf(plan, [s]).rows);
        expect(Math.min(...sizes), c.partition.name).toBeGreaterThan(0);
      }
    }
  });

  it("the slices' estimates add up to the chunk's", () => {
    const est = estimateChunkRows(plan, sliced);
    const wholeEst = estimateChunkRows(plan, whole);
    const sum = (xs: number[]): number => xs.reduce((x, y) => x + y, 0);
    expect(Math.abs(sum(est) - sum(wholeEst)) / sum(wholeEst)).toBeLessThan(0.001);
  });

  it('at the default size, a small window is not sliced and black-friday --scale 5 is', () => {
    expect(loadChunks(plan)).toEqual(whole);
    const big = planOf('black-friday', 2, 5);
    const of = (t: string): number =>
      loadChunks(big).filter((c) => c.partition.table.name === t && c.partition.from === big.start).length;
    // ~4.8M population rows of global_entity, ~2.6M payment methods, 1.3M users, 0.8M products
    expect(of('global_entity')).toBe(Math.ceil(4_830_000 / SLICE_ROWS));
    expect(of('user_payment_method')).toBeGreaterThanOrEqual(5);
    expect(of('users')).toBe(3);
    expect(of('shop')).toBe(1);
  });
});
