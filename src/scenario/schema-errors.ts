/**
 * Validates a parsed file against its schema (ajv) and turns the first problem into the one-line message
 * users get: file:line, field path, the bad value, what is allowed (see fields.ts, Checker). "First" is the
 * order a reader would fix them in: fields in schema order, unknown keys of a mapping before its fields.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { Static, TSchema } from 'typebox';
import { type Checker, describeBounds, formatPath, type Path, suggest } from './fields.js';
import { INSTANT_FORMAT, type Messages } from './schema-kit.js';
import { parseInstant } from './time.js';

// allErrors: the first problem in *reading* order is not always the first one ajv meets; verbose: parentSchema.
const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
// Checked like any keyword, so a misspelt annotation fails at startup instead of silently changing a message.
ajv.addKeyword({
  keyword: 'messages',
  metaSchema: {
    type: 'object',
    properties: {
      expected: { type: 'string' },
      missing: { type: 'string' },
      key: { type: 'string' },
      suggest: { type: 'boolean' },
      unique: { type: 'string' },
    } satisfies Record<keyof Messages, unknown>,
    additionalProperties: false,
  },
});
ajv.addFormat(INSTANT_FORMAT, {
  type: 'string',
  validate: (s: string) => typeof parseInstant(s) === 'number',
});

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const field = (o: unknown, k: string): unknown => (isObj(o) ? o[k] : undefined);
const keysOf = (o: unknown): string[] => (isObj(o) ? Object.keys(o) : []);
const messagesOf = (node: unknown): Messages => {
  const m = field(node, 'messages');
  return isObj(m) ? m : {};
};

/**
 * "What is allowed" for a field whose bounds depend on another field's value (which, being earlier in reading
 * order, is valid when this one is reported): called with the field's formatPath, whether it is missing, and a
 * reader of the file's values; undefined = the schema's text.
 */
type DependentText = (path: string, missing: boolean, valueAt: (path: Path) => unknown) => string | undefined;

/** A checker for one schema: returns the data typed by the schema, or throws the UserError of its first problem. */
export function compileSchema<T extends TSchema>(schema: T) {
  const validate = ajv.compile<Static<T>>(schema);
  return (c: Checker, data: unknown, dependent?: DependentText): Static<T> => {
    const checked = withoutDates(data, new Map());
    if (validate(checked)) return checked;
    const errors = (validate.errors ?? []).filter(
      // `if` and `contains` report their sub-schemas' misses too; the keyword's own error says it.
      (e) => e.keyword !== 'if' && !e.schemaPath.includes('/contains/'),
    );
    const ranked = errors.map((e) => ({ e, path: dataPath(e, checked) }));
    ranked.sort((a, b) =>
      compare(position(a.e, a.path, schema, checked), position(b.e, b.path, schema, checked)),
    );
    const first = ranked[0];
    if (!first) throw new Error(`internal: ajv refused ${c.display} without an error`);
    return report(c, first.e, first.path, data, checked, dependent);
  };
}

/**
 * The value ajv checks: YAML 1.1 timestamps (`%YAML 1.1`, `!!timestamp`) become ISO strings, so a time field
 * takes them and other fields refuse them as a string. Messages still show the value as written.
 */
function withoutDates(v: unknown, seen: Map<unknown, unknown>): unknown {
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.toISOString() : String(v);
  const known = seen.get(v);
  if (known !== undefined) return known;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(withoutDates(x, seen));
    return out;
  }
  if (isObj(v) && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Obj = {};
    seen.set(v, out);
    // defineProperty: a `__proto__` key stays a key
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, {
        value: withoutDates(x, seen),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return v;
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const seg of path) v = Array.isArray(v) ? v[Number(seg)] : field(v, String(seg));
  return v;
}

/** ajv's JSON pointer as a Path: list indices as numbers (formatPath shows them as [i]). */
function dataPath(e: ErrorObject, data: unknown): Path {
  const out: (string | number)[] = [];
  let v = data;
  for (const raw of e.instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out.push(Array.isArray(v) ? Number(seg) : seg);
    v = valueAt(v, [seg]);
  }
  return out;
}

