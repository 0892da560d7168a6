/**
 * Paths a command will write (--json, --html, --out, --pgbench), checked before anything runs
 * (src/commands/paths.ts): by making what would be made and removing it, since write permission does not say it.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { whyUnwritable } from '../../src/commands/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('whyUnwritable', () => {
  it('refuses /proc, where root has write permission and nothing can be made', () => {
    // before: null for root, then Node's recursive mkdir of /proc/x never returned (a run hung at its end)
    expect(whyUnwritable('/proc/gen-test/y.json', 'file')).toMatch(/proc/);
    expect(whyUnwritable('/proc/gen-test.json', 'file')).toMatch(/proc/);
    expect(whyUnwritable('/proc/gen-test', 'folder')).toMatch(/proc/);
  });

  it('accepts a path whose folders are still to be made, and leaves nothing behind', () => {
    expect(whyUnwritable(join(dir, 'a', 'b', 'r.json'), 'file')).toBeNull();
    expect(whyUnwritable(join(dir, 'r.json'), 'file')).toBeNull();
    expect(whyUnwritable(join(dir, 'out', 'csv'), 'folder')).toBeNull();
    expect(existsSync(join(dir, 'a'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names a file where a folder of the path should be', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    expect(whyUnwritable(join(file, 'r.json'), 'file')).toBe(`${file} is not a folder`);
    rmSync(file);
  });
});
