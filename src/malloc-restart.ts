/**
 * gen's process started again with glibc malloc settings (issue 9 §2, peak RSS). glibc reads them from the
 * environment once, when a process starts, so bin/gen.js runs the same command in a child that has them and
 * waits for it: stdio shared, SIGINT, SIGTERM and SIGHUP passed on, the child's exit code (or signal) becomes
 * the parent's. Linux with glibc only (other allocators ignore these variables: no second process there).
 *
 * Why: by default glibc raises its mmap threshold to the size of the largest mapped buffer freed so far and
 * its trim threshold to twice that, so once a large typed array has been freed, tens of MB freed at the top of
 * the heap are never given back. A fixed mmap threshold of 1 MB (the 256 kB CSV buffers stay in the heap and
 * are reused) and a trim threshold of 2 MB give them back. Measured (black-friday `--scale 5`, 168 h,
 * generation alone): peak RSS 260-275 MB -> 242-250 MB; the parent costs ~11 MB (PSS; 45 MB RSS, most of it
 * the node binary shared with the child). Figures and CPU in the README's memory section (round 6).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** What the child's environment adds (glibc's `mallopt` names, read at start). */
export const MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '1048576',
  MALLOC_TRIM_THRESHOLD_: '2097152',
};

/** Set to anything non-empty: gen runs in its own process, without the restart and the settings. */
export const MALLOC_RESTART_OPT_OUT = 'GEN_NO_MALLOC_ENV';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** What gen says when stopped before its handlers were set (bin/gen.js; the parent, for a child killed so). */
export const EARLY_STOP = 'gen: stopped before it started: nothing was written';

/** which settings the restart added to the child's environment (the user's own are not listed) */
const ADDED_BY_RESTART = 'GEN_MALLOC_ENV_ADDED';

/** the settings as this process's environment had them when it started (glibc read them then) */
export const mallocEnvAtStart: Readonly<Record<string, string | undefined>> = Object.fromEntries(
  Object.keys(MALLOC_ENV).map((k) => [k, process.env[k]]),
);

/**
 * The settings the restart added, out of `env` (glibc has read them): what gen starts in turn (the embedded
 * PostgreSQL through pg_ctl, psql, pgbench) runs with its own allocator's defaults, not with settings chosen for
 * gen's buffers. A setting the user had in the environment is theirs and stays.
 */
export function dropAddedMallocEnv(env: NodeJS.ProcessEnv): void {
  const added = env[ADDED_BY_RESTART];
  if (added === undefined) return;
  for (const k of added.split(',')) if (Object.hasOwn(MALLOC_ENV, k)) delete env[k];
  delete env[ADDED_BY_RESTART];
}

/** glibc's version when this process runs on glibc (from node's diagnostic report header), else undefined. */
function glibcVersion(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
  return header?.glibcVersionRuntime;
}

/**
 * Whether gen should start again: not opted out, some setting missing from the environment (a variable the user
 * set, to any value, is kept as theirs and counts as set), and on glibc (asked last: node's report takes ~10 ms,
 * which the child, whose environment has the settings, does not spend).
 */
export function shouldRestart(env: NodeJS.ProcessEnv, glibc: () => string | undefined): boolean {
  if ((env[MALLOC_RESTART_OPT_OUT] ?? '') !== '') return false;
  if (Object.keys(MALLOC_ENV).every((k) => env[k] !== undefined)) return false;
  return glibc() !== undefined;
}

/** how often the restarted child looks whether the parent is still there, ms */
const PARENT_CHECK_MS = 500;

/**
 * The restarted child stops as on SIGTERM (cleanly: what is committed stays, a re-run continues) when the parent
 * is gone: a parent killed by SIGKILL (`kill -9`, the OOM killer) passes nothing on, and the child played on
 * alone, holding the schema, so the same command was refused as "another gen process" (a helper's run).
 * The parent's death reparents the child: its ppid changes. Unref'd: it keeps no process alive.
 */
function stopWithParent(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, PARENT_CHECK_MS);
  timer.unref();
}

/**
 * When this process should start again (shouldRestart), runs the same node, flags and arguments in a child
 * with MALLOC_ENV added, ends this process the way the child ends, and returns true: the caller must then do
 * nothing else. Returns false when this process is to do the work itself, with what a restart added dropped
 * from its environment (dropAddedMallocEnv).
 *
 * Signals: a terminal's Ctrl-C reaches every process of the foreground group, the child too, so SIGINT is
 * passed on only when stdin is not a terminal (`kill -INT` of the parent by a script or a supervisor); passed
 * on at a terminal, the child would see two and take the second as "quit at once".
 */
export function restartWithMallocEnv(): boolean {
  if (!shouldRestart(process.env, glibcVersion)) {
    const restarted = process.env[ADDED_BY_RESTART] !== undefined;
    // the restarted child (or no restart): nothing it starts inherits what the restart added
    dropAddedMallocEnv(process.env);
    if (restarted) stopWithParent();
    return false;
  }
  const added = Object.keys(MALLOC_ENV).filter((k) => process.env[k] === undefined);
  const env = { ...MALLOC_ENV, ...process.env, [ADDED_BY_RESTART]: added.join(',') };
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env,
  });
  const forward = (signal: NodeJS.Signals): void => {
    if (signal !== 'SIGINT' || !process.stdin.isTTY) child.kill(signal);
  };
  for (const s of FORWARDED) process.on(s, forward);
  child.on('error', (e) => {
    process.stderr.write(`gen: could not start node again (${e.message}); set ${MALLOC_RESTART_OPT_OUT}=1\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    // killed by a signal: end this process by the same one (no handler left), so its parent sees the same
    // (or by its shell convention, 128 + the number, when this process ignores that signal, as node does SIGPIPE)
    if (signal !== null) {
      // SIGINT or SIGTERM ends the child by the signal only before its handlers are set (bin/gen.js's first)
      if (signal === 'SIGINT' || signal === 'SIGTERM') process.stderr.write(`${EARLY_STOP}\n`);
      for (const s of FORWARDED) process.off(s, forward);
      process.kill(process.pid, signal);
      process.exit(128 + constants.signals[signal]);
    }
    // the handlers stay while exiting with the child's code: removing the last one restores the default action,
    // and a signal arriving during the exit (a second SIGINT 100 ms after the first, when the stop took less)
    // would end this process by it instead of the code
    process.exit(code ?? 1);
  });
  return true;
}
