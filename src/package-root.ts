/**
 * The folder holding our package.json, and the shipped files found from it (scenarios/, sql/queries/).
 * Modules run from src/ (vitest, tsx) and from dist/src/ (after tsc), so a fixed `../../` would be wrong for
 * one of them: walk up from here to the first package.json, once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT: string = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here, i = 0; i < 5; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`package.json not found above ${here}`);
})();

/** A path inside the package: `fromRoot('scenarios')`. */
export function fromRoot(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** name and version from our package.json */
export function toolInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as {
    name?: unknown;
    version?: unknown;
  };
  return { name: String(pkg.name), version: String(pkg.version) };
}
