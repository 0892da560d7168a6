/**
 * `--json FILE`: the RunReport as a file a script can read, and reading it back for `gen compare`. The file is
 * validated against REPORT_SCHEMA both ways: a report we write is one we can read, and a file a user hands us
 * is checked once, here, before anything trusts its shape.
 */

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { UserError } from '../errors.js';
import { REPORT_SCHEMA } from './report.schema.js';
import type { RunReport } from './types.js';

// allErrors off: the first problem is the one line a user gets, and ajv stops there.
const validate = new Ajv2020({ allErrors: false, strict: true }).compile<RunReport>(REPORT_SCHEMA);

/** One line: `/load/rowsPerSec: must be number`, with the offending property name where ajv keeps it apart. */
function describeError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '/' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  let what = e.message ?? `fails ${e.keyword}`;
  if (e.keyword === 'additionalProperties') what += ` (${String(params.additionalProperty)})`;
  return `${where}: ${what}`;
}

/** The first schema problem of `value` as one line, or null when it is a valid RunReport. */
export function reportProblem(value: unknown): string | null {
  if (validate(value)) return null;
  const first = validate.errors?.[0];
  return first === undefined ? 'does not match the report schema' : describeError(first);
}

/**
 * Writes the report as indented JSON. Refuses (a bug, not a user error) a report that would not read back,
 * e.g. a NaN rate that JSON.stringify would silently turn into null. Written whole (writeReportFile).
 */
export async function writeJsonReport(file: string, report: RunReport): Promise<void> {
  const json = JSON.stringify(report, null, 2);
  const problem = reportProblem(JSON.parse(json));
  if (problem !== null) throw new Error(`report for ${file} does not match its schema: ${problem}`);
  await writeReportFile(file, `${json}\n`);
}

/**
 * A report file (--json, --html) written whole: its folder made, the text written to a temporary name and
 * renamed, so a crash never leaves half a file where a previous report was.
 */
export async function writeReportFile(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Reads and validates a report written by `--json`; anything wrong is a one-line UserError naming the file. */
export async function readJsonReport(file: string): Promise<RunReport> {
  let textContent: string;
  try {
    textContent = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(err);
    throw new UserError(`${file}: cannot read: ${reason}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(textContent);
  } catch (err) {
    // the parser quotes the start of the text, newlines and all: one line, and not a page of it
    const why = (err as Error).message.replace(/\s+/g, ' ');
    throw new UserError(`${file}: not JSON: ${why.length > 160 ? `${why.slice(0, 157)}...` : why}`);
  }
  const problem = reportProblem(value);
  if (problem !== null) throw new UserError(`${file}: ${problem}`);
  return value as RunReport;
}
