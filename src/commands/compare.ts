/** gen compare a.json b.json: every figure of two runs side by side, as ratios. */
import { compareReports, formatComparison } from '../report/compare.js';
import { readJsonReport } from '../report/json.js';
import type { Io } from './common.js';

export async function compareCommand(a: { a: string; b: string; all: boolean }, io: Io): Promise<number> {
  const [ra, rb] = [await readJsonReport(a.a), await readJsonReport(a.b)];
  const rows = compareReports(ra, rb);
  io.stdout.write(`${formatComparison(rows, { changedOnly: !a.all, names: [a.a, a.b] })}\n`);
  return 0;
}
