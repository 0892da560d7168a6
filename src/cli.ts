/**
 * gen: parse flags, call a command, print, exit code. Takes argv and streams as parameters so tests run it
 * in-process. Each command (its options and its run function) is in src/commands/; exit codes: src/errors.ts.
 */
import { setMaxListeners } from 'node:events';
import yargs from 'yargs';
import { benchCommand } from './commands/bench.js';
import type { GenCommand } from './commands/command.js';
import type { Io } from './commands/common.js';
import { compareCommand } from './commands/compare.js';
import { dbCommand } from './commands/db.js';
import {
  describeParseFailure,
  flagNamesOf,
  refuseMissingValues,
  refuseRepeatedFlags,
  valueFlagsOf,
} from './commands/flags.js';
import { liveCommand } from './commands/live.js';
import { loadCommand } from './commands/load.js';
import { queryCommand } from './commands/query.js';
import { scenariosCommand } from './commands/scenarios.js';
import { sqlCommand } from './commands/sql.js';
import { verifyCommand } from './commands/verify.js';
import { describeFailure, describeStop, EXIT, UserError } from './errors.js';

export type { Io } from './commands/common.js';

/** In the order of `gen --help`. */
const COMMANDS: readonly GenCommand[] = [
  loadCommand,
  liveCommand,
  queryCommand,
  benchCommand,
  compareCommand,
  verifyCommand,
  dbCommand,
  sqlCommand,
  scenariosCommand,
];
const COMMAND_USAGES = COMMANDS.map((c) => c.command);

export async function main(argv: string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const ctx = { argv, io };
  const parser = yargs(argv)
    .scriptName('gen')
    .usage('$0 [--scenario NAME] [--hours N] ...: generate a scenario and COPY it into PostgreSQL');
  for (const c of COMMANDS) {
    c.register(parser, ctx, (exit) => {
      code = exit;
    });
  }
  parser
    .middleware(() => refuseMissingValues(argv, valueFlagsOf(parser)), true)
    .middleware(refuseRepeatedFlags, true)
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(describeParseFailure(msg, argv, COMMAND_USAGES, flagNamesOf(parser)));
    });
  try {
    let helpOut = '';
    await parser.parseAsync(argv, {}, (_err, _argv, output) => {
      helpOut = output;
    });
    if (helpOut) io.stdout.write(`${helpOut}\n`);
    return code;
  } catch (e) {
    const failure = io.signal?.aborted ? describeStop(e, io.signal) : describeFailure(e);
    io.stderr.write(`gen: ${failure.text}\n`);
    return failure.code;
  }
}

/**
 * One signal delivered twice at once is one stop: `timeout`, systemd (its whole cgroup) and `kill -- -PGID`
 * signal the process group, so the working process gets the signal from them and again from the parent of the
 * malloc restart (src/malloc-restart.ts), which passes on what it gets. A second Ctrl-C counts from this long
 * after the first.
 */
export const REPEAT_MS = 500;

/**
 * The process entry (bin/gen.js): Ctrl-C or SIGTERM stops a load cleanly (in-flight COPYs are aborted, the
 * summary says what was committed, exit code 130, or 143 for SIGTERM); a second Ctrl-C (REPEAT_MS after the
 * first) exits at once; a second SIGTERM changes nothing (the stop is under way; a supervisor's SIGKILL ends it).
 */
export function runProcess(): void {
  const controller = new AbortController();
  // every connection of a command listens to it (closeOnAbort: `gen query --clients` up to 1000), which is no
  // leak: Node's warning past 10 listeners would only alarm people
  setMaxListeners(0, controller.signal);
  let firstInt: number | undefined;
  let firstSignal: number | undefined;
  process.on('SIGINT', () => {
    const now = performance.now();
    firstSignal ??= now;
    if (firstInt === undefined) {
      firstInt = now;
      process.stderr.write('\ngen: stopping (Ctrl-C again to quit at once)...\n');
      controller.abort('SIGINT');
    } else if (now - firstInt >= REPEAT_MS) process.exit(EXIT.interrupted);
  });
  process.on('SIGTERM', () => {
    firstSignal ??= performance.now();
    controller.abort('SIGTERM');
  });
  // `gen sql | head -1`: the reader went away. What gen prints is for people; the work goes on (a load's rows
  // are in the database, not on stdout), so the output stops and nothing crashes with a stack trace
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  }).then((code) => {
    process.exitCode = code;
    // the signal's duplicate (from the process group and again from the malloc restart's parent) may still be on
    // its way when a stop took less than that: stay until REPEAT_MS after the first signal, so it meets the
    // handler and not the exit, whose teardown restores the default action (the process would end by the signal
    // instead of its exit code)
    if (firstSignal !== undefined) {
      const wait = REPEAT_MS - (performance.now() - firstSignal);
      if (wait > 0) setTimeout(() => {}, wait);
    }
  });
}
