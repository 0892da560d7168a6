/**
 * Expectations on top of src/verify/: run checks (queries returning offending rows) and fail with
 * a readable message when any row comes back. The checks themselves live in src/, not here.
 */
import type pg from 'pg';
import { expect } from 'vitest';
import { type IntegrityCheck, type IntegrityResult, runIntegrityChecks } from '../../src/verify/index.js';

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/** `name: N offending row(s), the first k:` and the sample rows, one a line. */
export function describeResult(r: IntegrityResult): string {
  const rows = r.sample.map((row) => `  ${show(row)}`).join('\n');
  return `${r.name} (${r.description}): ${r.offending} offending row(s), the first ${r.sample.length}:\n${rows}\n`;
}

/** Runs the checks and expects none to return a row; the message names every failing one. */
export async function expectChecksPass(
  db: pg.ClientBase,
  checks: readonly IntegrityCheck[],
): Promise<IntegrityResult[]> {
  const results = await runIntegrityChecks(db, checks);
  const failed = results.filter((r) => !r.ok);
  expect(
    failed.map((r) => r.name),
    failed.map(describeResult).join('\n'),
  ).toEqual([]);
  return results;
}

/** A one-off check of a test (row counts, coverage, partition layout) that is not an integrity check. */
export function expectNoRows(
  db: pg.ClientBase,
  label: string,
  sql: string,
  params: unknown[] = [],
): Promise<IntegrityResult[]> {
  return expectChecksPass(db, [{ name: label, description: label, sql, params }]);
}
