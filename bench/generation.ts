/**
 * npm run bench, part 1 (issue 8, unchanged): generation alone, no database, one core: rows/s per table and for
 * the whole mix, next to faker called per field in the same run.
 */
import { en, Faker } from '@faker-js/faker';
import { buildPlan, generateChunk, historyPass, listChunks, type Plan } from '../src/generate/index.js';
import { TABLES } from '../src/model/tables.js';
import { drain, fmt, printTable } from './util.js';

export interface GenerationSettings {
  plan: Plan;
  scenarioName: string;
  hours: number;
}

export function generationBench({ plan, scenarioName, hours }: GenerationSettings): void {
  console.log(`\n## Generation alone (no database, one core): ${scenarioName}, ${hours} hours`);
  const chunks = listChunks(plan);
  // warm the JIT, as the faker baseline below is warmed: every table's code runs once, on ANOTHER plan (the
  // scenario's first WARM_HOURS with the next seed), so what is timed is optimised code and nothing of the
  // timed plan is computed before its clock starts (per-plan state is keyed by the plan, pools by the seed)
  const warm = warmUp(plan);
  // warm the pools (faker) so they are not counted in the first table: without the header the first buffer is
  // rows, so the chunk's context and its pools exist by then (with it, the loop stopped before either was made)
  const [first] = chunks;
  if (first) for (const _ of generateChunk(plan, first, { header: false })) break;
  const rows: string[][] = [['table', 'rows', 'MB', 'seconds', 'rows/s']];
  let allRows = 0;
  let allBytes = 0;
  // the one pass over the window's orders that stock and new customers need (issue 8), timed on its own: the
  // first table that asks for it would pay for it otherwise; it counts in the total
  const p0 = performance.now();
  historyPass(plan);
  let allMs = performance.now() - p0;
  rows.push(['(history pass: stock, new customers)', '', '', (allMs / 1000).toFixed(2), '']);
  for (const t of TABLES) {
    let n = 0;
    let bytes = 0;
    const t0 = performance.now();
    for (const c of chunks) {
      if (c.partition.table !== t) continue;
      // the generator counts the rows it writes (a second pass over the bytes for newlines was 7-9% of this
      // bench: not generation); each buffer is reused once counted, as a binary COPY load does
      const d = drain(generateChunk(plan, c, { header: false, reuse: true }));
      n += d.rows;
      bytes += d.bytes;
    }
    const ms = performance.now() - t0;
    allRows += n;
    allBytes += bytes;
    allMs += ms;
    rows.push([t.name, fmt(n), (bytes / 1e6).toFixed(1), (ms / 1000).toFixed(2), fmt(n / (ms / 1000))]);
  }
  rows.push([
    'all tables',
    fmt(allRows),
    (allBytes / 1e6).toFixed(1),
    (allMs / 1000).toFixed(2),
    fmt(allRows / (allMs / 1000)),
  ]);
  printTable(rows);
  console.log(
    `(JIT warmed first on ${fmt(warm.rows)} rows of another plan: ${(warm.ms / 1000).toFixed(2)} s, not counted)`,
  );
  const ours = allRows / (allMs / 1000);
  const naive = fakerPerFieldRowsPerSec();
  console.log(
    `baseline in this run: faker called per field, 14-column rows as CSV strings: ${fmt(naive)} rows/s; ` +
      `gen: ${(ours / naive).toFixed(1)}x that`,
  );
  console.log(
    `goal: >= 1,000,000 rows/s on one core; this run: ${fmt(ours)} rows/s (${(ours / 1e6).toFixed(2)}x the goal)`,
  );
}

/** hours of the warm-up plan */
const WARM_HOURS = 2;

/** Every chunk of the scenario's first WARM_HOURS with the next seed, output dropped: rows and time. */
function warmUp(plan: Plan): { rows: number; ms: number } {
  const other = buildPlan({
    ...plan.scenario,
    seed: plan.scenario.seed + 1,
    hours: Math.min(WARM_HOURS, plan.hours),
  });
  const t0 = performance.now();
  let rows = 0;
  for (const c of listChunks(other))
    rows += drain(generateChunk(other, c, { header: false, reuse: true })).rows;
  return { rows, ms: performance.now() - t0 };
}

/**
 * The naive way, measured on the same machine in the same run: faker called for every field of an order-like
 * row (14 columns), joined into a CSV line. Warmed up first (its JIT and pools), then timed over at least
 * MIN_BASELINE_MS in rounds (one short round of 20,000 rows, cold, moved between 19k and 57k rows/s on a shared
 * machine: the ratio with it).
 */
const MIN_BASELINE_MS = 3000;
const BASELINE_ROUND = 20_000;

function fakerPerFieldRowsPerSec(): number {
  const f = new Faker({ locale: [en] });
  f.seed(1);
  let bytes = fakerRows(f, 2_000);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < MIN_BASELINE_MS) {
    bytes += fakerRows(f, BASELINE_ROUND);
    n += BASELINE_ROUND;
  }
  const ms = performance.now() - t0;
  return bytes > 0 ? n / (ms / 1000) : 0;
}

/** `n` rows the naive way; their bytes (so the work is not optimised away) */
function fakerRows(f: Faker, n: number): number {
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const line = [
      f.string.uuid(),
      f.date.between({ from: '2026-11-27T00:00:00Z', to: '2026-11-30T00:00:00Z' }).toISOString(),
      f.string.uuid(),
      f.string.uuid(),
      f.helpers.arrayElement(['paid', 'abandoned', 'payment_failed']),
      String(f.number.int({ min: 1, max: 6 })),
      f.commerce.price(),
      f.commerce.price(),
      f.commerce.price(),
      'USD',
      f.person.fullName(),
      f.internet.email(),
      f.date.past().toISOString(),
      JSON.stringify({ channel: f.helpers.arrayElement(['web', 'ios', 'android']) }),
    ].join(',');
    bytes += line.length;
  }
  return bytes;
}
