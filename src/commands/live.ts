/** gen live: the scenario played as a running shop — business transactions in scenario time (src/live/). */
import { cpus } from 'node:os';
import { EXIT, interruptedExit, UserError } from '../errors.js';
import { toLiveReport } from '../live/report.js';
import { runLive } from '../live/run.js';
import { formatLiveProgress, formatLiveSummary } from '../report/live-text.js';
import { listScenarios } from '../scenario/index.js';
import { loadLayout } from '../scenario/layout-file.js';
import { defineCommand } from './command.js';
import { EMBEDDED_HINT, resolveServer } from './common.js';
import { numericFlag, scenarioFromFlags, schemaFlag } from './flags.js';
import { dbOption, outputOptions, quietOption, scenarioOptions, schemaOption } from './options.js';
import { reportFrame, wantsOutputs, writeOutputs } from './outputs.js';

const DEFAULT_WRITERS = Math.max(2, 2 * cpus().length);

export const liveCommand = defineCommand({
  command: 'live',
  describe:
    'play the scenario against the database in scenario time: business transactions, partitions made and retired under load',
  builder: (y) =>
    y
      .options(scenarioOptions(`name (${listScenarios().join(', ')}) or path to a .yaml file`))
      .options(dbOption)
      .options(schemaOption('target schema'))
      .options({
        speed: {
          type: 'number',
          default: 60,
          describe: 'scenario seconds per wall second (60: an hour a minute; 1: real time)',
        },
        writers: {
          type: 'number',
          describe: `connections executing transactions (default: 2 per core, ${DEFAULT_WRITERS})`,
        },
        premake: {
          type: 'number',
          default: 4,
          describe: 'hours of partitions kept made ahead of the scenario clock',
        },
        retention: {
          type: 'number',
          describe: 'detach and drop event-table partitions older than this many scenario hours',
        },
        reset: { type: 'boolean', default: false, describe: 'drop the schema first if it holds another run' },
        layout: {
          type: 'string',
          default: 'hourly',
          describe: 'partition layout: hourly, daily, none, or a layout file',
        },
      })
      .options(quietOption)
      .options(outputOptions),
  run: async (a, { argv, io }) => {
    const say = (s: string): void => {
      io.stderr.write(`${s}\n`);
    };
    const schema = schemaFlag(a.schema);
    const speed = numericFlag('speed', a.speed) ?? 60;
    const writers = numericFlag('writers', a.writers) ?? DEFAULT_WRITERS;
    const premakeHours = numericFlag('premake', a.premake) ?? 4;
    const retentionHours = numericFlag('retention', a.retention) ?? null;
    const { scenario, plan } = scenarioFromFlags(a);
    const layout = loadLayout(a.layout, '--layout');
    if (retentionHours !== null) {
      const d = scenario.distributions;
      const longest = Math.max(d.refundDelayHours.max, d.reviewDelayHours.max);
      if (retentionHours < longest) {
        throw new UserError(
          `--retention: ${retentionHours} is not allowed for scenario ${scenario.name}; expected at least ${longest} hours, its longest reference delay (refunds, reviews), so no change lands in a dropped partition`,
        );
      }
    }
    const server = await resolveServer(a.db, io);
    say(
      `gen live: scenario ${scenario.name} (seed ${scenario.seed}, scale ${scenario.scale}), ${scenario.hours} hours from ` +
        `${new Date(scenario.start).toISOString()} at speed ${speed}, ${writers} writers -> ${server.where}, schema ${schema}`,
    );
    const tty = io.stderr.isTTY === true;
    const result = await runLive({
      plan,
      url: server.url,
      schema,
      layout,
      speed,
      writers,
      premakeHours,
      retentionHours,
      reset: a.reset,
      ...(io.signal ? { signal: io.signal } : {}),
      ...(a.quiet
        ? {}
        : {
            onProgress: (p) => {
              if (tty) io.stderr.write(`\r${formatLiveProgress(p)}\u001b[K`);
              else say(formatLiveProgress(p));
            },
            progressEveryMs: tty ? 1000 : 5000,
          }),
    });
    if (tty && !a.quiet) io.stderr.write('\n');
    const report = toLiveReport(result, { speed, writers, premakeHours, retentionHours });
    if (result.alreadyDone)
      io.stdout.write(`nothing to do: this run is already played in schema ${schema}\n`);
    else io.stdout.write(`${formatLiveSummary(report)}\n`);
    if (wantsOutputs(a)) {
      const frame = await reportFrame(argv, scenario, server.url, `schema ${schema}`);
      frame.live = report;
      await writeOutputs(a, frame, say);
    }
    if (!result.finished) {
      say('gen live: stopped; run the same command again to continue where the committed transactions end');
      return interruptedExit(io.signal);
    }
    if (server.embedded) io.stdout.write(`\n${EMBEDDED_HINT}\n`);
    return EXIT.ok;
  },
});
