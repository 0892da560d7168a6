/**
 * Layout files (`gen bench --layouts hourly,daily,none,./my-layout.yaml`): per-table granularity, COPY route,
 * indexes, FOREIGN KEY constraints. Validated like scenarios (layout-schema.ts): one line naming file, line,
 * field, value and what is allowed. The format is documented in scenarios/layouts/README.md.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { UserError } from '../errors.js';
import { BUILTIN_LAYOUTS, constrainableReferences, type Layout } from '../model/layout.js';
import { TABLE_NAMES } from '../model/tables.js';
import { suggest } from './fields.js';
import { LayoutFile } from './layout-schema.js';
import { SCENARIO_DIR } from './load.js';
import { compileSchema } from './schema-errors.js';
import { displayPath, readYamlFile } from './yaml-file.js';

export const LAYOUT_DIR = join(SCENARIO_DIR, 'layouts');

const checkLayoutFile = compileSchema(LayoutFile);

/** The layouts a name gives: the built-in ones, then the shipped files (scenarios/layouts/NAME.yaml). */
export function layoutNames(dir = LAYOUT_DIR): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    // no shipped layouts (a copy of the tool without its scenarios folder): the built-in ones still are
  }
  const shipped = files
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
  return [...Object.keys(BUILTIN_LAYOUTS), ...shipped];
}

/** A built-in layout by name (hourly, daily, none), a shipped one (scenarios/layouts/NAME.yaml), or a file. */
export function loadLayout(nameOrPath: string, flag = '--layouts'): Layout {
  const builtin = BUILTIN_LAYOUTS[nameOrPath];
  if (builtin) return builtin;
  const pathLike = /[\\/]/.test(nameOrPath) || /\.(ya?ml|json)$/i.test(nameOrPath);
  const shipped = join(LAYOUT_DIR, `${nameOrPath}.yaml`);
  if (!pathLike && !existsSync(shipped)) {
    const known = layoutNames();
    const hint = suggest(nameOrPath, known);
    throw new UserError(
      `${flag}: unknown layout "${nameOrPath}"; ${hint ? `did you mean "${hint}"? ` : ''}expected one of: ${known.join(', ')}, or a path to a layout .yaml file`,
    );
  }
  const file = pathLike ? nameOrPath : shipped;
  const { checker: c, data } = readYamlFile(file, displayPath(file), 'layout file');
  // An empty file is the base layout under the file's name.
  const f = checkLayoutFile(c, data ?? {});
  const base = BUILTIN_LAYOUTS[f.base ?? 'hourly'];
  if (!base) throw new Error(`internal: the layout schema let base ${String(f.base)} through`);
  const granularity = { ...base.granularity };
  for (const t of TABLE_NAMES) granularity[t] = f.tables?.[t] ?? granularity[t];
  const foreignKeys = f.foreign_keys ?? base.foreignKeys;
  const layout: Layout = {
    name: f.name ?? basename(file, extname(file)),
    granularity,
    route: f.route ?? base.route,
    ...(f.route !== undefined ? { liveRoute: f.route } : {}),
    // listed: the file's own (`[]`: none); unlisted: the base's, like every other setting
    indexes: (f.indexes ?? base.indexes).map((ix) => ({ table: ix.table, columns: [...ix.columns] })),
    foreignKeys,
  };
  // reports, gen bench and the run ledger know a layout by its name: a file must not take a built-in or shipped
  // one's (`name: hourly` over a daily base was recorded as hourly, and gen verify then checked another layout)
  const own = join(LAYOUT_DIR, `${layout.name}.yaml`);
  // the shipped file itself, by any path (a symlinked folder included)
  const isOwn = existsSync(own) && realpathSync(file) === realpathSync(own);
  const taken = layoutNames().includes(layout.name) && !isOwn;
  if (taken)
    throw new UserError(
      `${displayPath(file)}: name "${layout.name}" is a ${BUILTIN_LAYOUTS[layout.name] ? 'built-in' : 'shipped'} layout's; expected another name${f.name === undefined ? ' (the file is named after it: add name: to it, or rename it)' : ''}`,
    );
  if (foreignKeys && constrainableReferences(layout).length === 0) {
    c.fail(
      ['foreign_keys'],
      true,
      'false here: a FOREIGN KEY needs an unpartitioned referenced table; set `tables: { users: none, shop: none, ... }` for the tables you want constrained',
    );
  }
  return layout;
}
