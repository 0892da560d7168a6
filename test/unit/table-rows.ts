/** The generated rows of one table as a user reads them: a map of column name to CSV text, per row. */
import { type Chunk, generateChunk, listChunks, type Plan } from '../../src/generate/index.js';
import type { TableName } from '../../src/model/tables.js';
import { parseCsv } from './csv.js';

/** every row of `table` in the plan's window, chunk by chunk; only the chunks `keep` accepts when given */
export function tableRows(plan: Plan, table: string, keep?: (c: Chunk) => boolean): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  for (const c of listChunks(plan, [table as TableName])) {
    if (keep !== undefined && !keep(c)) continue;
    const [header, ...body] = parseCsv(Buffer.concat([...generateChunk(plan, c)]).toString('utf8'));
    if (header === undefined) continue;
    for (const r of body) out.push(new Map(header.map((h, i) => [h, r[i] ?? ''])));
  }
  return out;
}

/** a row's extra_data, parsed (an empty object when the row has none) */
export const extraOf = <T = Record<string, unknown>>(r: Map<string, string>): T =>
  JSON.parse(r.get('extra_data') ?? '{}') as T;
