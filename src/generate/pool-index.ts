/**
 * `r % n` for a keyed uint32 r (0 <= r < 2^32) and a count n >= 1 (a pool's length): the same number, faster.
 * Measured (node 20, this machine): V8 compiles `%` by a divisor it cannot see as a constant to an integer
 * division, ~10 ns, this form to a float division, ~4 ns; a pick from a text pool was most of the time of
 * productTextOf. Exact for n < 2^22 (larger n take `%`): r / n rounds up to the next integer only within half
 * an ulp (<= 2^-21 below 2^32) of it, and unless it is that integer it is at least 1/n > 2^-22 below it.
 */
export function mod(r: number, n: number): number {
  return n < 0x400000 ? r - Math.floor(r / n) * n : r % n;
}

/**
 * A 256-entry table for a weighted pick by a keyed byte: entry k covers weights[k] / total of the bytes
 * (cumulative, rounded), the bytes past the weights' sum index `weights.length` ("the rest": none when they sum
 * to `total`). Weights that sum past `total` are a bug in a table of ours.
 */
export function byteTable(weights: readonly number[], total: number): Uint8Array {
  const t = new Uint8Array(256);
  let i = 0;
  let acc = 0;
  weights.forEach((w, k) => {
    acc += w;
    const end = Math.round((acc / total) * 256);
    for (; i < end; i++) t[i] = k;
  });
  if (acc > total) throw new Error(`internal: weights sum to ${acc}, over ${total}`);
  t.fill(weights.length, i);
  return t;
}
