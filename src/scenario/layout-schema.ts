/**
 * What a layout file may hold (scenarios/layouts/README.md), as one TypeBox definition: ajv validates layout
 * files against it and `npm run schemas` writes it to scenarios/layouts/layout.schema.json for editors.
 * The table and column names come from src/model, so completion offers exactly the model's names.
 */
import { type Static, Type } from 'typebox';
import { BUILTIN_LAYOUTS, type LayoutGranularity } from '../model/layout.js';
import { TABLE_NAMES, TABLES, type Table, type TableName, table } from '../model/tables.js';
import { Mapping, OneOf, Text } from './schema-kit.js';

const GRANULARITIES: readonly LayoutGranularity[] = ['hour', 'day', 'none'];

const granularity = (t: Table) =>
  Type.Optional(
    OneOf(GRANULARITIES, {
      description: `${t.entity} (${t.kind}): hour | day | none; the data model's is ${t.granularity}.`,
    }),
  );

const Tables = Mapping(
  // The cast restores the key names Object.fromEntries forgets.
  Object.fromEntries(TABLE_NAMES.map((name) => [name, granularity(table(name))])) as Record<
    TableName,
    ReturnType<typeof granularity>
  >,
  {
    title: 'Per-table partitioning',
    description: 'hour | day | none; unlisted tables keep the base layout.',
  },
);

/** The raw `indexes` item; its columns are checked per table below, so TypeBox cannot infer this type. */
interface IndexFile {
  table: TableName;
  columns: string[];
}

// One branch per table: the columns a table has (and the message naming them) depend on its name.
const columnsOf = TABLES.map((t) => {
  const names = t.columns.map((col) => col.name);
  return {
    if: { properties: { table: { const: t.name } }, required: ['table'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword; this object is never awaited
    then: {
      properties: {
        columns: Type.Array(OneOf(names, {}, { expected: `a column of ${t.name}: ${names.join(', ')}` }), {
          minItems: 1,
          messages: { expected: `a non-empty list of columns of ${t.name}` },
        }),
      },
      required: ['columns'],
    },
  };
});

const Index = Type.Unsafe<IndexFile>({
  type: 'object',
  additionalProperties: false,
  properties: {
    table: OneOf(TABLE_NAMES, { title: 'Table to index' }),
    columns: { title: 'Indexed columns, in order', description: 'A non-empty list of columns of the table.' },
  },
  required: ['table'],
  allOf: columnsOf,
});

export const LayoutFile = Mapping(
  {
    name: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._-]{1,40}$',
        title: 'Layout name',
        description: 'Default: the file name.',
        messages: { expected: 'letters, digits, . _ - (1 to 40 characters)' },
      }),
    ),
    description: Type.Optional(Text({ title: 'What the layout is for' })),
    base: Type.Optional(
      OneOf(Object.keys(BUILTIN_LAYOUTS), {
        title: 'Where unlisted settings come from',
        description: 'hourly (the data model), daily, or none (no partitioning).',
        default: 'hourly',
      }),
    ),
    route: Type.Optional(
      OneOf(
        ['leaf', 'parent'],
        {
          title: 'COPY route',
          description:
            'leaf: COPY each chunk into its leaf partition; parent: through the parent (tuple routing).',
        },
        { expected: 'leaf or parent' },
      ),
    ),
    tables: Type.Optional(Tables),
    indexes: Type.Optional(
      Type.Array(Index, {
        title: 'Secondary indexes, created before loading',
        messages: { expected: 'a list of { table, columns }' },
      }),
    ),
    foreign_keys: Type.Optional(
      Type.Boolean({
        title: 'FOREIGN KEY constraints',
        description:
          'true: a constraint for every reference into an unpartitioned table, added after the load and timed.',
      }),
    ),
  },
  {
    title: 'data-playground layout',
    description:
      'How the tables are laid out in PostgreSQL (gen bench --layouts FILE). See scenarios/layouts/README.md.',
  },
);

export type LayoutFile = Static<typeof LayoutFile>;
