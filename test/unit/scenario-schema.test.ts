/**
 * The schema files shipped for editors: current (regenerate with `npm run schemas`), referenced by every
 * shipped file, accepting the shipped files and refusing a typo, with help text on every field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LAYOUT_DIR } from '../../src/scenario/layout-file.js';
import { SCENARIO_DIR } from '../../src/scenario/load.js';
import { schemaFiles } from '../../src/scenario/schema-json.js';

const shipped = (folder: string) =>
  readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(folder, f));

const FILES = [
  { kind: 'scenario', schema: join(SCENARIO_DIR, 'scenario.schema.json'), files: shipped(SCENARIO_DIR) },
  { kind: 'layout', schema: join(LAYOUT_DIR, 'layout.schema.json'), files: shipped(LAYOUT_DIR) },
];

/** What an editor runs: a plain draft-07 validator that knows nothing of our formats or annotations. */
function editorValidator(schemaFile: string) {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
}

describe('editor schema files', () => {
  it('scenarios/*.schema.json are what `npm run schemas` writes (run it after changing a schema)', () => {
    const files = schemaFiles();
    expect(files.map((f) => f.file).sort()).toEqual(FILES.map((f) => f.schema).sort());
    for (const { file, text } of files) expect(readFileSync(file, 'utf8'), file).toBe(text);
  });

  it.each(FILES)('every shipped $kind file names its schema on its first line', ({ schema, files }) => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
      const m = /^# yaml-language-server: \$schema=(\.\/[\w.-]+)$/.exec(first);
      expect(m, file).not.toBeNull();
      expect(resolve(dirname(file), m?.[1] ?? ''), file).toBe(schema);
    }
  });

  it.each(FILES)(
    'the $kind schema accepts the shipped files and refuses an unknown field',
    ({ schema, files }) => {
      const validate = editorValidator(schema);
      for (const file of files) {
        const data: unknown = parse(readFileSync(file, 'utf8'));
        expect(validate(data), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
        expect(validate({ ...(data as object), descriptoin: 'typo' })).toBe(false);
      }
    },
  );

  it('the editor schema refuses what the loader refuses field by field', () => {
    const validate = editorValidator(join(SCENARIO_DIR, 'scenario.schema.json'));
    const data = parse(readFileSync(join(SCENARIO_DIR, 'tiny.yaml'), 'utf8')) as Record<string, unknown>;
    expect(validate({ ...data, seed: -1 })).toBe(false);
    expect(validate({ ...data, rhythm: [1, 2, 3] })).toBe(false);
    expect(validate({ ...data, rates: { ...(data.rates as object), orders: 0 } })).toBe(false);
    expect(validate({ ...data, distributions: { items_per_order: { 21: 1 } } })).toBe(false);
    expect(validate({ ...data, distributions: { conversion_rate: 1 } })).toBe(false);
    expect(validate({ ...data, distributions: { log_sample_rate: 0 } })).toBe(false);
    expect(validate({ ...data, distributions: { product_archive_rate: 101 } })).toBe(false);
    expect(validate({ ...data, reporting_currency: 'EURO' })).toBe(false);
    expect(validate({ ...data, reporting_currency: 'EUR' })).toBe(true);
  });

  it.each(FILES)('every field of the $kind schema has help text for completion', ({ schema }) => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const props = (node as { properties?: Record<string, unknown> }).properties;
      for (const [k, child] of Object.entries(props ?? {})) {
        const c = child as { title?: string; description?: string };
        if (!c.title && !c.description) missing.push(`${path}${k}`);
        walk(child, `${path}${k}.`);
      }
      const items = (node as { items?: unknown }).items;
      if (items) walk(items, `${path}[].`);
    };
    walk(JSON.parse(readFileSync(schema, 'utf8')), '');
    expect(missing).toEqual([]);
  });
});
