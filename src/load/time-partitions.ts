/**
 * For `npm run bench` (issue 9 §4: schema-and-partitions time for 24 h and 90 days): a window's schema and
 * partitions created into an empty schema, as a load does it, and timed. The schema is left in place, with
 * no rows, so the caller can EXPLAIN queries on it (pruning at 90 days) and drop it after (dropSchema).
 */
import { makePool, toConnectionError } from '../db/connection.js';
import { DEFAULT_LAYOUT, type Layout } from '../model/layout.js';
import { dropSchema } from './drop-schema.js';
import { MAX_DDL_STREAMS, prepareSchema, type WindowSpec } from './schema.js';

export interface PartitionTiming {
  partitions: number;
  /** wall time of prepareSchema: tables, indexes and every partition */
  ms: number;
}

export async function timePartitions(
  url: string,
  schema: string,
  w: WindowSpec,
  layout: Layout = DEFAULT_LAYOUT,
  /** default: prepareSchema's for the server (defaultDdlStreams) */
  streams?: number,
): Promise<PartitionTiming> {
  const pool = makePool(url, streams ?? MAX_DDL_STREAMS);
  try {
    const client = await pool.connect().catch((e: unknown) => {
      throw toConnectionError(e, url);
    });
    try {
      await dropSchema(client, schema);
      const t0 = performance.now();
      const partitions = await prepareSchema(client, schema, w, layout, {
        connect: () => pool.connect(),
        streams,
      });
      return { partitions, ms: performance.now() - t0 };
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}