/** Reading order of an error: per level, the field's rank in the schema (or the key's / item's index). */
function position(e: ErrorObject, path: Path, schema: unknown, data: unknown): number[] {
  const pos: number[] = [];
  let node = schema;
  let v = data;
  for (const seg of path) {
    const props = field(node, 'properties');
    if (typeof seg === 'number') pos.push(seg);
    else pos.push(isObj(props) && seg in props ? keysOf(props).indexOf(seg) : keysOf(v).indexOf(seg));
    node = step(node, seg);
    v = valueAt(v, [seg]);
  }
  const p = e.params as Obj;
  switch (e.keyword) {
    case 'required':
      return [...pos, keysOf(field(e.parentSchema, 'properties')).indexOf(String(p.missingProperty))];
    case 'additionalProperties': {
      const at = keysOf(v).indexOf(String(p.additionalProperty));
      // unknown fields of a mapping come before its fields; a patterned map checks each key before its value
      return field(e.parentSchema, 'patternProperties') ? [...pos, at, -1] : [...pos, -1, at];
    }
    case 'uniqueItems':
      return [...pos, firstRepeat(v), 1];
    case 'contains':
      return [...pos, Number.POSITIVE_INFINITY];
    default:
      return pos;
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Index of the first item equal to an earlier one. */
function firstRepeat(list: unknown): number {
  if (!Array.isArray(list)) return 0;
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const key = JSON.stringify(list[i]);
    if (seen.has(key)) return i;
    seen.add(key);
  }
  return 0;
}

/** What a schema node allows, in words. */
export function expectedOf(node: unknown, value: unknown): string {
  if (field(node, 'format') === INSTANT_FORMAT) {
    const r = parseInstant(value);
    if (typeof r !== 'number') return r.expected;
  }
  const own = messagesOf(node).expected;
  if (own !== undefined) return own;
  const type = field(node, 'type');
  const values = field(node, 'enum');
  if (Array.isArray(values)) return `one of: ${values.join(', ')}`;
  if (type === 'integer' || type === 'number') {
    const num = (k: string) => {
      const x = field(node, k);
      return typeof x === 'number' ? x : undefined;
    };
    const exMin = num('exclusiveMinimum');
    const exMax = num('exclusiveMaximum');
    return describeBounds({
      integer: type === 'integer',
      min: exMin ?? num('minimum'),
      minExclusive: exMin !== undefined,
      max: exMax ?? num('maximum'),
      maxExclusive: exMax !== undefined,
    });
  }
  if (type === 'object') return `a mapping with the fields: ${keysOf(field(node, 'properties')).join(', ')}`;
  if (type === 'boolean') return 'true or false';
  if (type === 'string') return 'a non-empty string';
  return `a value of type ${String(type)}`;
}

function missingOf(node: unknown): string {
  const own = messagesOf(node).missing;
  if (own !== undefined) return own;
  return field(node, 'type') === 'object' && isObj(field(node, 'properties'))
    ? 'a mapping'
    : expectedOf(node, undefined);
}

function report(
  c: Checker,
  e: ErrorObject,
  path: Path,
  data: unknown,
  checked: unknown,
  dependent: DependentText | undefined,
): never {
  const node = e.parentSchema;
  const p = e.params as Obj;
  const value = valueAt(data, path);
  const checkedValue = valueAt(checked, path);
  const read = (q: Path) => valueAt(data, q);
  const expected = () => dependent?.(formatPath(path), false, read) ?? expectedOf(node, checkedValue);
  switch (e.keyword) {
    case 'required': {
      const name = String(p.missingProperty);
      const at = [...path, name];
      return c.missing(
        at,
        dependent?.(formatPath(at), true, read) ?? missingOf(field(field(node, 'properties'), name)),
      );
    }
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const keyText = messagesOf(node).key;
      if (keyText !== undefined)
        c.fail([...path, key], Number.isNaN(Number(key)) ? key : Number(key), keyText);
      return c.unknown([...path, key], keysOf(field(node, 'properties')));
    }
    case 'uniqueItems': {
      const i = firstRepeat(checkedValue);
      return c.fail([...path, i], valueAt(value, [i]), messagesOf(node).unique ?? 'each value at most once');
    }
    case 'contains':
      return c.fail(
        path,
        value,
        `${expected()}, at least one > ${String(field(field(node, 'contains'), 'exclusiveMinimum'))}`,
      );
    case 'minItems':
    case 'maxItems': {
      const exact = field(node, 'minItems') === field(node, 'maxItems');
      const length = Array.isArray(value) ? value.length : 0;
      return c.fail(path, value, exact ? `${expected()}; it has ${length}` : expected());
    }
    default:
      return c.fail(path, value, withHints(node, value, expected()));
  }
}

function withHints(node: unknown, value: unknown, expected: string): string {
  const type = field(node, 'type');
  // YAML 1.1 allowed 40_000; YAML 1.2 (what `yaml` parses) reads it as a string.
  if (
    (type === 'number' || type === 'integer') &&
    typeof value === 'string' &&
    /^[+-]?\d[\d_]*(\.\d+)?$/.test(value) &&
    value.includes('_')
  ) {
    return `${expected} (write it without underscores: ${value.replace(/_/g, '')})`;
  }
  const values = field(node, 'enum');
  if (messagesOf(node).suggest && Array.isArray(values) && typeof value === 'string') {
    const hint = suggest(value, values.map(String));
    if (hint) return `${expected} (did you mean "${hint}"?)`;
  }
  return expected;
}

/** The schema node that describes `path` (properties, list items, patterned keys), for texts and bounds. */
export function schemaAt(schema: unknown, path: Path): Obj {
  let node = schema;
  for (const seg of path) node = step(node, seg);
  return isObj(node) ? node : {};
}

function step(node: unknown, seg: string | number): unknown {
  if (typeof seg === 'number') return field(node, 'items');
  const props = field(node, 'properties');
  if (isObj(props) && seg in props) return props[seg];
  const patterned = field(node, 'patternProperties');
  return isObj(patterned) ? Object.values(patterned)[0] : undefined;
}
