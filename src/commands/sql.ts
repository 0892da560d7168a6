/** gen sql: the DDL of the tables, as sql/schema.sql holds it (npm run sql); with --partitions, a window's too. */
import { EXIT } from '../errors.js';
import { createPartitionSql, schemaSql } from '../model/ddl.js';
import { DEFAULT_LAYOUT, layoutPartitions } from '../model/layout.js';
import { defineCommand } from './command.js';
import { clockNow } from './common.js';
import { scenarioFromFlags } from './flags.js';
import { scenarioOptions, schemaOption } from './options.js';

export const sqlCommand = defineCommand({
  command: 'sql',
  describe:
    'print the DDL of the schema (tables; partitions are created per window by a load, or printed with --partitions)',
  builder: (y) =>
    y.options(schemaOption()).options({
      partitions: {
        type: 'boolean',
        default: false,
        describe:
          'also the partitions of the window the scenario flags give: one per file `--out` writes, to load them yourself',
      },
      ...scenarioOptions(),
    }),
  run: (a, { io }) => {
    let text = schemaSql(a.schema);
    if (a.partitions) {
      // the window as gen would load it (the hourly layout's partitions: the names of --out's files)
      const { scenario, plan } = scenarioFromFlags(a, { now: clockNow(io) });
      const ddl = layoutPartitions(DEFAULT_LAYOUT, plan.start, plan.hours).map((p) =>
        createPartitionSql(a.schema, p),
      );
      text += `-- The partitions of scenario ${scenario.name}'s window: ${plan.hours} hours from ${new Date(plan.start).toISOString()}\n${ddl.join('\n')}\n`;
    }
    io.stdout.write(text);
    return EXIT.ok;
  },
});
