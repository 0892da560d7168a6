/**
 * A value computed once per plan, lazily, by whoever asks first: a pure function of the plan, so the bytes of a
 * chunk never depend on which chunk was generated before (issue 8: any (table, hour) chunk alone, same bytes).
 * The last plan is kept for a plain comparison on the hot path; others wait in a WeakMap.
 */
import type { Plan } from './plan-type.js';

export function perPlan<T>(build: (plan: Plan) => T): (plan: Plan) => T {
  const memo = new WeakMap<Plan, T>();
  let lastPlan: Plan | undefined;
  let last: T | undefined;
  return (plan) => {
    if (plan === lastPlan) return last as T;
    let v = memo.get(plan);
    if (v === undefined) {
      v = build(plan);
      memo.set(plan, v);
    }
    lastPlan = plan;
    last = v;
    return v;
  };
}
