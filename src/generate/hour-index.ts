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
 * their objects gave), and where each window hour's run starts in it: `hourOf` of the sorted events must not
 * decrease (cmp sorts by time first). Events of hour h are order[start[h]] .. order[start[h + 1] - 1].
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
    if (!(h >= 0 && h < hours)) throw new Error(`internal: an event in hour ${h} of a ${hours}-hour window`);
    start[h + 1] = (start[h + 1] ?? 0) + 1;
  }
  for (let h = 0; h < hours; h++) start[h + 1] = (start[h + 1] ?? 0) + (start[h] ?? 0);
  return { order, start };
}

/**
 * The objects of window hour h, made from a per-window index's columns when the hour is read (`make` for each
 * event of its run, in order), and kept for the hour last asked for, per key (a plan): the hour's tables ask
 * for the same hour one after another.
 */
export function hourLists<K extends object, X extends { start: Int32Array }, T>(
  index: (key: K) => X,
  make: (x: X, i: number) => T,
): (key: K, h: number) => readonly T[] {
  const last = new WeakMap<K, { hour: number; list: T[] }>();
  return (key, h) => {
    const kept = last.get(key);
    if (kept?.hour === h) return kept.list;
    const x = index(key);
    const list: T[] = [];
    for (let i = at(x.start, h); i < at(x.start, h + 1); i++) list.push(make(x, i));
    last.set(key, { hour: h, list });
    return list;
  };
}
