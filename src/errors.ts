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
  /** "loading <partition> failed after N tries": what the final line says before the cause's own words */
  readonly what: string;
  /** the run's chunks committed when the load gave up (set by the loader), for the final line */
  committed: { done: number; total: number } | undefined;
  /** a lost connection or server (another try may pass), not what the server refused (it would refuse it again) */
  readonly transient: boolean;
  constructor(partition: string, cause: unknown, tries: number) {
    const what = `loading ${partition} failed${tries > 1 ? ` after ${tries} tries` : ''}`;
    super(`${what}: ${errorMessage(cause)}`, { cause });
    this.partition = partition;
    this.what = what;
    this.transient = isTransient(cause);
  }
  /**
   * " (12 of 366 chunks are committed; the same command continues from there)", or nothing when not known; for
   * what the server refused, "once this is fixed, ...": a re-run as it is stops at the same chunk.
   */
  get resume(): string {
    const c = this.committed;
    if (c === undefined) return '';
    const when = this.transient ? '' : 'once this is fixed, ';
    return ` (${c.done} of ${c.total} chunks are committed; ${when}the same command continues from there)`;
  }
}

/**
 * A command stopped by Ctrl-C or SIGTERM, with what that left behind ("the load is committed; ..."). Thrown
 * where the command knows more than "stopped"; see {@link describeStop}.
 */
export class Stopped extends Error {
  override name = 'Stopped';
}

/**
 * What a command that threw after the signal fired exits with: the stop, not the error. Its statements were
 * cancelled and its connections closed (closeOnAbort in src/db/connection.ts), and what they threw then
 * ("Connection terminated", "canceling statement") is how a stop looks from inside, not a failure.
 */
export function describeStop(e: unknown, signal: AbortSignal): { code: ExitCode; text: string } {
  const chain = causeChain(e);
  const said = chain.find((c) => c instanceof Stopped);
  // a bug of ours that surfaced after the stop (writing the report, say) is said too: masked as the stop, one
  // went unseen (a report that failed its schema read "stopped by SIGTERM before the end")
  const failure = said === undefined ? describeFailure(e) : undefined;
  const bug =
    failure?.code === EXIT.internal && !chain.some((c) => c === signal.reason || stopShaped(c))
      ? `; and meanwhile an ${failure.text}`
      : '';
  return {
    code: interruptedExit(signal),
    text: `stopped by ${stopName(signal)} before the end${said instanceof Stopped ? `: ${firstLine(said.message)}` : ''}${bug}`,
  };
}

/** what node-postgres and an abort throw at work a stop ended (beyond describeFailure's connection losses) */
function stopShaped(e: unknown): boolean {
  if (!(e instanceof Error)) return typeof e === 'string';
  return e.name === 'AbortError' || /not queryable|Client was closed|aborted/i.test(e.message);
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

/** What stopped the command, for people: the abort reason that runProcess gives ('SIGTERM', else Ctrl-C). */
export function stopName(signal: AbortSignal): 'SIGTERM' | 'Ctrl-C' {
  return signal.reason === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C';
}

/** The exit code for a stop by this signal's abort reason ('SIGTERM' → 143, anything else → 130). */
export function interruptedExit(signal: AbortSignal | undefined): ExitCode {
  return signal?.reason === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/**
 * node-postgres reports a connection lost mid-query without a code; its messages are stable across 8.x.
 * Not a bug of ours: the server or the network went away.
 */
export function isConnectionLoss(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : '';
  return /Connection terminated|connection (?:is )?closed|Client has encountered a connection error|terminating connection/i.test(
    msg,
  );
}

/**
 * A connection that went away (a server crash, restart or shutdown, pg_terminate_backend, the network): a
 * socket code, a server's connection-failure SQLSTATE (57P01-57P03, class 08), or node-postgres's texts.
 */
export function isLostConnection(e: unknown): boolean {
  const code = sqlState(e) ?? systemCode(e) ?? '';
  if (['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03'].includes(code))
    return true;
  return code.startsWith('08') || isConnectionLoss(e);
}

/**
 * Errors worth another try: the connection or the server went away, not a bad row or a bug. Asked of the error
 * and its causes: a connection refused while the server restarts reaches here as the one-line EnvironmentError
 * of toConnectionError, its socket error the cause (a helper's restart: every chunk gave up at its first retry).
 */
export function isTransient(e: unknown): boolean {
  for (let c: unknown = e, depth = 0; c !== undefined && depth < 8; depth++) {
    // 53300: too many connections (another load's, for a moment)
    if (isLostConnection(c) || sqlState(c) === '53300') return true;
    c = c instanceof Error ? c.cause : undefined;
  }
  return false;
}

/**
 * The 'error' listener of every client gen opens. A connection lost while idle, or a write failing between
 * results (a pipelined transaction), is emitted as 'error' on the client; unheard, Node ends the process with a
 * stack and exit 1 (a helper's server crash under gen live, bulk set-up and VACUUM). A loss is left to the query
 * running then or the next one, which node-postgres rejects ("not queryable") and describeFailure says in one
 * line (exit 3); so is any FATAL the server ends a session with (idle_session_timeout's 57P05, say). Anything
 * else (a protocol error, a bug of ours) is thrown as before: a stack.
 */
export function onClientError(e: unknown): void {
  if (isLostConnection(e) || (e instanceof pg.DatabaseError && e.severity === 'FATAL')) return;
  throw e;
}

/** An error and its causes, outermost first (a check or a chunk wraps the server's error). */
function causeChain(e: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let c: unknown = e;
    c !== undefined && chain.length < 8;
    c = c instanceof Error ? c.cause : undefined
  ) {
    chain.push(c);
  }
  return chain;
}

/** The one place an error becomes an exit code and what stderr says. */
export function describeFailure(e: unknown): { code: ExitCode; text: string } {
  const chain = causeChain(e);
  const user = chain.find((c) => c instanceof UserError);
  if (user instanceof UserError) return { code: EXIT.usage, text: firstLine(user.message) };
  // a chunk that kept failing on the server's or the network's side: which one, and what is committed
  const chunk = chain.find((c) => c instanceof ChunkError);
  const resume = chunk instanceof ChunkError ? chunk.resume : '';
  const env = chain.find((c) => c instanceof EnvironmentError);
  if (env instanceof EnvironmentError) {
    const text = firstLine(env.message);
    return {
      code: EXIT.environment,
      text: chunk instanceof ChunkError ? `${chunk.what}: ${text}${resume}` : text,
    };
  }
  const state = chain.map(sqlState).find((s) => s !== undefined);
  if (state !== undefined)
    return { code: EXIT.environment, text: `${errorMessage(e)} (SQLSTATE ${state})${resume}` };
  if (chain.some((c) => /^E[A-Z]+$/.test(systemCode(c) ?? '') || isConnectionLoss(c))) {
    return { code: EXIT.environment, text: `${errorMessage(e)}${resume}` };
  }
  // a bug of ours, also when it surfaced inside a chunk: the innermost stack says where
  const bug = chain.at(-1) ?? e;
  return {
    code: EXIT.internal,
    text: `internal error, please report it:\n${bug === e ? '' : `${errorMessage(e)}\n`}${bug instanceof Error ? (bug.stack ?? bug.message) : String(bug)}`,
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
