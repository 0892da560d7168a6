/** gen compare a.json b.json: every figure of two runs side by side, as ratios. */
import { EXIT, UserError } from '../errors.js';
import { compareReports, formatComparison, incomparable } from '../report/compare.js';
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
    // yargs gives "-" (standard input, to many tools) as ""
    for (const f of [a.a, a.b])
      if (f === '' || f === '-')
        throw new UserError(
          'compare: "-" or an empty name is not a file; expected two --json report files (standard input is not read)',
        );
    const [ra, rb] = [await readJsonReport(a.a), await readJsonReport(a.b)];
    const problem = incomparable(ra, rb, [a.a, a.b]);
    if (problem !== null) throw new UserError(problem);
    const rows = compareReports(ra, rb);
    io.stdout.write(`${formatComparison(rows, { changedOnly: !a.all, names: [a.a, a.b] })}\n`);
    return EXIT.ok;
  },
});
