/**
 * A diagnostic (what `npm run bench --memory` ran for its long windows until 2 December; it now runs `gen --out`,
 * bench/memory.ts): the generator over a whole window in one job, every chunk in load order,
 * each Buffer counted at once and its memory reused (`reuse`, as gen's default load, a binary COPY, uses it), no
 * database. Its peak RSS is the generator's (issue 9 §2: nothing may grow with the window), measured where a
 * load of the same window would take too long or too much disk (168 h at --scale 5: ~100M rows). Prints
 * `{"rows":N,"bytes":N}`.
 *
 * node dist/bench/generate-window.js --scenario black-friday --hours 168 --scale 5
 */
import { parseArgs } from 'node:util';
import { scenarioFromFlags } from '../src/commands/flags.js';
import { generateChunk, listChunks } from '../src/generate/index.js';
import { drain } from './util.js';

const { values } = parseArgs({
  options: { scenario: { type: 'string' }, hours: { type: 'string' }, scale: { type: 'string' } },
});
const { plan } = scenarioFromFlags(
  {
    scenario: values.scenario ?? 'black-friday',
    ...(values.hours === undefined ? {} : { hours: Number(values.hours) }),
    ...(values.scale === undefined ? {} : { scale: Number(values.scale) }),
  },
  { now: Date.now() },
);
let rows = 0;
let bytes = 0;
for (const c of listChunks(plan)) {
  // each Buffer is counted at once, so the generator writes the next rows into the same memory (as for a binary
  // COPY, gen's default load): a new 256 kB Buffer per flush, dropped after counting, was up to ~50 MB of garbage
  // waiting for V8's next full collection at --scale 5's peak (issue 9 §2, round 7)
  const d = drain(generateChunk(plan, c, { header: false, reuse: true }));
  rows += d.rows;
  bytes += d.bytes;
}
console.log(JSON.stringify({ rows, bytes }));
