/**
 * The loader's garbage governor (src/load/gc-governor.ts, issue 9 §2): a full collection once the heap used plus
 * the array buffers have grown by GROWTH_BYTES since the last one, looked at every few Buffers; nothing without
 * an exposed gc. The real effect on peak RSS is measured by `npm run bench -- --memory`, not here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GROWTH_BYTES, governMemory, governorStats, resetGovernor } from '../../src/load/gc-governor.js';
import { fromRoot } from '../../src/package-root.js';

const MB = 2 ** 20;

/** the governor called once per Buffer with memory readings from `levels` (one per look); collections counted */
function drive(levels: number[], afterCollect: (before: number) => number): number[] {
  const collectedAt: number[] = [];
  let level = 0;
  let look = 0;
  const measure = (): number => level;
  const collect = (): void => {
    collectedAt.push(look);
    level = afterCollect(level);
  };
  for (const l of levels) {
    level = l;
    // a look happens at every 4th call: three calls that do not look, then one that does
    for (let i = 0; i < 4; i++) governMemory(collect, measure);
    look++;
  }
  return collectedAt;
}

describe('governMemory', () => {
  afterEach(() => resetGovernor());

  it('collects when the growth since the last collection reaches the threshold, and not before', () => {
    const base = 100 * MB;
    const levels = [base, base + GROWTH_BYTES - 1, base + GROWTH_BYTES, base + 2 * MB, base + GROWTH_BYTES];
    // a collection brings the level back to base + 1 MB: the next threshold counts from there (the last look has
    // grown by 1 MB less than the threshold)
    const at = drive(levels, () => base + MB);
    expect(at).toEqual([2]);
    expect(governorStats().collections).toBe(1);
  });

  it('counts from a lower level when V8 collected by itself', () => {
    const base = 100 * MB;
    // the level falls to base - 20 MB (V8's own collection), then grows by the threshold from there
    const levels = [base, base - 20 * MB, base - 20 * MB + GROWTH_BYTES];
    const at = drive(levels, (l) => l - 10 * MB);
    expect(at).toEqual([2]);
  });

  it('keeps collecting as garbage keeps piling up, once per threshold', () => {
    const base = 50 * MB;
    // half a threshold of garbage more at every look; a collection frees it all
    let garbage = 0;
    const collectedAt: number[] = [];
    for (let look = 0; look < 10; look++) {
      for (let i = 0; i < 4; i++)
        governMemory(
          () => {
            collectedAt.push(look);
            garbage = 0;
          },
          () => base + garbage,
        );
      garbage += GROWTH_BYTES / 2;
    }
    expect(collectedAt).toEqual([2, 4, 6, 8]);
  });

  it('does nothing without an exposed gc', () => {
    let looked = 0;
    for (let i = 0; i < 100; i++)
      governMemory(undefined, () => {
        looked++;
        return i * GROWTH_BYTES;
      });
    expect(looked).toBe(0);
    expect(governorStats().collections).toBe(0);
  });
});

describe('gen runs with gc exposed', () => {
  it('bin/gen.js, npm run gen and the image start node with --expose-gc', () => {
    const shebang = readFileSync(fromRoot('bin', 'gen.js'), 'utf8').split('\n')[0] ?? '';
    expect(shebang).toMatch(/^#!\/usr\/bin\/env -S node .*--expose-gc/);
    const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.gen).toMatch(/--expose-gc/);
    expect(readFileSync(join(fromRoot('.'), 'Dockerfile'), 'utf8')).toMatch(/ENTRYPOINT \[.*"--expose-gc"/);
  });
});
