import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { buildPlan, listChunks } from '../../src/generate/index.js';
import { createTableSql } from '../../src/model/ddl.js';
import { BUILTIN_LAYOUTS, copyTarget, layoutPartitions } from '../../src/model/layout.js';
import { table } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { LAYOUT_DIR, layoutNames, loadLayout } from '../../src/scenario/layout-file.js';

const dir = mkdtempSync(join(tmpdir(), 'dp-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}
function error(text: string): string {
  try {
    loadLayout(file('bad.yaml', text));
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const m = (e as Error).message;
    expect(m.split('\n')).toHaveLength(1);
    return m;
  }
  throw new Error('expected a UserError');
}

/** The value, or a test failure naming what was not there. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`test setup: no ${what}`);
  return value;
}
const builtin = (name: string) => must(BUILTIN_LAYOUTS[name], `built-in layout ${name}`);

describe('layouts', () => {
  const plan = buildPlan(applyOverrides(loadScenario('tiny'), {}));
  const chunks = listChunks(plan);
  const orderChunk = must(
    chunks.find((c) => c.partition.name === 'shop_order_p20261127_010000'),
    'chunk of shop_order_p20261127_010000',
  );
  const metricChunk = must(
    chunks.find((c) => c.partition.table.name === 'shop_metrics_daily'),
    'chunk of shop_metrics_daily',
  );

  it('sends each chunk to the leaf that holds it, else to the parent', () => {
    expect(copyTarget(builtin('hourly'), orderChunk)).toBe('shop_order_p20261127_010000');
    expect(copyTarget(builtin('daily'), orderChunk)).toBe('shop_order_p20261127');
    expect(copyTarget(builtin('none'), orderChunk)).toBe('shop_order');
    const hourlyMetrics = loadLayout(file('hm.yaml', 'tables: { shop_metrics_daily: hour }'));
    expect(copyTarget(hourlyMetrics, metricChunk)).toBe('shop_metrics_daily');
    expect(copyTarget({ ...builtin('hourly'), route: 'parent' }, orderChunk)).toBe('shop_order');
  });

  it('creates the partitions the layout asks for', () => {
    expect(layoutPartitions(builtin('hourly'), plan.start, 3)).toHaveLength(15 * 3 + 6);
    expect(layoutPartitions(builtin('daily'), plan.start, 3)).toHaveLength(21);
    expect(layoutPartitions(builtin('none'), plan.start, 3)).toHaveLength(0);
    expect(createTableSql('s', table('users'), builtin('none'))).not.toMatch(/PARTITION BY/);
  });

  it('reads a layout file', () => {
    const l = loadLayout(
      file(
        'mine.yaml',
        'base: daily\nroute: parent\ntables: { users: none }\nindexes:\n  - { table: shop_order, columns: [shop_id] }\n',
      ),
    );
    expect(l.name).toBe('mine');
    expect(l.route).toBe('parent');
    expect(l.granularity.users).toBe('none');
    expect(l.granularity.shop_order).toBe('day');
    expect(l.indexes).toEqual([{ table: 'shop_order', columns: ['shop_id'] }]);
  });

  it('rejects bad layouts with one line naming file, line, field and what is allowed', () => {
    expect(error('tables: { shop_ordr: day }')).toMatch(
      /bad\.yaml:1: tables\.shop_ordr: .*did you mean "shop_order"/,
    );
    expect(error('tables:\n  shop_order: weekly\n')).toMatch(
      /bad\.yaml:2: tables\.shop_order: "weekly" .*hour, day, none/,
    );
    expect(error('route: sideways')).toMatch(/route: "sideways" .*leaf or parent/);
    expect(error('indexes:\n  - { table: shop_order, columns: [nope] }\n')).toMatch(
      /indexes\[0\]\.columns\[0\]: "nope" .*shop_id/,
    );
    expect(error('foreign_keys: true')).toMatch(/foreign_keys: .*unpartitioned/);
    expect(error('base: weekly')).toMatch(/base: "weekly"/);
    expect(() => loadLayout('hourlyy')).toThrow(/unknown layout "hourlyy"; did you mean "hourly"/);
    // the shipped layout files are names too, and listed as such
    expect(() => loadLayout('weekly')).toThrow(
      /expected one of: hourly, daily, none, hourly-indexed, unpartitioned-fk, or a path/,
    );
    expect(() => loadLayout('hourly-indexd')).toThrow(/did you mean "hourly-indexed"/);
    // a file may not take a built-in or shipped layout's name: reports and the run ledger know layouts by it
    expect(error('name: hourly\nbase: daily\n')).toBe(
      `${file('bad.yaml', 'name: hourly')}: name "hourly" is a built-in layout's; expected another name`,
    );
    expect(() => loadLayout(file('hourly-indexed.yaml', 'base: daily\n'))).toThrow(
      /hourly-indexed\.yaml: name "hourly-indexed" is a shipped layout's; expected another name \(the file is named after it: add name: to it, or rename it\)$/,
    );
    expect(loadLayout('hourly-indexed').name).toBe('hourly-indexed');
    // the shipped file by a path through a symlinked folder is still itself
    symlinkSync(LAYOUT_DIR, join(dir, 'linked'));
    expect(loadLayout(join(dir, 'linked', 'hourly-indexed.yaml')).name).toBe('hourly-indexed');
    // a copy of the tool without its scenarios/layouts folder still names the built-in ones
    expect(layoutNames(join(tmpdir(), 'data-playground-no-such-folder'))).toEqual([
      'hourly',
      'daily',
      'none',
    ]);
  });
});
