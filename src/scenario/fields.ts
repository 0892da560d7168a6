/**
 * The one-line messages of scenario and layout files: each names the file, the line (looked up in the YAML
 * syntax tree), the field path, the bad value and what is allowed; plus "did you mean" for typos.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { UserError } from '../errors.js';
import { show } from './time.js';

export type Path = readonly (string | number)[];

/** Numeric bounds of a field; `integer` also demands a whole number. */
export interface Bounds {
  integer?: boolean;
  min?: number;
  minExclusive?: boolean;
  max?: number;
  maxExclusive?: boolean;
}

/** A key as written, or quoted and escaped when it is empty or holds a line break (or anything else JSON escapes). */
const showKey = (key: string): string =>
  key !== '' && JSON.stringify(key) === `"${key}"` && !/[\u0085\u2028\u2029]/.test(key) ? key : show(key);

export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path)
    out += typeof seg === 'number' ? `[${seg}]` : out === '' ? showKey(seg) : `.${showKey(seg)}`;
  return out === '' ? '(top level)' : out;
}

export function describeBounds(b: Bounds): string {
  const kind = b.integer ? 'an integer' : 'a number';
  const lo = b.min === undefined ? undefined : `${b.minExclusive ? '>' : '>='} ${b.min}`;
  const hi = b.max === undefined ? undefined : `${b.maxExclusive ? '<' : '<='} ${b.max}`;
  if (lo !== undefined && hi !== undefined && !b.minExclusive && !b.maxExclusive) {
    return `${kind} from ${b.min} to ${b.max}`;
  }
  const parts = [lo, hi].filter((p) => p !== undefined);
  return parts.length === 0 ? kind : `${kind} ${parts.join(' and ')}`;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate when it is close enough to be a likely typo (or a camelCase/kebab spelling). */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  // Compare without case and separators so `shopOwners` and `shop-owners` find `shop_owners`.
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = levenshtein(norm(word), norm(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(norm(word).length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** Knows the file and its syntax tree, so every error can carry a line number. */
export class Checker {
  constructor(
    readonly display: string,
    private readonly doc?: Document.Parsed,
    private readonly lines?: LineCounter,
    /** the file's values as parsed, for messages that show a value as written */
    private readonly data?: unknown,
  ) {}

  /** Line of the value at `path` (or of its key, or of the nearest ancestor that exists). */
  line(path: Path, prefer: 'value' | 'key' = 'value'): number | undefined {
    if (!this.doc || !this.lines) return undefined;
    let node: unknown = this.doc.contents;
    let key: Node | undefined;
    let found = true;
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) {
          found = false;
          break;
        }
        key = isScalar(pair.key) ? pair.key : undefined;
        node = pair.value ?? undefined;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
        node = node.items[seg];
        // A list item has no key: the item itself is where a field missing inside it is shown.
        key = isScalar(node) || isMap(node) || isSeq(node) ? node : undefined;
      } else {
        found = false;
        break;
      }
    }
    // A missing field is best shown at its parent's key (`population:`), not at the parent's first child.
    const valueNode = isScalar(node) || isMap(node) || isSeq(node) || isAlias(node) ? node : undefined;
    // A missing top-level field has no better place than "the file": line 1 would point at an unrelated key.
    if (!found && key === undefined) return undefined;
    const target = (found && prefer === 'value' ? valueNode : undefined) ?? key ?? valueNode;
    const offset = target?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }

  private where(path: Path, prefer: 'value' | 'key' = 'value'): string {
    const line = this.line(path, prefer);
    return line === undefined ? this.display : `${this.display}:${line}`;
  }

  fail(path: Path, value: unknown, expected: string): never {
    throw new UserError(
      `${this.where(path)}: ${formatPath(path)}: ${show(value)} is not allowed; expected ${expected}`,
    );
  }

  /** fail() with the value the file holds at `path`. */
  failAt(path: Path, expected: string): never {
    let value = this.data;
    for (const seg of path) {
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[String(seg)]
          : undefined;
    }
    return this.fail(path, value, expected);
  }

  missing(path: Path, expected: string): never {
    throw new UserError(`${this.where(path)}: ${formatPath(path)} is missing; expected ${expected}`);
  }

  unknown(path: Path, allowed: readonly string[]): never {
    const word = String(path[path.length - 1]);
    const hint = suggest(word, allowed);
    const dym = hint === undefined ? '' : `did you mean "${hint}"? `;
    throw new UserError(
      `${this.where(path, 'key')}: ${formatPath(path)}: unknown field ${show(word)} is not allowed; ${dym}expected one of: ${allowed.join(', ')}`,
    );
  }
}
