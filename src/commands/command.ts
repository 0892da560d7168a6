/**
 * A command: its yargs declaration (command, describe, builder) next to the function that runs it. The
 * arguments `run` receives are typed by what the builder declares; `run` returns the exit code (src/errors.ts).
 */
import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { Io } from './common.js';
import { checkOutputs, type OutputArgs } from './outputs.js';

interface RunContext {
  /** the command line as given, for the reports (passwords are redacted there) */
  argv: string[];
  io: Io;
}

export interface CommandSpec<A> {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv<A>;
  run: (args: ArgumentsCamelCase<A>, ctx: RunContext) => Promise<number> | number;
}

export interface GenCommand {
  command: string;
  describe: string;
  /** Adds the command to the parser; when it runs, its exit code goes to `exit`. */
  register: (parser: Argv, ctx: RunContext, exit: (code: number) => void) => Argv;
}

/** Binds a command's argument type once, here, so the CLI can hold commands of different arguments in one list. */
export function defineCommand<A>(spec: CommandSpec<A>): GenCommand & CommandSpec<A> {
  return {
    ...spec,
    register: (parser, ctx, exit) =>
      parser.command(spec.command, spec.describe, spec.builder, async (args) => {
        // where a command writes reports, they are checked before it does anything
        checkOutputs(args as OutputArgs);
        exit(await spec.run(args, ctx));
      }),
  };
}
