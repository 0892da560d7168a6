/**
 * The error classes and the one table of exit codes. Every stage throws these; only the CLI entry turns them
 * into an exit code and a line on stderr (describeFailure), so scripts can tell "the check found differences"
 * from "the input was wrong" from "the server or the machine failed" from "gen has a bug".
 */
import pg from 'pg';

/** Exit codes, documented in the README ("Exit codes"). */
export const EXIT = {
  ok: 0,
  /** the command ran and found differences (gen verify, a failed pruning claim) */
  differences: 1,
  /** bad flag, file or value: nothing was written */
  usage: 2,
  /** the server or the environment failed: unreachable, refused, too old, out of space, a chunk that kept failing */
  environment: 3,
  /** a bug of ours: the full stack is printed */
  internal: 70,
  /** stopped by Ctrl-C (SIGINT) */
  interrupted: 130,
  /** stopped by SIGTERM (docker stop, Kubernetes) */
  terminated: 143,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A user error: one line, names the file/flag, the value and what is allowed. Exit 2. */
export class UserError extends Error {
  override name = 'UserError';
}

/** The server or the machine is not as needed (cannot connect, too old, no privilege, embedded failed). Exit 3. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** A chunk that failed for good: names the partition and the tries, keeps the cause. */
export class ChunkError extends Error {
  override name = 'ChunkError';
  readonly partition: string;
  constructor(partition: string, cause: unknown, tries: number) {
    super(`loading ${partition} failed${tries > 1 ? ` after ${tries} tries` : ''}: ${errorMessage(cause)}`, {
      cause,
    });
    this.partition = partition;
  }
}

/** The SQLSTATE of an error the server sent, read one way: node-postgres's typed DatabaseError. */
export function sqlState(e: unknown): string | undefined {
  return e instanceof pg.DatabaseError ? e.code : undefined;
}

/**
 * The errno-style code of a socket or file error (ECONNREFUSED, ENOENT, ...). Node 20 tries IPv6 and IPv4 in
 * turn (autoSelectFamily) and then throws an AggregateError whose own code may be missing; the inner ones have it.
 */
export function systemCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  if (!(e instanceof pg.DatabaseError) && 'code' in e && typeof e.code === 'string') return e.code;
  if (e instanceof AggregateError) {
    for (const inner of e.errors) {
      const code = systemCode(inner);
      if (code !== undefined) return code;
    }
  }
  return undefined;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The exit code for a stop by this signal's abort reason ('SIGTERM' → 143, anything else → 130). */
export function interruptedExit(signal: AbortSignal | undefined): ExitCode {
  return signal?.reason === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/** The one place an error becomes an exit code and what stderr says. */
export function describeFailure(e: unknown): { code: ExitCode; text: string } {
  const cause = e instanceof ChunkError ? e.cause : e;
  if (cause instanceof UserError) return { code: EXIT.usage, text: firstLine(cause.message) };
  if (cause instanceof EnvironmentError) return { code: EXIT.environment, text: firstLine(cause.message) };
  const state = sqlState(cause);
  if (state !== undefined) return { code: EXIT.environment, text: `${errorMessage(e)} (SQLSTATE ${state})` };
  if (e instanceof ChunkError || /^E[A-Z]+$/.test(systemCode(cause) ?? '')) {
    return { code: EXIT.environment, text: errorMessage(e) };
  }
  return {
    code: EXIT.internal,
    text: `internal error, please report it:\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
