/** gen compare a.json b.json: every figure of two runs side by side, as ratios. */
import { EXIT } from '../errors.js';
import { compareReports, formatComparison } from '../report/compare.js';
import { readJsonReport } from '../report/json.js';
import { defineCommand } from './command.js';

export const compareCommand = defineCommand({
  command: 'compare <a> <b>',
  describe: 'two --json reports side by side, per figure, as ratios b/a',
  builder: (y) =>
    y
      .positional('a', { type: 'string', demandOption: true })
      .positional('b', { type: 'string', demandOption: true })
      .options({
        all: { type: 'boolean', default: false, describe: 'also the figures that did not change' },
      }),
  // a file that is missing or not a report is a UserError from readJsonReport: exit code 2
  run: async (a, { io }) => {
    const [ra, rb] = [await readJsonReport(a.a), await readJsonReport(a.b)];
    const rows = compareReports(ra, rb);
    io.stdout.write(`${formatComparison(rows, { changedOnly: !a.all, names: [a.a, a.b] })}\n`);
    return EXIT.ok;
  },
});
