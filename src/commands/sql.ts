/** gen sql: the DDL of the tables, as sql/schema.sql holds it (npm run sql). */
import { EXIT } from '../errors.js';
import { schemaSql } from '../model/ddl.js';
import { defineCommand } from './command.js';
import { schemaOption } from './options.js';

export const sqlCommand = defineCommand({
  command: 'sql',
  describe: 'print the DDL of the schema (tables; partitions are created per window by a load)',
  builder: (y) => y.options(schemaOption()),
  run: (a, { io }) => {
    io.stdout.write(schemaSql(a.schema));
    return EXIT.ok;
  },
});
