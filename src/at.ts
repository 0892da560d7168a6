/**
 * Checked indexing for code outside the measured hot loops: `noUncheckedIndexedAccess` types `a[i]` as
 * possibly undefined, and an index out of range here is a bug, so it throws a clear internal Error instead of
 * letting `undefined` travel on (a non-null assertion would hide it).
 */
export function at<T>(a: ArrayLike<T>, i: number): T {
  const v = a[i];
  if (v === undefined) throw new Error(`internal: index ${i} out of range (length ${a.length})`);
  return v;
}
