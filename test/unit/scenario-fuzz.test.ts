/**
 * Property/fuzz test of the user-file readers: every mutated scenario or layout file must either load (and
 * then work downstream) or be refused with a one-line UserError that starts with the file's display path.
 * Anything else (a TypeError, a stack trace, a multi-line message, a plan with wrong counts) is a failure.
 *
 * Deterministic: case i of a family draws all its randomness from seedrandom.alea(`${SEED}/${family}/${i}`).
 * A failure prints the seed, family, case index, the mutations and the file text. To replay:
 *   FUZZ_SEED=<seed> FUZZ_CASE=<i> npx vitest run test/unit/scenario-fuzz.test.ts
 * FUZZ_SCALE=<n> multiplies the number of cases (e.g. 10 for a longer local run with another seed).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { UserError } from '../../src/errors.js';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import { CURRENCY_CODES, type CurrencyCode } from '../../src/model/currencies.js';
import { createIndexSql, createTableSql, foreignKeySql } from '../../src/model/ddl.js';
import { type Layout, layoutPartitions } from '../../src/model/layout.js';
import { TABLE_NAMES, TABLES } from '../../src/model/tables.js';
import {
  applyOverrides,
  listScenarios,
  loadScenario,
  RATE_NAMES,
  type RateName,
  SCENARIO_DIR,
  type Scenario,
  type ScenarioOverrides,
} from '../../src/scenario/index.js';
import { LAYOUT_DIR, loadLayout } from '../../src/scenario/layout-file.js';
import { displayPath } from '../../src/scenario/yaml-file.js';

const SEED = process.env.FUZZ_SEED ?? 'data-playground/scenario-fuzz/1';
const ONLY = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SCENARIO_CASES = Math.round(1000 * SCALE);
const LAYOUT_CASES = Math.round(300 * SCALE);
const OVERRIDE_CASES = Math.round(300 * SCALE);

const HOUR = 3_600_000;
const UINT32_MAX = 4_294_967_295;
const INT32_MAX = 2_147_483_647;
/** Largest epoch ms a Date can show (year 275760). */
const MAX_DATE_MS = 8.64e15;

const dir = mkdtempSync(join(tmpdir(), 'scenario-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---- randomness --------------------------------------------------------------------------------------

class Rng {
  private readonly next: () => number;
  constructor(seed: string) {
    this.next = seedrandom.alea(seed);
  }
  float(): number {
    return this.next();
  }
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('test bug: pick from an empty list');
    return xs[Math.floor(this.next() * xs.length)] as T;
  }
}

// ---- trees (parsed YAML) -----------------------------------------------------------------------------

type Key = string | number;
type Obj = Record<string, unknown>;
type Container = Obj | unknown[];

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const isContainer = (v: unknown): v is Container => Array.isArray(v) || isObj(v);

interface Slot {
  parent: Container;
  key: Key;
  path: Key[];
}

/** Every (parent, key) in the tree, depth first; shared or cyclic nodes are visited once. */
function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, path: Key[]) => {
    if (!isContainer(node) || seen.has(node)) return;
    seen.add(node);
    const keys: Key[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const k of keys) {
      out.push({ parent: node, key: k, path: [...path, k] });
      walk(get(node, k), [...path, k]);
    }
  };
  walk(root, []);
  return out;
}

function get(parent: Container, key: Key): unknown {
  return Array.isArray(parent) ? parent[Number(key)] : parent[String(key)];
}

function set(parent: Container, key: Key, value: unknown): void {
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else parent[String(key)] = value;
}

function remove(parent: Container, key: Key): void {
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[String(key)];
}

/** Renames a map key in place, keeping the key order (order decides which error is reported first). */
function renameKey(parent: Obj, from: string, to: string): void {
  const entries = Object.entries(parent);
  for (const k of Object.keys(parent)) delete parent[k];
  for (const [k, v] of entries) parent[k === from ? to : k] = v;
}

function at(root: unknown, path: readonly Key[]): unknown {
  let node = root;
  for (const k of path) {
    if (!isContainer(node)) return undefined;
    node = get(node, k);
  }
  return node;
}

/** A dotted path with list indices as `*`, for looking up bounds. */
const pattern = (path: readonly Key[]) => path.map((k) => (typeof k === 'number' ? '*' : k)).join('.');
const dotted = (path: readonly Key[]) => path.map(String).join('.') || '(root)';

