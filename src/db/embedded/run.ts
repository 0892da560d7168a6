/** Running the PostgreSQL tools (initdb, pg_ctl) and turning their output into one-line messages. */
import { spawn } from 'node:child_process';

/** uid/gid of the 'postgres' OS user when we are root; null when we run postgres as ourselves. */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface RunResult {
  code: number | null;
  output: string;
}

/**
 * Runs a PostgreSQL tool, as the postgres OS user when we are root. `detached` (the default) puts it (and
 * the postmaster that pg_ctl forks) in its own session, so a Ctrl-C aimed at the CLI does not reach the
 * server. cwd is <home> because the postgres user may not be allowed into our cwd (e.g. /root/project).
 */
export function run(
  cmd: string,
  args: string[],
  runAs: RunAs | null,
  cwd: string,
  { detached = true }: { detached?: boolean } = {},
): Promise<RunResult> {
  // PG* variables (PGDATA, PGPORT, ...) from the user's shell describe THEIR server, not ours.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
  env.LC_MESSAGES = 'C';
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env,
      detached,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(runAs === null ? {} : { uid: runAs.uid, gid: runAs.gid }),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', reject);
    // 'close' waits for our pipes; the postmaster does not hold them, pg_ctl redirects it to the log file.
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** The last non-empty line, for one-line error messages. */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.at(-1) ?? 'no output';
}
