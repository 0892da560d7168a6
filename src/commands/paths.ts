/** Paths a command will write (--out, --json, --html), checked before it does anything. */
import {
  accessSync,
  constants,
  mkdirSync,
  readdirSync,
  rmdirSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { plural } from '../plural.js';

const writable = (path: string): boolean => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/** what is at `path`, or undefined: nothing there, or a file where a folder of the path should be */
const statOf = (path: string): Stats | undefined => {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
};

/**
 * Why `path` cannot be written as a `kind`, or null. Folders missing on the way are fine: they are made when it
 * is written.
 */
export function whyUnwritable(path: string, kind: 'file' | 'folder'): string | null {
  if (path === '') return `no ${kind} name was given`;
  const full = resolve(path);
  const st = statOf(full);
  if (st !== undefined) {
    if (kind === 'file' && st.isDirectory()) return 'it is a folder';
    if (kind === 'folder' && !st.isDirectory()) return 'it is a file';
    return writable(full) ? null : `no permission to write ${kind === 'file' ? 'it' : 'in it'}`;
  }
  // the nearest existing folder, and the first thing of the path to make in it
  let missing = full;
  for (let dir = dirname(full); ; missing = dir, dir = dirname(dir)) {
    const d = statOf(dir);
    if (d !== undefined) {
      if (!d.isDirectory()) return `${dir} is not a folder`;
      if (!writable(dir)) return `no permission to write in ${dir}`;
      return probe(dir, missing === full && kind === 'file' ? 'file' : 'folder', missing);
    }
    if (dirname(dir) === dir) return `${dir} does not exist`;
  }
}

/**
 * Makes what would be made in `dir` (a file beside `path`, or the folder `path`) and removes it again: why not,
 * or null. Write permission does not say it: root may "write" in /proc, where nothing can be made (and Node's
 * recursive mkdir of /proc/x never returns: a run with `--json /proc/x/y.json` hung at its end).
 */
function probe(dir: string, kind: 'file' | 'folder', path: string): string | null {
  try {
    if (kind === 'folder') {
      mkdirSync(path);
      rmdirSync(path);
    } else {
      const tmp = join(dir, `.gen-probe-${process.pid}`);
      writeFileSync(tmp, '', { flag: 'wx' });
      unlinkSync(tmp);
    }
    return null;
  } catch (e) {
    return `nothing can be made in ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}

/**
 * --out DIR: a folder this user can write, holding no CSV file but this run's (`names`): its files are loaded as
 * `DIR/*.csv`, and a folder that also held another run's files (a longer window, another scenario) would load a
 * mix of the two.
 */
export function checkOutFolder(dir: string, names: ReadonlySet<string>): void {
  const problem = whyUnwritable(dir, 'folder');
  if (problem !== null)
    throw new UserError(
      `--out: "${dir}" cannot be written (${problem}); expected a folder to write CSV files into`,
    );
  const st = statOf(resolve(dir));
  if (st === undefined) return;
  const foreign = readdirSync(dir).filter((f) => f.endsWith('.csv') && !names.has(f));
  if (foreign.length > 0)
    throw new UserError(
      `--out: "${dir}" holds ${plural(foreign.length, 'CSV file')} that this run does not write (such as ${foreign.sort()[0]}), which a load of the folder would mix in; expected an empty folder, or one holding this run's files (written again)`,
    );
}
