/** Paths a command will write (--out, --json, --html), checked before it does anything. */
import { accessSync, constants, readdirSync, type Stats, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';

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
  for (let dir = dirname(full); ; dir = dirname(dir)) {
    const d = statOf(dir);
    if (d !== undefined) {
      if (!d.isDirectory()) return `${dir} is not a folder`;
      return writable(dir) ? null : `no permission to write in ${dir}`;
    }
    if (dirname(dir) === dir) return `${dir} does not exist`;
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
      `--out: "${dir}" holds ${foreign.length} CSV file${foreign.length === 1 ? '' : 's'} that this run does not write (such as ${foreign.sort()[0]}), which a load of the folder would mix in; expected an empty folder, or one holding this run's files (written again)`,
    );
}
