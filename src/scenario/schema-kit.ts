/**
 * Building blocks of the scenario and layout schemas (TypeBox: one definition gives the JSON Schema that
 * validates a file, the TypeScript type of the raw file, and the schema editors read for completion).
 *
 * `messages` is our own annotation keyword: what a one-line error says is allowed when the text cannot be
 * derived from the standard keywords (schema-errors.ts derives the rest). It is registered with ajv and left
 * out of the schema files shipped for editors.
 */
import { type TSchema, type TSchemaOptions, Type } from 'typebox';

export interface Messages {
  /** what is allowed, when the value is wrong */
  expected?: string;
  /** what is allowed, when the field is missing (default: `a mapping` for mappings, else `expected`) */
  missing?: string;
  /** for a map with patterned keys: what a key must be */
  key?: string;
  /** add "did you mean" to an enum error */
  suggest?: boolean;
  /** for a list with unique items: what a repeated item breaks */
  unique?: string;
}

/**
 * A format ajv checks with parseInstant (hour-aligned UTC, calendar-valid, offset required). Editors ignore
 * formats they do not know; a `pattern` would have to copy parseInstant's grammar, so there is none.
 */
export const INSTANT_FORMAT = 'hour-aligned-time';

/** A field's help in editors: a short title and the longer description from the README's tables. */
interface Doc {
  title?: string;
  description?: string;
  /** shown by editors; the value code uses when the field is left out lives in defaults.ts */
  default?: unknown;
}

export const Int = (minimum: number, maximum: number, doc: Doc = {}) =>
  Type.Integer({ minimum, maximum, ...doc });

export const Num = (bounds: TSchemaOptions, doc: Doc = {}) => Type.Number({ ...bounds, ...doc });

/** 0..1 (or 0..<1 when `belowOne`). */
export const Probability = (belowOne: boolean, doc: Doc = {}) =>
  Num(belowOne ? { minimum: 0, exclusiveMaximum: 1 } : { minimum: 0, maximum: 1 }, doc);

/** Non-blank, as `value.trim() !== ''` (JS `\s` and trim() agree on what is white space). */
export const Text = (doc: Doc = {}, messages?: Messages) =>
  Type.String({ pattern: '\\S', ...doc, ...(messages ? { messages } : {}) });

export const Instant = (doc: Doc = {}) =>
  Type.String({
    format: INSTANT_FORMAT,
    examples: ['2026-11-27T00:00:00Z', '2026-11-27'],
    ...doc,
    messages: { missing: 'an hour-aligned UTC time' },
  });

/** A closed mapping: unknown keys are errors (with "did you mean"). */
export const Mapping = <P extends Record<string, TSchema>>(
  properties: P,
  doc: Doc = {},
  messages?: Messages,
) => Type.Object(properties, { additionalProperties: false, ...doc, ...(messages ? { messages } : {}) });

/** `{ min, max }`, both integers in [lo, hi]; min <= max is checked in code (a schema cannot compare). */
export const Range = (lo: number, hi: number, doc: Doc = {}) =>
  Mapping(
    {
      min: Int(lo, hi, { description: `Smallest value, ${lo}-${hi}.` }),
      max: Int(lo, hi, { description: `Largest value, min-${hi}.` }),
    },
    doc,
    { missing: '{min, max}' },
  );

/** A string enum; `type` too, so ajv compares items as strings (its deep-equal would loop on YAML cycles). */
export const OneOf = <const V extends readonly string[]>(values: V, doc: Doc = {}, messages?: Messages) =>
  Type.Enum<[...V]>(values, { type: 'string', ...doc, ...(messages ? { messages } : {}) });

/** `{ 1: 50, 2: 30 }`: integer values lo..hi (leading zeros allowed, as Number() reads them) -> weights >= 0. */
export function Weights(lo: number, hi: number, doc: Doc = {}) {
  const values = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).join('|');
  return Type.Record(Type.String({ pattern: `^0*(${values})$` }), Num({ minimum: 0 }), {
    additionalProperties: false,
    minProperties: 1,
    ...doc,
    messages: {
      expected: `a mapping of value -> weight, values integers from ${lo} to ${hi}, weights >= 0, at least one > 0`,
      key: `a value (key) that is an integer from ${lo} to ${hi}`,
    },
  });
}

/** The schema as editors get it: our annotation keyword left out. */
export function forEditors(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forEditors);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k]) => k !== 'messages')
      .map(([k, v]) => [k, forEditors(v)]),
  );
}