/** A short, one-line, cycle-safe rendering of a value for failure reports. */
function brief(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v instanceof Date) return `Date(${v.getTime()})`;
  if (v === undefined) return 'undefined';
  const seen = new Set<unknown>();
  let text: string;
  try {
    text = JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
      if (isContainer(x)) {
        if (seen.has(x)) return '<cycle/shared>';
        seen.add(x);
      }
      return x;
    });
  } catch {
    text = String(v);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

// ---- random values -----------------------------------------------------------------------------------

const STRINGS = [
  '',
  ' ',
  'abc',
  'true',
  'null',
  '~',
  'yes',
  '1,000',
  '40_000',
  '0x1F',
  '0o17',
  '1e999',
  '-1e999',
  'NaN',
  '.nan',
  'Infinity',
  '-.inf',
  '5',
  '-5',
  '0.5',
  '2026-11-27',
  '2026-11-27T00:30:00Z',
  '2026-02-30',
  '2026-11-27T00:00:00',
  '2026-11-27T01:00:00+01:00',
  '2026-11-27T00:00:00.000Z',
  '2026-11-27T00:00:00.5Z',
  '2026-11-27T00:00:00+99:99',
  '+002026-11-27',
  '9999-12-31T23:00:00Z',
  '1969-12-31T23:00:00Z',
  '0000-01-01',
  '🎉 ünïcødé',
  'עברית',
  '\u0000',
  'a\nb',
  'line1\r\nline2',
  '\u2028',
  '\t',
  "'",
  '"',
  '{',
  '*a',
  '&a',
  '!!binary',
  '%YAML',
  '# comment',
  'hourly',
  'orders',
  'none',
  'leaf',
];

const NUMBERS = [
  -1,
  -0,
  0,
  0.5,
  1,
  2,
  24,
  23,
  25,
  100,
  101,
  -1e-9,
  1.0000001,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  1e7,
  1e7 + 1,
  1e8,
  1e12,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  UINT32_MAX,
  UINT32_MAX + 1,
];

function randomString(r: Rng): string {
  if (r.chance(0.6)) return r.pick(STRINGS);
  if (r.chance(0.3)) return r.pick(['x', 'é', '🎉', '\n', 'a b', ':']).repeat(r.int(100, 20_000));
  const chars = 'abcXYZ019 _-.:#{}[],&*!|>\'"%@`?\n\té🎉\u0000\uFEFF\u2028';
  let s = '';
  const n = r.int(1, 12);
  for (let i = 0; i < n; i++) s += r.pick([...chars]);
  return s;
}

function randomNumber(r: Rng): number {
  if (r.chance(0.5)) return r.pick(NUMBERS);
  if (r.chance(0.5)) return r.int(-10, 10_000);
  return (r.float() - 0.3) * 10 ** r.int(0, 12);
}

function randomValue(r: Rng, depth = 0): unknown {
  switch (r.int(0, 9)) {
    case 0:
    case 1:
      return randomString(r);
    case 2:
    case 3:
      return randomNumber(r);
    case 4:
      return null;
    case 5:
      return r.chance(0.5);
    case 6:
      // a Date is written as an unquoted YAML timestamp
      return new Date(
        r.pick([0, Date.UTC(2026, 10, 27), Date.UTC(2026, 10, 27, 0, 30), Date.UTC(9999, 0, 1)]),
      );
    case 7: {
      if (depth > 2 || r.chance(0.3)) return [];
      const n = r.int(1, r.chance(0.2) ? 30 : 4);
      return Array.from({ length: n }, () => (r.chance(0.7) ? randomNumber(r) : randomValue(r, depth + 1)));
    }
    case 8: {
      if (depth > 2 || r.chance(0.3)) return {};
      const o: Obj = {};
      const n = r.int(1, 4);
      for (let i = 0; i < n; i++)
        o[r.pick(['min', 'max', 'median', 'p99', '1', 'x', randomString(r)])] = randomValue(r, depth + 1);
      return o;
    }
    default: {
      // deep nesting
      let v: unknown = randomNumber(r);
      const n = r.int(5, 60);
      for (let i = 0; i < n; i++) v = r.chance(0.5) ? [v] : { a: v };
      return v;
    }
  }
}

/** A plausible typo of a key. */
function typo(r: Rng, key: string): string {
  const i = r.int(0, Math.max(0, key.length - 1));
  switch (r.int(0, 12)) {
    case 0:
      return key.slice(0, i) + key.slice(i + 1);
    case 1:
      return key.slice(0, i) + r.pick([...'abcdefghijklmnopqrstuvwxyz_']) + key.slice(i);
    case 2:
      return key.slice(0, i) + (key[i + 1] ?? '') + (key[i] ?? '') + key.slice(i + 2);
    case 3:
      return key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    case 4:
      return key.replace(/_/g, '-');
    case 5:
      return key.toUpperCase();
    case 6:
      return ` ${key}`;
    case 7:
      return `${key}\n`;
    case 8:
      return r.pick([
        '',
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        '0',
        '01',
        '-1',
        '1.5',
        '1e1',
      ]);
    case 9:
      return `${key}é🎉`;
    case 10:
      return key.repeat(r.int(2, 200));
    case 11:
      return `${key.slice(0, i)}\n${key.slice(i)}`;
    default:
      return randomString(r);
  }
}

// ---- mutations ---------------------------------------------------------------------------------------

type Tree = { root: unknown };
type Mutation = (r: Rng, t: Tree) => string | undefined;

/** Bounds of a scenario's numeric fields (scenarios/README.md), by `pattern` of the path. */
const SCENARIO_BOUNDS: [RegExp, number, number][] = [
  [/^seed$/, 0, UINT32_MAX],
  [/^window\.hours$/, 1, 8760],
  [/^population\.(users|shop_owners)$/, 1, 100_000_000],
  [/^population\.promotions$/, 0, 10_000_000],
  [/^population\.shops_per_owner\.(min|max)$/, 1, 1000],
  [/^population\.products_per_shop\.(min|max)$/, 1, 100_000],
  [/^population\.payment_methods_per_user\.(min|max)$/, 1, 20],
  [/^rates\./, 0, 10_000_000],
  [/^rhythm\.\*$/, 0, 100],
  [/^events\.\*\.hours$/, 1, 8760],
  [/^events\.\*\.multiplier$/, 0, 1000],
  [/^distributions\.(items_per_order|quantity_per_item)\./, 0, 100],
  [/^distributions\.\w+_skew$/, 0, 10],
  [/^distributions\.price_cents\./, 1, 100_000_000],
  [/^distributions\.(user_churn|user_ban|shop_pause|product_archive)_rate$/, 0, 100],
  [/^distributions\.bot_share$/, 0, 10],
  [/^distributions\.(\w+_rate|\w+_share)$/, 0, 1],
  [/^distributions\.shop_pause_days\./, 1, 365],
  [/^distributions\.(product_draft_hours|promotion_lead_hours)\./, 0, 8760],
  [/^distributions\.(refund_delay_hours|restock_lead_hours)\./, 1, 8760],
  [/^distributions\.repricing_percent\./, 1, 90],
  [/^distributions\.(initial_stock\.\w+|reorder_point)$/, 0, 1_000_000],
  [/^distributions\.product_views_per_session\./, 1, 100],
  [/^distributions\.api_capacity_per_hour$/, 0, 1e12],
  [/^distributions\.payment_max_retries$/, 0, 5],
  [/^distributions\.(review_delay_hours|promotion_duration_hours)\./, 1, 8760],
  [/^distributions\.promotion_discount_percent\./, 1, 90],
  [/^distributions\.api_latency_ms\./, 0, 600_000],
  [/^distributions\.restock_quantity\./, 1, 1_000_000],
];

function boundaryValue(r: Rng, path: readonly Key[]): number {
  const p = pattern(path);
  const b = SCENARIO_BOUNDS.find(([re]) => re.test(p));
  if (!b) return randomNumber(r);
  const [, lo, hi] = b;
  return r.pick([lo, hi, lo - 1, hi + 1, lo + 0.5, hi - 0.5, hi + 1e-9, lo - 1e-9, (lo + hi) / 2, 0, -0]);
}

function numericSlots(t: Tree): Slot[] {
  return slots(t.root).filter((s) => typeof get(s.parent, s.key) === 'number');
}

const deleteField: Mutation = (r, t) => {
  const all = slots(t.root);
  if (all.length === 0) return undefined;
  const s = r.pick(all);
  remove(s.parent, s.key);
  return `delete ${dotted(s.path)}`;
};

const setRandom: Mutation = (r, t) => {
  const all = slots(t.root);
  if (all.length === 0) return undefined;
  const s = r.pick(all);
  const v = randomValue(r);
  set(s.parent, s.key, v);
  return `set ${dotted(s.path)} = ${brief(v)}`;
};

const setBoundary: Mutation = (r, t) => {
  const all = numericSlots(t);
  if (all.length === 0) return undefined;
  const s = r.pick(all);
  const v = boundaryValue(r, s.path);
  set(s.parent, s.key, v);
  return `set ${dotted(s.path)} = ${brief(v)} (boundary)`;
};

const rename: Mutation = (r, t) => {
  const maps = slots(t.root).filter((s) => typeof s.key === 'string');
  if (maps.length === 0) return undefined;
  const s = r.pick(maps);
  const to = typo(r, String(s.key));
  if (!isObj(s.parent)) return undefined;
  renameKey(s.parent, String(s.key), to);
  return `rename ${dotted(s.path)} -> ${JSON.stringify(to).slice(0, 60)}`;
};

const swapEntries: Mutation = (r, t) => {
  const lists = [t.root, ...slots(t.root).map((s) => get(s.parent, s.key))].filter(
    (v): v is unknown[] => Array.isArray(v) && v.length >= 2,
  );
  if (lists.length === 0) return undefined;
  const l = r.pick(lists);
  const i = r.int(0, l.length - 1);
  const j = r.int(0, l.length - 1);
  [l[i], l[j]] = [l[j], l[i]];
  return `swap list entries ${i} and ${j} of a ${l.length}-list`;
};

const wrap: Mutation = (r, t) => {
  const all = slots(t.root);
  if (all.length === 0) return undefined;
  const s = r.pick(all);
  const v = get(s.parent, s.key);
  const w = r.chance(0.5) ? [v] : { [String(s.key)]: v };
  set(s.parent, s.key, w);
  return `wrap ${dotted(s.path)} in a ${Array.isArray(w) ? 'list' : 'mapping'}`;
};

/** A node that refers to one of its ancestors: an alias cycle in the YAML text. */
const cycle: Mutation = (r, t) => {
  const all = slots(t.root);
  if (all.length === 0) return undefined;
  const s = r.pick(all);
  const ancestors: Container[] = [];
  for (let i = 0; i < s.path.length; i++) {
    const v = at(t.root, s.path.slice(0, i));
    if (isContainer(v)) ancestors.push(v);
  }
  if (ancestors.length === 0) return undefined;
  const target = r.pick(ancestors);
  set(s.parent, s.key, target);
  return `set ${dotted(s.path)} = <alias of an ancestor> (cycle)`;
};

/** Two fields share one node: an anchor and an alias in the YAML text. */
const share: Mutation = (r, t) => {
  const all = slots(t.root);
  if (all.length < 2) return undefined;
  const from = r.pick(all);
  const to = r.pick(all);
  const v = get(from.parent, from.key);
  if (!isContainer(v) || to.path.slice(0, from.path.length).join('\u0001') === from.path.join('\u0001'))
    return undefined;
  set(to.parent, to.key, v);
  return `set ${dotted(to.path)} = <alias of ${dotted(from.path)}>`;
};

const replaceRoot: Mutation = (r, t) => {
  t.root = r.pick<() => unknown>([
    () => null,
    () => [],
    () => [t.root],
    () => randomString(r),
    () => randomNumber(r),
    () => ({}),
    () => true,
  ])();
  return `replace the whole document with ${brief(t.root)}`;
};

// -- scenario-specific

function scenarioRoot(t: Tree): Obj | undefined {
  return isObj(t.root) ? t.root : undefined;
}

function windowOf(root: Obj): { start: number; hours: number } {
  const w = isObj(root.window) ? root.window : {};
  const start =
    typeof w.start === 'string' && Number.isFinite(Date.parse(w.start))
      ? Date.parse(w.start)
      : Date.UTC(2026, 10, 27);
  const hours = typeof w.hours === 'number' && Number.isFinite(w.hours) ? w.hours : 24;
  return { start, hours };
}

const iso = (ms: number) =>
  Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString().replace('.000Z', 'Z') : String(ms);

const eventOutsideWindow: Mutation = (r, t) => {
  const root = scenarioRoot(t);
  if (!root) return undefined;
  const { start, hours } = windowOf(root);
  if (!Array.isArray(root.events) || root.events.length === 0) {
    root.events = [{ name: 'fuzz', start: iso(start), hours: 1, multiplier: 2 }];
  }
  const events = root.events as unknown[];
  const i = r.int(0, events.length - 1);
  const e = events[i];
  if (!isObj(e)) return undefined;
  const eh = typeof e.hours === 'number' ? e.hours : 1;
  const when = r.pick([
    start - eh * HOUR,
    start - eh * HOUR - HOUR,
    start - (eh - 1) * HOUR,
    start + hours * HOUR,
    start + hours * HOUR - HOUR,
    start + 365 * 24 * HOUR,
    0,
    Date.UTC(9999, 11, 31, 23),
  ]);
  e.start = iso(when);
  return `events[${i}].start = ${e.start} (window ${iso(start)} + ${hours} h)`;
};

const rangeMinGtMax: Mutation = (r, t) => {
  const ranges = slots(t.root)
    .map((s) => ({ s, v: get(s.parent, s.key) }))
    .filter((x): x is { s: Slot; v: Obj } => isObj(x.v) && 'min' in x.v && 'max' in x.v);
  if (ranges.length === 0) return undefined;
  const { s, v } = r.pick(ranges);
  const max = typeof v.max === 'number' ? v.max : 1;
  v.min = max + r.pick([1, 0.5, 1000]);
  return `${dotted(s.path)}.min = ${brief(v.min)} > max ${brief(v.max)}`;
};

const WEIGHT_FIELDS = ['items_per_order', 'quantity_per_item'];

const badWeights: Mutation = (r, t) => {
  const root = scenarioRoot(t);
  if (!root) return undefined;
  if (!isObj(root.distributions)) root.distributions = {};
  const d = root.distributions as Obj;
  const field = r.pick(WEIGHT_FIELDS);
  const current = isObj(d[field]) ? (d[field] as Obj) : { 1: 5, 2: 3 };
  const keys = Object.keys(current);
  const w: Obj = {};
  const kind = r.int(0, 6);
  for (const k of keys) w[k] = kind === 0 ? 0 : current[k];
  if (kind === 1) w[r.pick(keys) ?? '1'] = -1;
  if (kind === 2) w[r.pick(['0', '21', '100', '-1', '1.5', 'x', '01', ' 1', '1e1'])] = 1;
  if (kind === 3) for (const k of keys) w[k] = 1e308;
  if (kind === 4) for (const k of keys) w[k] = Number.MIN_VALUE;
  if (kind === 5) w[r.pick(keys) ?? '1'] = r.pick<unknown>(['5', null, [], {}, true, Number.NaN]);
  d[field] = kind === 6 ? r.pick<unknown>([{}, [], [1, 2], 'x', 0]) : w;
  return `distributions.${field} = ${brief(d[field])}`;
};

const badRhythm: Mutation = (r, t) => {
  const root = scenarioRoot(t);
  if (!root) return undefined;
  const base = Array.isArray(root.rhythm) ? [...root.rhythm] : Array.from({ length: 24 }, () => 1);
  const kind = r.int(0, 5);
  let v: unknown[];
  if (kind === 0) v = base.slice(0, r.int(0, 23));
  else if (kind === 1) v = [...base, ...Array.from({ length: r.int(1, 30) }, () => 1)];
  else if (kind === 2) v = base.map(() => 0);
  else if (kind === 3)
    v = base.map((x, i) => (i === r.int(0, 23) ? r.pick<unknown>([-1, 101, '1', null, 1e308]) : x));
  else if (kind === 4) v = base.map(() => 100);
  else v = base.map(() => r.pick([0, Number.MIN_VALUE, 0.001, 100]));
  root.rhythm = v;
  return `rhythm = ${brief(v)}`;
};

const addEvent: Mutation = (r, t) => {
  const root = scenarioRoot(t);
  if (!root) return undefined;
  const { start, hours } = windowOf(root);
  if (!Array.isArray(root.events)) root.events = [];
  const events = root.events as unknown[];
  const existing = events.find(isObj);
  const e: Obj =
    existing && r.chance(0.3)
      ? { ...existing }
      : {
          name: r.chance(0.8) ? `fuzz-${r.int(0, 3)}` : randomString(r),
          start: iso(start + r.int(-2, hours + 1) * HOUR),
          hours: r.pick([1, 2, hours, 8760, 0]),
          multiplier: r.pick([0, 0.5, 1, 2, 1000, 1001, -1]),
        };
  if (r.chance(0.5)) {
    e.applies_to = r.pick<unknown>([
      [...RATE_NAMES],
      ['orders'],
      ['orders', 'orders'],
      ['order'],
      [],
      'orders',
      [null],
      [RATE_NAMES[r.int(0, 4)], RATE_NAMES[r.int(0, 4)]],
    ]);
  }
  events.splice(r.int(0, events.length), 0, e);
  return `add event ${brief(e)}`;
};

/** Pushes many fields to their maximum at once: the combination the per-field bounds do not see. */
const maxOut: Mutation = (r, t) => {
  const root = scenarioRoot(t);
  if (!root) return undefined;
  const { start, hours } = windowOf(root);
  const done: string[] = [];
  if (r.chance(0.7)) {
    const rates: Obj = isObj(root.rates) ? root.rates : {};
    for (const k of RATE_NAMES) if (r.chance(0.6)) rates[k] = 10_000_000;
    root.rates = rates;
    done.push('rates');
  }
  if (r.chance(0.6)) {
    root.rhythm = Array.from({ length: 24 }, () => 100);
    done.push('rhythm');
  }
  if (r.chance(0.6)) {
    const n = r.int(1, 3);
    root.events = Array.from({ length: n }, (_, i) => ({
      name: `max-${i}`,
      start: iso(start),
      hours: Math.max(1, Math.min(8760, hours)),
      multiplier: 1000,
    }));
    done.push(`${n} events x1000`);
  }
  if (r.chance(0.3)) {
    root.population = {
      users: 100_000_000,
      shop_owners: r.pick([100_000_000, 1_000_000, 10]),
      shops_per_owner: { min: 1, max: r.pick([1000, 3]) },
      products_per_shop: { min: 1, max: 100_000 },
      payment_methods_per_user: { min: 20, max: 20 },
      promotions: 10_000_000,
    };
    done.push('population');
  }
  if (r.chance(0.3)) {
    if (!isObj(root.window)) root.window = { start: iso(start) };
    (root.window as Obj).hours = 8760;
    done.push('8760 h');
  }
  return `max out: ${done.join(', ') || 'nothing'}`;
};

const SCENARIO_MUTATIONS: [number, Mutation][] = [
  [6, deleteField],
  [10, setRandom],
  [8, setBoundary],
  [6, rename],
  [2, swapEntries],
  [2, wrap],
  [1, cycle],
  [1, share],
  [1, replaceRoot],
  [3, eventOutsideWindow],
  [3, rangeMinGtMax],
  [3, badWeights],
  [3, badRhythm],
  [3, addEvent],
  [2, maxOut],
];

function pickWeighted<T>(r: Rng, table: readonly [number, T][]): T {
  const total = table.reduce((s, [w]) => s + w, 0);
  let x = r.float() * total;
  for (const [w, v] of table) {
    x -= w;
    if (x < 0) return v;
  }
  const last = table[table.length - 1];
  if (!last) throw new Error('test bug: pickWeighted from an empty table');
  return last[1];
}

// -- text mutations

const LITERALS = [
  '-1',
  '1e999',
  '.nan',
  '.inf',
  '0x10',
  '0o7',
  '1_000',
  '',
  'null',
  '~',
  '[',
  ']',
  '{a: 1}',
  '"5"',
  "'5'",
  '!!str 5',
  '!!float 5',
  '!!int "5"',
  '!!timestamp 2026-11-27',
  '!!binary aGVsbG8=',
  '!!set {a, b}',
  '!!omap [a: 1]',
  '!nonsense 5',
  '&anchor 5',
  '*anchor',
  '*nowhere',
  '2026-11-27',
  '2026-11-27 00:00:00',
  '|\n  block',
  '>-',
  '? x',
  '- 1',
  '5 # comment',
  '5: 6',
  '1e2',
  '+5',
  '00012',
  '5.',
  '.5',
];

function textMutation(r: Rng, text: string): { text: string; desc: string } {
  const lines = text.split('\n');
  const kind = r.int(0, 12);
  switch (kind) {
    case 0: {
      const n = r.int(0, text.length);
      return { text: text.slice(0, n), desc: `truncate at ${n}/${text.length}` };
    }
    case 1: {
      const n = r.int(0, text.length);
      const chars = ':{}[],&*!|>\'"%@`#?-\n\t\r\\ ~aZ09.é🎉\u0000\uFEFF\u2028\u0085';
      let ins = '';
      for (let i = r.int(1, 5); i > 0; i--) ins += r.pick([...chars]);
      return { text: text.slice(0, n) + ins + text.slice(n), desc: `insert ${JSON.stringify(ins)} at ${n}` };
    }
    case 2: {
      const a = r.int(0, text.length);
      const b = Math.min(text.length, a + r.int(1, 40));
      return { text: text.slice(0, a) + text.slice(b), desc: `delete characters ${a}..${b}` };
    }
    case 3: {
      // duplicate a `key:` line (a duplicate key in a block mapping)
      const keyed = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^\s*[\w-]+\s*:/.test(l));
      if (keyed.length === 0) return { text, desc: 'no key line to duplicate' };
      const { l, i } = r.pick(keyed);
      lines.splice(i + 1, 0, l);
      return { text: lines.join('\n'), desc: `duplicate line ${i + 1}: ${JSON.stringify(l.slice(0, 60))}` };
    }
    case 4: {
      // duplicate a `key: value` pair inside a flow mapping
      const m = [...text.matchAll(/\{\s*([\w-]+\s*:\s*[^,}]+)/g)];
      if (m.length === 0) return { text: `${text}\n${text}`, desc: 'the whole text twice' };
      const hit = r.pick(m);
      const pos = (hit.index ?? 0) + hit[0].length;
      return {
        text: `${text.slice(0, pos)}, ${hit[1]}${text.slice(pos)}`,
        desc: `duplicate flow key ${JSON.stringify(hit[1])}`,
      };
    }
    case 5: {
      const i = r.int(0, lines.length - 1);
      const j = r.int(0, lines.length - 1);
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      return { text: lines.join('\n'), desc: `swap lines ${i + 1} and ${j + 1}` };
    }
    case 6: {
      const i = r.int(0, lines.length - 1);
      const l = lines[i] ?? '';
      lines[i] = r.chance(0.5) ? `${r.pick([' ', '  ', '\t', '    '])}${l}` : l.replace(/^\s{1,2}/, '');
      return { text: lines.join('\n'), desc: `re-indent line ${i + 1}` };
    }
    case 7:
    case 8: {
      const m = [...text.matchAll(/-?\b\d+(\.\d+)?\b/g)];
      if (m.length === 0) return { text, desc: 'no number to replace' };
      const hit = r.pick(m);
      const lit = r.pick(LITERALS);
      const pos = hit.index ?? 0;
      return {
        text: text.slice(0, pos) + lit + text.slice(pos + hit[0].length),
        desc: `replace ${hit[0]} at ${pos} with ${JSON.stringify(lit)}`,
      };
    }
    case 9: {
      const head = r.pick([
        '%YAML 1.1\n---\n',
        '%YAML 1.2\n---\n',
        '%YAML 9.9\n---\n',
        '---\n',
        '\uFEFF',
        '--- !!map\n',
        '...\n',
        '%TAG ! tag:example.com,2000:\n---\n',
      ]);
      return { text: head + text, desc: `prepend ${JSON.stringify(head)}` };
    }
    case 10: {
      const tail = r.pick([
        '\n---\nfoo: 1\n',
        '\n...\n',
        '\n# trailing comment',
        '\n\u0000',
        '\nx_bomb: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nx_b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nx_c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nx_d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
        '\n<<: {seed: 1}\n',
        '\n? [a, b]\n: 1\n',
        '\n? {a: 1}\n: 1\n',
        '\n*undefined_alias: 1\n',
      ]);
      return { text: text + tail, desc: `append ${JSON.stringify(tail.slice(0, 40))}` };
    }
    case 11:
      return r.chance(0.5)
        ? { text: text.replace(/\n/g, '\r\n'), desc: 'CRLF line endings' }
        : { text: text.replace(/^( +)/gm, (m) => '\t'.repeat(m.length / 2)), desc: 'tabs for indentation' };
    default: {
      // an anchor on one value and an alias to it elsewhere (or to itself)
      const vals = [...text.matchAll(/:[ ]+(?=[^\s#])/g)];
      if (vals.length < 1) return { text, desc: 'no value for an anchor' };
      const a = r.pick(vals);
      const pos = (a.index ?? 0) + a[0].length;
      let out = `${text.slice(0, pos)}&fz ${text.slice(pos)}`;
      const later = [...out.matchAll(/:[ ]+(?=[^\s#&])/g)].filter((m) => (m.index ?? 0) > pos);
      if (later.length > 0 && r.chance(0.7)) {
        const b = r.pick(later);
        const bpos = (b.index ?? 0) + b[0].length;
        const end = out.indexOf('\n', bpos);
        out = `${out.slice(0, bpos)}*fz${end < 0 ? '' : out.slice(end)}`;
        return { text: out, desc: `anchor &fz at ${pos}, alias *fz at ${bpos}` };
      }
      return { text: out, desc: `anchor &fz at ${pos}` };
    }
  }
}

// ---- running one case --------------------------------------------------------------------------------

interface Case {
  family: string;
  index: number;
  base: string;
  mutations: string[];
  file: string;
  text: string;
}

function describeCase(c: Case, problem: string): string {
  const shown = c.text.length > 1500 ? `${c.text.slice(0, 1500)}... (${c.text.length} chars)` : c.text;
  return [
    `${c.family} case ${c.index} (FUZZ_SEED=${JSON.stringify(SEED)} FUZZ_CASE=${c.index}), base ${c.base}`,
    `  mutations: ${c.mutations.join(' | ')}`,
    `  problem: ${problem}`,
    `  file text: ${JSON.stringify(shown)}`,
  ].join('\n');
}

/**
 * Serialises a mutated tree: YAML (anchors/aliases for shared and cyclic nodes) or, when it can, JSON.
 * Returns undefined when the tree cannot be written at all (a test limitation, not a finding).
 */
function serialise(r: Rng, root: unknown): { text: string; ext: string } | undefined {
  if (r.chance(0.15)) {
    try {
      const json = JSON.stringify(root, null, r.chance(0.5) ? 2 : undefined);
      if (json !== undefined) return { text: json, ext: 'json' };
    } catch {
      // cyclic: YAML below
    }
  }
  try {
    return { text: stringify(root, { aliasDuplicateObjects: true }), ext: r.chance(0.2) ? 'yml' : 'yaml' };
  } catch {
    return undefined;
  }
}

const parsedCache = new Map<string, unknown>();
/** The parsed base file, a fresh copy each time (parsing is the slow part of making a case). */
function parsed(text: string): unknown {
  if (!parsedCache.has(text)) parsedCache.set(text, parse(text));
  return structuredClone(parsedCache.get(text));
}

/** Mutates `baseText` (parsed structure and/or text) into a new case file. */
function makeCase(
  r: Rng,
  family: string,
  index: number,
  base: { name: string; text: string },
  mutations: readonly [number, Mutation][],
): Case {
  const applied: string[] = [];
  let text = base.text;
  let ext = 'yaml';
  const structural = r.chance(0.75);
  if (structural) {
    const tree: Tree = { root: parsed(base.text) };
    const n = r.int(1, 3);
    for (let i = 0; i < n; i++) {
      const d = pickWeighted(r, mutations)(r, tree);
      if (d !== undefined) applied.push(d);
    }
    const out = serialise(r, tree.root);
    if (out) {
      text = out.text;
      ext = out.ext;
      if (ext === 'json') applied.push('written as JSON');
    } else applied.push('(tree not serialisable: original text kept)');
  }
  if (!structural || r.chance(0.35)) {
    const n = r.int(1, 2);
    for (let i = 0; i < n; i++) {
      const m = textMutation(r, text);
      text = m.text;
      applied.push(`text: ${m.desc}`);
    }
  }
  const file = join(dir, `${family}-${index}.${ext}`);
  writeFileSync(file, text);
  return { family, index, base: base.name, mutations: applied, file, text };
}

/** What happened: the value, or the one-line UserError, or a failure description. */
type Outcome<T> = { ok: T } | { refused: string } | { failure: string };

function attempt<T>(fn: () => T, prefixes: readonly string[]): Outcome<T> {
  try {
    return { ok: fn() };
  } catch (e) {
    if (!(e instanceof UserError)) {
      const stack = e instanceof Error ? (e.stack ?? e.message) : String(e);
      return { failure: `threw a non-UserError: ${stack.split('\n').slice(0, 6).join(' \\n ')}` };
    }
    if (/[\r\n\u0085\u2028\u2029]/.test(e.message))
      return { failure: `multi-line UserError: ${JSON.stringify(e.message)}` };
    if (!prefixes.some((p) => e.message.startsWith(p))) {
      return {
        failure: `UserError does not start with ${prefixes.join(' or ')}: ${JSON.stringify(e.message)}`,
      };
    }
    return { refused: e.message };
  }
}

// ---- oracles for accepted values ---------------------------------------------------------------------

function everyNumberFinite(v: unknown, path = ''): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} is ${v}`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = everyNumberFinite(v[i], `${path}[${i}]`);
      if (bad) return bad;
    }
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      const bad = everyNumberFinite(x, path ? `${path}.${k}` : k);
      if (bad) return bad;
    }
  }
  return undefined;
}

const hourOfDay = (ms: number) => ((Math.floor(ms / HOUR) % 24) + 24) % 24;

function eventMultiplier(s: Scenario, rate: RateName, ms: number): number {
  let m = 1;
  for (const e of s.events)
    if (ms >= e.start && ms < e.start + e.hours * HOUR && e.appliesTo.includes(rate)) m *= e.multiplier;
  return m;
}

/** Expected arrivals of `rate` in hour h (before the plan's +-5% noise and rounding). */
const expectedAt = (s: Scenario, rate: RateName, h: number) => {
  const ms = s.start + h * HOUR;
  return s.rates[rate] * s.scale * (s.rhythm[hourOfDay(ms)] ?? Number.NaN) * eventMultiplier(s, rate, ms);
};

/** Invariants of the Scenario type (src/scenario/types.ts) that everything downstream trusts. */
function scenarioInvariants(s: Scenario, fromFile: boolean): string | undefined {
  const nonFinite = everyNumberFinite(s);
  if (nonFinite) return `accepted scenario has a non-finite number: ${nonFinite}`;
  if (!Number.isSafeInteger(s.seed) || s.seed < 0 || s.seed > UINT32_MAX) return `seed ${s.seed}`;
  if (!Number.isSafeInteger(s.hours) || s.hours < 1 || s.hours > 8760) return `hours ${s.hours}`;
  if (s.start % HOUR !== 0 || s.start < 0) return `start ${s.start} is not hour-aligned`;
  if (s.start + s.hours * HOUR > MAX_DATE_MS) return `window end ${s.start + s.hours * HOUR} is not a Date`;
  if (s.rhythm.length !== 24 || s.rhythm.some((x) => x < 0) || !s.rhythm.some((x) => x > 0))
    return `rhythm ${brief(s.rhythm)}`;
  for (const [k, d] of Object.entries(s.distributions)) {
    if (isObj(d) && 'values' in d && 'weights' in d) {
      const { values, weights } = d as { values: number[]; weights: number[] };
      const sum = weights.reduce((a, b) => a + b, 0);
      if (
        values.length === 0 ||
        values.length !== weights.length ||
        Math.abs(sum - 1) > 1e-9 ||
        weights.some((w) => !(w > 0))
      )
        return `distributions.${k} weights ${brief(weights)} do not sum to 1 (sum ${sum})`;
    }
    if (isObj(d) && 'min' in d && 'max' in d) {
      const { min, max } = d as { min: number; max: number };
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max)
        return `distributions.${k} ${brief(d)}`;
    }
  }
  const d = s.distributions;
  if (d.refundRate + d.returnRate > 1) return `refund_rate ${d.refundRate} + return_rate ${d.returnRate} > 1`;
  if (!(d.conversionRate > 0 && d.conversionRate < 1)) return `conversion_rate ${d.conversionRate}`;
  if (!(d.logSampleRate > 0)) return `log_sample_rate ${d.logSampleRate}`;
  if (!CURRENCY_CODES.includes(s.reportingCurrency as CurrencyCode))
    return `reporting currency ${brief(s.reportingCurrency)}`;
  for (const e of s.events) {
    if (e.start % HOUR !== 0) return `event ${e.name} start ${e.start}`;
    // (--hours may leave an event of the file outside a shorter window: that is allowed)
    if (fromFile && (e.start >= s.start + s.hours * HOUR || e.start + e.hours * HOUR <= s.start))
      return `event ${e.name} does not overlap the window`;
  }
  // Counts per hour live in Int32Arrays (plan.ts): the peak expected arrivals, with the +5% noise, must fit.
  for (const rate of RATE_NAMES) {
    for (let h = 0; h < s.hours; h++) {
      const e = expectedAt(s, rate, h);
      if (!(e * 1.05 + 1 < INT32_MAX))
        return `rates.${rate} reaches ${e} arrivals in hour ${h} (${iso(s.start + h * HOUR)}): the plan's Int32 counts overflow`;
    }
  }
  return undefined;
}

/** buildPlan is O(hours + population + arrivals): keep it small for speed, keeping the shape of the rates. */
function capForPlan(s: Scenario): Scenario {
  const c = structuredClone(s);
  c.hours = Math.min(c.hours, 168);
  const p = c.population;
  p.shopOwners = Math.min(p.shopOwners, 500);
  p.shopsPerOwner = { min: Math.min(p.shopsPerOwner.min, 5), max: Math.min(p.shopsPerOwner.max, 5) };
  p.promotions = Math.min(p.promotions, 500);
  // The plan loops over the window's new shops, products and promotions; signups and orders are only counted.
  for (const rate of ['new_shops', 'new_products', 'promotions'] as const) {
    let total = 0;
    for (let h = 0; h < c.hours; h++) total += expectedAt(c, rate, h);
    if (total > 5000) c.rates[rate] *= 5000 / total;
  }
  return c;
}

function planCountsFailure(s: Scenario, plan: Plan): string | undefined {
  // A missing entry reads as NaN, which the checks below report as a failure.
  const diffs = (a: Float64Array, h: number) => (a[h + 1] ?? Number.NaN) - (a[h] ?? Number.NaN);
  const counts: Record<RateName, (h: number) => number> = {
    signups: (h) => diffs(plan.usersBefore, h),
    new_shops: (h) => diffs(plan.shopsBefore, h),
    new_products: (h) => diffs(plan.productsBefore, h),
    orders: (h) => plan.orders[h] ?? Number.NaN,
    promotions: (h) => diffs(plan.promotionsBefore, h),
  };
  for (const [k, v] of Object.entries({
    users0: plan.users0,
    shops0: plan.shops0,
    products0: plan.products0,
    promotions0: plan.promotions0,
  })) {
    if (!Number.isSafeInteger(v) || v < 0) return `plan.${k} = ${v}`;
  }
  for (let h = 0; h < s.hours; h++) {
    for (const rate of RATE_NAMES) {
      const n = counts[rate](h);
      const e = expectedAt(s, rate, h);
      if (!Number.isSafeInteger(n) || n < 0) return `plan: ${rate} in hour ${h} is ${n}`;
      // plan.ts: expected x (0.95 .. 1.05) noise, then stochastic rounding
      if (n < Math.floor(e * 0.95 * (1 - 1e-9)) || n > Math.floor(e * 1.05 * (1 + 1e-9)) + 1)
        return `plan: ${rate} in hour ${h} is ${n}, expected ${e} +-5%`;
    }
    const rv = plan.reviews[h] ?? Number.NaN;
    if (!Number.isSafeInteger(rv) || rv < 0) return `plan: reviews in hour ${h} is ${rv}`;
  }
  return undefined;
}

/** An accepted scenario: the invariants hold, applyOverrides({}) is a no-op, and its plan is sound. */
function checkAccepted(s: Scenario, fromFile = true): string | undefined {
  const bad = scenarioInvariants(s, fromFile);
  if (bad) return bad;
  const same = attempt(() => applyOverrides(s, {}), ['--']);
  if ('failure' in same) return `applyOverrides(s, {}): ${same.failure}`;
  if ('refused' in same) return `applyOverrides(s, {}) refused: ${same.refused}`;
  if (JSON.stringify(same.ok) !== JSON.stringify(s)) return 'applyOverrides(s, {}) changed the scenario';
  const small = capForPlan(s);
  let plan: Plan;
  try {
    plan = buildPlan(small);
  } catch (e) {
    return `buildPlan threw: ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join(' \\n ') : String(e)}`;
  }
  return planCountsFailure(small, plan);
}

function checkLayout(l: Layout): string | undefined {
  if (typeof l.name !== 'string' || l.name.length === 0) return `name ${brief(l.name)}`;
  if (l.route !== 'leaf' && l.route !== 'parent') return `route ${brief(l.route)}`;
  if (typeof l.foreignKeys !== 'boolean') return `foreignKeys ${brief(l.foreignKeys)}`;
  for (const t of TABLE_NAMES) {
    if (!['hour', 'day', 'none'].includes(l.granularity[t]))
      return `granularity of ${t}: ${brief(l.granularity[t])}`;
  }
  if (Object.keys(l.granularity).length !== TABLE_NAMES.length)
    return `granularity keys ${brief(Object.keys(l.granularity))}`;
  for (const ix of l.indexes) {
    const def = TABLES.find((t) => t.name === ix.table);
    if (!def) return `index on unknown table ${brief(ix.table)}`;
    if (ix.columns.length === 0 || ix.columns.some((c) => !def.columns.some((d) => d.name === c)))
      return `index columns ${brief(ix.columns)} of ${ix.table}`;
  }
  try {
    for (const t of TABLES) createTableSql('fuzz', t, l);
    for (const ix of l.indexes) createIndexSql('fuzz', ix);
    const fks = foreignKeySql('fuzz', l);
    if (l.foreignKeys && fks.length === 0) return 'foreign_keys: true without any constraint';
    layoutPartitions(l, Date.UTC(2026, 10, 27), 3);
  } catch (e) {
    return `DDL threw: ${e instanceof Error ? e.message : String(e)}`;
  }
  return undefined;
}

// ---- the tests ---------------------------------------------------------------------------------------

function indices(n: number): number[] {
  if (ONLY !== undefined) return ONLY < n ? [ONLY] : [];
  return Array.from({ length: n }, (_, i) => i);
}

/** Fails with the first few failures in full and one line per failure after them. */
function report(failures: string[], total: number): void {
  if (failures.length === 0) return;
  const shown = failures.slice(0, 6).join('\n\n');
  const rest = failures.slice(6).map((f) => {
    const lines = f.split('\n');
    const problem = lines.find((l) => l.startsWith('  problem: ')) ?? '';
    return `- ${lines[0]?.split(' (FUZZ_SEED')[0]}: ${problem.slice(11, 250)}`;
  });
  throw new Error(
    `${failures.length} of ${total} fuzz cases failed:\n\n${shown}${rest.length > 0 ? `\n\nand:\n${rest.join('\n')}` : ''}`,
  );
}

const shippedScenarios = listScenarios().map((name) => ({
  name,
  text: readFileSync(join(SCENARIO_DIR, `${name}.yaml`), 'utf8'),
}));

describe('scenario files: fuzzed', () => {
  it(`${SCENARIO_CASES} mutated shipped scenarios load or fail with a one-line UserError`, () => {
    expect(shippedScenarios.length).toBeGreaterThan(0);
    const failures: string[] = [];
    let accepted = 0;
    let refused = 0;
    const cases = indices(SCENARIO_CASES);
    for (const i of cases) {
      const r = new Rng(`${SEED}/scenario/${i}`);
      const c = makeCase(r, 'scenario', i, r.pick(shippedScenarios), SCENARIO_MUTATIONS);
      const out = attempt(() => loadScenario(c.file), [`${displayPath(c.file)}:`]);
      if ('failure' in out) failures.push(describeCase(c, out.failure));
      else if ('refused' in out) refused++;
      else {
        accepted++;
        const bad = checkAccepted(out.ok);
        if (bad) failures.push(describeCase(c, `accepted, but ${bad}`));
      }
    }
    report(failures, cases.length);
    if (ONLY === undefined) {
      // the mutations must neither be all fatal nor all harmless, or the test proves little
      expect(accepted).toBeGreaterThan(cases.length * 0.05);
      expect(refused).toBeGreaterThan(cases.length * 0.4);
    }
  });
});

const shippedLayouts = [
  ...readdirSync(LAYOUT_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(LAYOUT_DIR, f), 'utf8') })),
  { name: '{}', text: '{}\n' },
];

const setTable: Mutation = (r, t) => {
  if (!isObj(t.root)) return undefined;
  if (!isObj(t.root.tables)) t.root.tables = {};
  const name = r.chance(0.8) ? r.pick(TABLE_NAMES) : typo(r, r.pick(TABLE_NAMES));
  const g = r.pick<unknown>(['hour', 'day', 'none', 'none', 'hourly', 'HOUR', 'week', 1, null, true, []]);
  (t.root.tables as Obj)[name] = g;
  return `tables.${name} = ${brief(g)}`;
};

const addIndex: Mutation = (r, t) => {
  if (!isObj(t.root)) return undefined;
  if (!Array.isArray(t.root.indexes)) t.root.indexes = [];
  const def = r.pick(TABLES);
  const cols = def.columns.map((c) => c.name);
  const ix: Obj = {
    table: r.chance(0.85) ? def.name : r.pick<unknown>([typo(r, def.name), null, 5, [def.name]]),
    columns: r.pick<unknown>([
      [r.pick(cols)],
      [r.pick(cols), r.pick(cols)],
      cols,
      [],
      [typo(r, r.pick(cols))],
      r.pick(cols),
      [null],
      [1],
    ]),
  };
  if (r.chance(0.1)) delete ix.columns;
  if (r.chance(0.1)) ix.unique = true;
  (t.root.indexes as unknown[]).push(ix);
  return `add index ${brief(ix)}`;
};

const setLayoutField: Mutation = (r, t) => {
  if (!isObj(t.root)) return undefined;
  const field = r.pick(['base', 'route', 'foreign_keys', 'name', 'description']);
  const v = r.pick<unknown>(
    field === 'base'
      ? ['hourly', 'daily', 'none', 'weekly', 'Hourly', '', 1, null, ['none']]
      : field === 'route'
        ? ['leaf', 'parent', 'both', true, null, '']
        : field === 'foreign_keys'
          ? [true, false, 'yes', 'true', 1, 0, null]
          : ['ok', 'a'.repeat(41), 'a'.repeat(40), 'bad name', '', 'é', 5, null, randomString(r)],
  );
  t.root[field] = v;
  return `${field} = ${brief(v)}`;
};

const LAYOUT_MUTATIONS: [number, Mutation][] = [
  [4, deleteField],
  [6, setRandom],
  [4, rename],
  [2, swapEntries],
  [2, wrap],
  [1, cycle],
  [1, share],
  [1, replaceRoot],
  [6, setTable],
  [5, addIndex],
  [6, setLayoutField],
];

describe('layout files: fuzzed', () => {
  it(`${LAYOUT_CASES} mutated layouts load or fail with a one-line UserError`, () => {
    const failures: string[] = [];
    let accepted = 0;
    let refused = 0;
    const cases = indices(LAYOUT_CASES);
    for (const i of cases) {
      const r = new Rng(`${SEED}/layout/${i}`);
      const c = makeCase(r, 'layout', i, r.pick(shippedLayouts), LAYOUT_MUTATIONS);
      const out = attempt(() => loadLayout(c.file), [`${displayPath(c.file)}:`]);
      if ('failure' in out) failures.push(describeCase(c, out.failure));
      else if ('refused' in out) refused++;
      else {
        accepted++;
        const bad = checkLayout(out.ok);
        if (bad) failures.push(describeCase(c, `accepted, but ${bad}`));
      }
    }
    report(failures, cases.length);
    if (ONLY === undefined) {
      expect(accepted).toBeGreaterThan(cases.length * 0.05);
      expect(refused).toBeGreaterThan(cases.length * 0.2);
    }
  });
});

/**
 * A scenario at the edge of the plan's hourly counts: 10M orders/hour x rhythm 100 = 1e9 arrivals in every hour
 * but 05:00, where the rhythm is 1 and an x50 event runs. A --scale above 1, or a --start that moves the event
 * onto another hour of the day, must be refused.
 */
const BUSY = `description: at the limit of arrivals per hour
seed: 1
window: { start: 2026-11-27T00:00:00Z, hours: 24 }
population:
  users: 1000
  shop_owners: 10
  shops_per_owner: { min: 1, max: 2 }
  products_per_shop: { min: 1, max: 5 }
  payment_methods_per_user: { min: 1, max: 2 }
  promotions: 0
rates: { signups: 1, new_shops: 0, new_products: 1, orders: 10000000, promotions: 0 }
rhythm: [100, 100, 100, 100, 100, 1, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100]
events:
  - { name: spike, start: 2026-11-27T05:00:00Z, hours: 1, multiplier: 50, applies_to: [orders] }
`;

describe('applyOverrides: fuzzed', () => {
  const busyFile = join(dir, 'busy.yaml');
  writeFileSync(busyFile, BUSY);
  const loaded = [...listScenarios().map((n) => loadScenario(n)), loadScenario(busyFile)];

  function overrideNumber(r: Rng, flag: keyof ScenarioOverrides, s: Scenario): number {
    if (r.chance(0.35)) return randomNumber(r);
    switch (flag) {
      case 'hours':
        return r.pick([1, 2, 3, 24, 168, 8760, 8761, 0, -1, 1.5, r.int(1, 8760)]);
      case 'scale':
        return r.pick([1e-9, 0.001, 0.5, 1, 2, 10, 1000, 1000.0001, 0, -0, -1, r.float() * 3]);
      case 'seed':
        return r.pick([0, 1, 42, UINT32_MAX, UINT32_MAX + 1, -1, 0.5, r.int(0, UINT32_MAX)]);
      default: {
        const aligned = (ms: number) => Math.floor(ms / HOUR) * HOUR;
        return r.pick([
          s.start,
          s.start + HOUR * r.int(-100_000, 100_000),
          s.start + HOUR * r.int(1, 47),
          s.start + 1,
          s.start + HOUR / 2,
          0,
          -HOUR,
          aligned(Date.UTC(9999, 11, 31, 23)),
          aligned(Date.UTC(10_000, 0, 1)),
          aligned(MAX_DATE_MS),
          aligned(MAX_DATE_MS) - HOUR * 100,
          aligned(Number.MAX_SAFE_INTEGER),
          Number.MAX_SAFE_INTEGER,
          Date.UTC(2026, 10, 27),
        ]);
      }
    }
  }

  it(`${OVERRIDE_CASES} random overrides are applied or refused with a one-line UserError naming the flag`, () => {
    const failures: string[] = [];
    let accepted = 0;
    const cases = indices(OVERRIDE_CASES);
    for (const i of cases) {
      const r = new Rng(`${SEED}/overrides/${i}`);
      const s = r.pick(loaded);
      const o: ScenarioOverrides = {};
      for (const flag of ['hours', 'scale', 'seed', 'start'] as const) {
        if (r.chance(0.5)) o[flag] = overrideNumber(r, flag, s);
      }
      const given = Object.keys(o).map((k) => `--${k}:`);
      const what = `overrides case ${i} (FUZZ_SEED=${JSON.stringify(SEED)} FUZZ_CASE=${i}) on ${s.name}: ${brief(o)}`;
      const before = JSON.stringify(s);
      const out = attempt(() => applyOverrides(s, o), given.length > 0 ? given : ['(no flag)']);
      if ('failure' in out) {
        failures.push(`${what}\n  problem: ${out.failure}`);
        continue;
      }
      if ('refused' in out) continue;
      accepted++;
      const v = out.ok;
      const problems: string[] = [];
      if (o.hours !== undefined && v.hours !== o.hours) problems.push(`hours ${v.hours}`);
      if (o.scale !== undefined && v.scale !== o.scale) problems.push(`scale ${v.scale}`);
      if (o.seed !== undefined && v.seed !== o.seed) problems.push(`seed ${v.seed}`);
      if (o.start !== undefined) {
        if (v.start !== o.start) problems.push(`start ${v.start}`);
        const shift = o.start - s.start;
        v.events.forEach((e, j) => {
          if (e.start !== (s.events[j]?.start ?? Number.NaN) + shift)
            problems.push(`event ${e.name} not moved`);
        });
      }
      if (JSON.stringify(s) !== before) problems.push('the input scenario was changed');
      const bad = checkAccepted(v, false);
      if (bad) problems.push(bad);
      if (problems.length > 0) failures.push(`${what}\n  problem: accepted, but ${problems.join('; ')}`);
    }
    report(failures, cases.length);
    if (ONLY === undefined) expect(accepted).toBeGreaterThan(cases.length * 0.1);
  });
});
