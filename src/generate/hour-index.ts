import { at } from '../at.js';

/**
 * Per-window indexes of events in typed columns (issue 9 §2): the window's price changes and state changes were
 * arrays of objects, one per change and an array per hour (~100 bytes a change: 71 MB of heap at --scale 5 over
 * 168 h); as columns they take 15-20 bytes a change, and the objects of one hour are made when it is read.
 */

/** A growable column of numbers. */
export class Column<T extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}

  push(x: number): void {
    if (this.length === this.data.length) {
      const d = this.make(this.data.length * 2 + 16);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }

  /** the column's values at `order`, exactly sized */
  permuted(order: Int32Array): T {
    const out = this.make(order.length);
    for (let i = 0; i < order.length; i++) out[i] = this.data[order[i] ?? 0] ?? 0;
    return out;
  }
}

export const f64 = (): Column<Float64Array> => new Column(new Float64Array(0), (n) => new Float64Array(n));
export const i32 = (): Column<Int32Array> => new Column(new Int32Array(0), (n) => new Int32Array(n));
export const u8 = (): Column<Uint8Array> => new Column(new Uint8Array(0), (n) => new Uint8Array(n));

/**
 * The order of n collected events sorted by `cmp`, ties in the order they were collected (what a stable sort of
 * their objects gave), and where each of `hours` hours' run starts in it: `hourOf` (0 .. hours - 1: an hour of
 * the block) of the sorted events must not decrease (cmp sorts by time first). Events of hour h are
 * order[start[h]] .. order[start[h + 1] - 1].
 */
export function hourOrder(
  n: number,
  hours: number,
  cmp: (a: number, b: number) => number,
  hourOf: (i: number) => number,
): { order: Int32Array; start: Int32Array } {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => cmp(a, b) || a - b);
  const start = new Int32Array(hours + 1);
  for (let i = 0; i < n; i++) {
    const h = hourOf(order[i] ?? 0);
    if (!(h >= 0 && h < hours)) throw new Error(`internal: an event in hour ${h} of a ${hours}-hour block`);
    start[h + 1] = (start[h + 1] ?? 0) + 1;
  }
  for (let h = 0; h < hours; h++) start[h + 1] = (start[h + 1] ?? 0) + (start[h] ?? 0);
  return { order, start };
}

/**
 * Per-window indexes are built a block of BLOCK_HOURS window hours at a time, never for the whole window (issue
 * 9 §2: at --scale 5 a window week holds ~570,000 price changes and ~95,000 state changes, 12 MB; window-long
 * indexes grew with the window, and a 90-day window would have taken them past the memory goal). A block is a
 * pure function of the plan and its hours, so which chunk asked first changes no byte; the last KEPT_BLOCKS used
 * are kept per plan: the hours generated at once are near each other, and the stock cursor reads an hour and the
 * one before it. A week, not a day: with blocks of a day (989e9e2), `gen --out` at --scale 5 over 168 h peaked at
 * 260.8-275.1 MB in eight runs against 246.5-252.3 MB in four of the window-long index alternated with them,
 * the JS heap and live array buffers alike at the peaks: RSS outside both grew late in the run (not explained;
 * a block in one allocation did not change it). A window of up to a week is one block, as before.
 */
export const BLOCK_HOURS = 168;
const KEPT_BLOCKS = 3;

/** An index of the events of window hours [first, first + start.length - 1). */
export interface Block {
  first: number;
  /** events of window hour first + h: [start[h], start[h + 1]) */
  start: Int32Array;
}

/** Where window hour h's events are: its block and their run in it. */
export interface Run<X> {
  x: X;
  a: number;
  b: number;
}

/**
 * `build(key, first, hours)` makes the block of `hours` window hours from `first`; the result finds hour h's
 * run, building its block when it is not among the last KEPT_BLOCKS used.
 */
export function perBlock<K extends { hours: number }, X extends Block>(
  build: (key: K, first: number, hours: number) => X,
): (key: K, h: number) => Run<X> {
  const kept = new WeakMap<K, Map<number, X>>();
  return (key, h) => {
    const n = Math.floor(h / BLOCK_HOURS);
    let blocks = kept.get(key);
    if (blocks === undefined) {
      blocks = new Map();
      kept.set(key, blocks);
    }
    let x = blocks.get(n);
    if (x === undefined) {
      const first = n * BLOCK_HOURS;
      x = build(key, first, Math.min(BLOCK_HOURS, key.hours - first));
      if (blocks.size >= KEPT_BLOCKS) blocks.delete(blocks.keys().next().value as number);
    } else {
      blocks.delete(n);
    }
    // the most recently used last
    blocks.set(n, x);
    return { x, a: at(x.start, h - x.first), b: at(x.start, h - x.first + 1) };
  };
}

/**
 * The objects of window hour h, made from its run's columns when the hour is read (`make` for each event of its
 * run, in order), and kept for the hour last asked for, per key (a plan): the hour's tables ask for the same hour
 * one after another.
 */
export function hourLists<K extends object, X, T>(
  run: (key: K, h: number) => Run<X>,
  make: (x: X, i: number) => T,
): (key: K, h: number) => readonly T[] {
  const last = new WeakMap<K, { hour: number; list: T[] }>();
  return (key, h) => {
    const kept = last.get(key);
    if (kept?.hour === h) return kept.list;
    const { x, a, b } = run(key, h);
    const list: T[] = [];
    for (let i = a; i < b; i++) list.push(make(x, i));
    last.set(key, { hour: h, list });
    return list;
  };
}
