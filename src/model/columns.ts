/**
 * What a table and a column are, and the helpers ./tables.ts declares the tables with: the columns every table
 * shares (id, event_time, partition_key, created_time, updated_time, extra) and a metric table of a family.
 * Every table and every column carries its comment (COMMENT ON in the DDL, ./ddl.ts): what it holds, as the
 * generator writes it today.
 */
import { METRIC_KEYS, METRIC_VALUES, type MetricFamily, type MetricValue } from './metrics.js';
import type { TableName } from './table-names.js';

export type Granularity = 'hour' | 'day';

export type ColumnType =
  | 'uuid'
  | 'timestamptz'
  | 'text'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'numeric(12,2)'
  | 'numeric(14,2)'
  | 'boolean'
  | 'jsonb';

export interface Column {
  name: string;
  type: ColumnType;
  /** NOT NULL unless nullable */
  nullable?: boolean;
  /** SQL default expression (metric counters default to 0) */
  default?: string;
  /** for reference columns: the referenced table (its id column, or entity_id for global_entity) */
  references?: TableName;
  /**
   * for reference columns: the row is written by the same business event as the row it names, at its event_time
   * (an order's items, an invoice's payment); gen verify relies on it on a schema gen live --retention retired
   */
  sameTimeAsTarget?: true;
  /** COMMENT ON COLUMN: what the column holds, as the generator writes it today */
  comment: string;
  /** the only values allowed, as a CHECK constraint (an enumeration of the data model) */
  oneOf?: readonly string[];
}

export interface Table {
  name: TableName;
  /** partition granularity on event_time */
  granularity: Granularity;
  /** the entity name in the data-model document */
  entity: string;
  /** 'entity' rows are created things with an id; 'log', 'event' and 'metric' rows record what happened */
  kind: 'entity' | 'log' | 'event' | 'metric' | 'registry';
  /** the id column: 'id', or 'entity_id' for global_entity */
  idColumn: string;
  columns: Column[];
  /** COMMENT ON TABLE: what a row is */
  comment: string;
  /** the bucket of a metric table's rows */
  bucket?: Granularity;
  /** a metric table's family: its keys and value columns (./metrics.ts) */
  family?: MetricFamily;
}

/** What the shared columns of a table hold: event_time, created_time, updated_time, extra_data. */
interface Common {
  event: string;
  /** default: event_time */
  created?: string;
  /** default: event_time */
  updated?: string;
  /** default: '{}' on every row */
  extra?: string;
}

export const SAME = '= event_time.';
const NO_EXTRA = "Free-form attributes (jsonb): '{}' (nothing to add).";
export const head = (g: Granularity, event: string, idColumn = 'id'): Column[] => [
  {
    name: idColumn,
    type: 'uuid',
    comment:
      'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same ' +
      'in every run with the same seed.',
  },
  { name: 'event_time', type: 'timestamptz', comment: `${event} The partitioning column (range).` },
  {
    name: 'partition_key',
    type: 'text',
    comment: `event_time's UTC ${g === 'hour' ? 'hour, YYYY-MM-DDThh:00:00' : 'day, YYYY-MM-DD'} (the data model's partition key).`,
  },
];
export const tail = (c: Common, extra = 'extra_data'): Column[] => [
  { name: 'created_time', type: 'timestamptz', comment: c.created ?? SAME },
  { name: 'updated_time', type: 'timestamptz', comment: c.updated ?? SAME },
  { name: extra, type: 'jsonb', default: "'{}'::jsonb", comment: c.extra ?? NO_EXTRA },
];
export const ref = (name: string, references: TableName, comment: string, nullable = false): Column => ({
  name,
  type: 'uuid',
  references,
  comment,
  ...(nullable ? { nullable } : {}),
});
export const col = (name: string, type: ColumnType, comment: string, nullable = false): Column => ({
  name,
  type,
  comment,
  ...(nullable ? { nullable } : {}),
});
export const text = (name: string, comment: string, nullable = false): Column =>
  col(name, 'text', comment, nullable);
export const money = (name: string, comment: string): Column => col(name, 'numeric(12,2)', comment);

export function hourly(
  name: TableName,
  entity: string,
  kind: Table['kind'],
  comment: string,
  common: Common,
  body: Column[],
): Table {
  return {
    name,
    entity,
    kind,
    comment,
    granularity: 'hour',
    idColumn: 'id',
    columns: [...head('hour', common.event), ...body, ...tail(common)],
  };
}

/** What a metric family's rows are about, for the table comments. */
const METRIC_ROWS: Record<MetricFamily, { who: string; activity: string }> = {
  user: { who: 'user', activity: 'an order (any status), a review or a logged request by the user' },
  shop: {
    who: 'shop',
    activity: 'an order (any status), a review, or a logged request about the shop or one of its products',
  },
  product: {
    who: 'product',
    activity: 'the product in an order (any status), a review of it, or a logged view or cart add of it',
  },
};

function metricComment(entity: string, bucket: Granularity, family: MetricFamily): string {
  const { who, activity } = METRIC_ROWS[family];
  return bucket === 'hour'
    ? `Metrics per ${who} and UTC hour (${entity}): a row per (${who}, hour) with ${activity}, none ` +
        "otherwise. What an order causes (items, payment attempts) counts in the hour of the order's event_time, a review and a logged request in their own. Hourly rows, daily partitions."
    : `Metrics per ${who} and UTC day (${entity}): a row per (${who}, day) with ${activity}; the sums of ` +
        "its hourly rows, except distinct counts, min/max and the levels at the bucket end (see the columns). The window's first and last day may be partial.";
}

/** A metric table of a family: its keys and value columns come from ./metrics.ts (every counter defaults to 0). */
export function metric(name: TableName, entity: string, bucket: Granularity, family: MetricFamily): Table {
  const body: Column[] = [
    ...METRIC_KEYS[family].map((k) => ref(k.name, k.references, k.comment)),
    ...METRIC_VALUES[family].map(
      (v: MetricValue): Column =>
        v.nullable
          ? { name: v.name, type: v.type, nullable: true, comment: v.comment }
          : { name: v.name, type: v.type, default: '0', comment: v.comment },
    ),
  ];
  const end =
    bucket === 'hour'
      ? 'End of the hour the row counts: when the row was final.'
      : "End of the day the row counts (the window's end for a partial last day): when the row was final.";
  return {
    name,
    entity,
    kind: 'metric',
    comment: metricComment(entity, bucket, family),
    bucket,
    family,
    granularity: 'day',
    idColumn: 'id',
    columns: [
      ...head('day', `Start of the bucket the row counts: its UTC ${bucket}.`),
      ...body,
      ...tail(
        {
          event: '',
          created: end,
          updated: end,
          extra:
            'What the numbers are in (jsonb): currency, the reporting currency of the money columns; ' +
            'log_sample_rate, the share of sessions request_response_log holds (the traffic columns count them).',
        },
        'extra_metrics',
      ),
    ],
  };
}
