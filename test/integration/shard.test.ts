/**
 * `--shard K/N` end to end (issue 10 §2, §6): N processes of gen, each with its shard, make one run. Into
 * folders (three processes at once, as three machines): the union of their --out files is byte-identical to one
 * run's. Into one schema, one after another: `gen verify` passes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli.js';
import { gen } from './run-gen.js';
import { genProcess, scratchSchemas } from './scratch.js';

const url = inject('databaseUrl');
const { schema } = scratchSchemas(url, 'shard');
const root = mkdtempSync(join(tmpdir(), 'gen-shard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** tiny: 51 chunks, hourly and daily, and a population chunk (hour 0) that outweighs most others */
const SCENARIO = ['--scenario', 'tiny'];

describe('gen --shard K/N', () => {
  it('--out: three shards written at once by three processes are, together, one run byte for byte', async () => {
    const dirs = [1, 2, 3].map((k) => join(root, `shard${k}`));
    const runs = await Promise.all(
      dirs.map((d, i) => genProcess([...SCENARIO, '--out', d, '--shard', `${i + 1}/3`, '--quiet']).done),
    );
    for (const [i, r] of runs.entries()) {
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(
        new RegExp(
          `^gen: shard ${i + 1}/3: \\d+ of \\d+ chunks, ~[\\d.]+[kM]? of [\\d.]+[kM]? rows est\\.$`,
          'm',
        ),
      );
    }
    const whole = join(root, 'whole');
    expect((await gen([...SCENARIO, '--out', whole, '--quiet'])).code).toBe(0);

    const files = dirs.map((d) => readdirSync(d).sort());
    const all = readdirSync(whole).sort();
    // each file in exactly one shard's folder, every file of the run in one of them
    expect(files.flat().sort()).toEqual(all);
    expect(new Set(files.flat()).size).toBe(all.length);
    for (const f of files) expect(f.length).toBeGreaterThan(0);
    dirs.forEach((d, i) => {
      for (const f of files[i] ?? []) {
        expect(readFileSync(join(d, f)).equals(readFileSync(join(whole, f))), f).toBe(true);
      }
    });
  });

  it('a database: three shards one after another into one schema, then gen verify passes', async () => {
    // This needs issue 10 §1's cooperative runs (helper A): a shard's load records the run as the whole
    // listChunks(plan) and leaves finishing (analyze, foreign keys) to whoever completes it.
    const s = schema('db');
    const args = [...SCENARIO, '--db', url, '--schema', s, '--quiet'];
    for (const index of ['0', '1', '2']) {
      // in-process (a process each costs seconds of start-up); the Kubernetes form: K from the 0-based index
      const stdout = new Sink();
      const stderr = new Sink();
      const env = { JOB_COMPLETION_INDEX: index };
      const code = await main([...args, '--shard', 'JOB_COMPLETION_INDEX/3'], { stdout, stderr, env });
      expect(code, stderr.text).toBe(0);
      expect(stderr.text).toContain(`gen: shard ${Number(index) + 1}/3:`);
    }
    const v = await gen(['verify', ...SCENARIO, '--db', url, '--schema', s, '--quiet']);
    expect(v.code, v.out + v.err).toBe(0);
  });
});
