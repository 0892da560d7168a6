/**
 * The schema documents the data (issue 8): every table of the model and every column of them has a comment
 * (COMMENT ON, written by the DDL from the model), so `\d+` says what a column holds. One pass over the
 * catalog: each table and its columns against pg_description.
 */
import { TABLES } from '../../model/tables.js';
import type { CheckDef } from '../check.js';

const comments: CheckDef = {
  name: 'comments',
  description: 'a table of the model, or a column of it, without a comment (COMMENT ON)',
  // to_regclass: a missing table is reported (column NULL, missing true) rather than failing the query
  sql: () => `SELECT t.name AS tbl, a.attname AS "column", c.oid IS NULL AS missing
     FROM unnest($1::text[], $2::text[]) t(name, qualified)
     LEFT JOIN pg_catalog.pg_class c ON c.oid = to_regclass(t.qualified)
     LEFT JOIN LATERAL (SELECT 0::int2 AS attnum, NULL::name AS attname
                        UNION ALL
                        SELECT attnum, attname FROM pg_catalog.pg_attribute
                        WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped) a ON true
     LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = a.attnum
     WHERE d.objoid IS NULL
     ORDER BY 1, a.attnum`,
  params: ({ T }) => [TABLES.map((t) => t.name), TABLES.map((t) => T(t.name))],
  // the catalog, not the rows
  needsWhole: [],
};

export const COMMENTS: CheckDef[] = [comments];
