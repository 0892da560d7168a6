/**
 * Layout files (`gen bench --layouts hourly,daily,none,./my-layout.yaml`): per-table granularity, COPY route,
 * indexes, FOREIGN KEY constraints. Validated like scenarios: one line naming file, line, field, value and
 * what is allowed. The format is documented in scenarios/layouts/README.md.
 */
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { UserError } from '../errors.js';
import {
  BUILTIN_LAYOUTS,
  constrainableReferences,
  type Layout,
  type LayoutGranularity,
  type LayoutIndex,
} from '../model/layout.js';
import { TABLE_NAMES, TABLES, type TableName } from '../model/tables.js';
import { type Checker, suggest } from './fields.js';
import { SCENARIO_DIR } from './load.js';
import { displayPath, readYamlFile } from './yaml-file.js';

export const LAYOUT_DIR = join(SCENARIO_DIR, 'layouts');
const GRANULARITIES: readonly LayoutGranularity[] = ['hour', 'day', 'none'];
const FIELDS = ['name', 'description', 'base', 'route', 'tables', 'indexes', 'foreign_keys'] as const;

/** A built-in layout by name (hourly, daily, none), a shipped one (scenarios/layouts/NAME.yaml), or a file. */
export function loadLayout(nameOrPath: string, flag = '--layouts'): Layout {
  const builtin = BUILTIN_LAYOUTS[nameOrPath];
  if (builtin) return builtin;
  const pathLike = /[\\/]/.test(nameOrPath) || /\.(ya?ml|json)$/i.test(nameOrPath);
  const shipped = join(LAYOUT_DIR, `${nameOrPath}.yaml`);
  if (!pathLike && !existsSync(shipped)) {
    const known = Object.keys(BUILTIN_LAYOUTS);
    const hint = suggest(nameOrPath, known);
    throw new UserError(
      `${flag}: unknown layout "${nameOrPath}"; ${hint ? `did you mean "${hint}"? ` : ''}expected one of: ${known.join(', ')}, or a path to a layout .yaml file`,
    );
  }
  const file = pathLike ? nameOrPath : shipped;
  const read = readYamlFile(file, displayPath(file), 'layout file');
  // an explicit type: TypeScript narrows after a call returning never only through declared types
  const c: Checker = read.checker;
  const data = read.data;
  const f = c.object([], data ?? {}, FIELDS);
  const baseName =
    f.base === undefined ? 'hourly' : c.string(['base'], f.base, 'one of: hourly, daily, none');
  const base = BUILTIN_LAYOUTS[baseName];
  if (!base) c.fail(['base'], baseName, 'one of: hourly, daily, none');
  const name =
    f.name === undefined
      ? basename(file, extname(file))
      : c.string(['name'], f.name, 'letters, digits, . _ - (1 to 40 characters)', /^[A-Za-z0-9._-]{1,40}$/);
  if (f.description !== undefined) c.string(['description'], f.description, 'a non-empty string');
  let route = base.route;
  if (f.route !== undefined) {
    const r: unknown = f.route;
    if (r !== 'leaf' && r !== 'parent') c.fail(['route'], r, 'leaf or parent');
    route = r;
  }
  const granularity = { ...base.granularity };
  if (f.tables !== undefined) {
    const tables = c.object(['tables'], f.tables, TABLE_NAMES);
    for (const [t, g] of Object.entries(tables)) {
      if (!GRANULARITIES.includes(g as LayoutGranularity))
        c.fail(['tables', t], g, 'one of: hour, day, none');
      granularity[t as TableName] = g as LayoutGranularity;
    }
  }
  const indexes: LayoutIndex[] = [];
  if (f.indexes !== undefined) {
    const list: unknown = f.indexes;
    if (!Array.isArray(list)) c.fail(['indexes'], list, 'a list of { table, columns }');
    list.forEach((ix: unknown, i: number) => {
      const x = c.object(['indexes', i], ix, ['table', 'columns']);
      if (x.table === undefined) c.missing(['indexes', i, 'table'], `one of: ${TABLE_NAMES.join(', ')}`);
      const table = c.string(['indexes', i, 'table'], x.table, `one of: ${TABLE_NAMES.join(', ')}`);
      const def = TABLES.find((t) => t.name === table);
      if (!def) c.fail(['indexes', i, 'table'], table, `one of: ${TABLE_NAMES.join(', ')}`);
      const cols = def.columns.map((col) => col.name);
      const columns: unknown = x.columns;
      if (!Array.isArray(columns) || columns.length === 0) {
        c.fail(['indexes', i, 'columns'], columns, `a non-empty list of columns of ${table}`);
      }
      columns.forEach((col: unknown, j: number) => {
        if (typeof col !== 'string' || !cols.includes(col)) {
          c.fail(['indexes', i, 'columns', j], col, `a column of ${table}: ${cols.join(', ')}`);
        }
      });
      indexes.push({ table: def.name, columns: columns as string[] });
    });
  }
  let foreignKeys = base.foreignKeys;
  if (f.foreign_keys !== undefined) {
    if (typeof f.foreign_keys !== 'boolean') c.fail(['foreign_keys'], f.foreign_keys, 'true or false');
    foreignKeys = f.foreign_keys;
  }
  const layout: Layout = { name, granularity, route, indexes, foreignKeys };
  if (foreignKeys && constrainableReferences(layout).length === 0) {
    c.fail(
      ['foreign_keys'],
      true,
      'false here: a FOREIGN KEY needs an unpartitioned referenced table; set `tables: { users: none, shop: none, ... }` for the tables you want constrained',
    );
  }
  return layout;
}
