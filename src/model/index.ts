export { createPartitionSql, createTableSql, DEFAULT_SCHEMA, ident, qualified, schemaSql } from './ddl.js';
export {
  DAY_MS,
  floorTo,
  HOUR_MS,
  type Partition,
  partitionKey,
  partitionSuffix,
  partitionsFor,
  sqlTimestamp,
} from './partitions.js';
export {
  type Column,
  type ColumnType,
  columnNames,
  type Granularity,
  TABLE_NAMES,
  TABLES,
  type Table,
  type TableName,
  table,
} from './tables.js';
