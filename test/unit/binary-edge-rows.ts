/**
 * Edge rows for the binary COPY transcoder, one per line of CSV as the generator writes it, and their column
 * types: extremes of every type, quoting, NULLs, multi-line text and non-ASCII. Shared by the unit test (decoded
 * in JavaScript) and the integration test (loaded into PostgreSQL and read back).
 */
import type { ColumnType } from '../../src/model/columns.js';

export const EDGE_TYPES: ColumnType[] = [
  'uuid',
  'timestamptz',
  'text',
  'smallint',
  'integer',
  'bigint',
  'numeric(12,2)',
  'numeric(14,2)',
  'boolean',
  'jsonb',
];
export const EDGE = [
  '0c4e1f2a-9b3d-4e5f-8a6b-7c8d9e0f1a2b,2026-11-27 00:00:00+00,plain,0,0,0,0.00,0.00,t,{}',
  '00000000-0000-4000-8000-000000000000,2026-11-27 13:05:09.5+00,"a ""quoted"", comma",-32768,-2147483648,-9007199254740991,-0.05,-1.10,f,"{""a"": ""x,y""}"',
  'ffffffff-ffff-4fff-bfff-ffffffffffff,1999-12-31 23:59:59.999999+00,"two\nlines",32767,2147483647,9007199254740991,9999999999.99,999999999999.99,t,"{""k"": [1, 2.5, null]}"',
  'abcdefab-cdef-4abc-9def-abcdefabcdef,2000-01-01 00:00:00.000001+00,"",1,12,123,10000.00,0.01,f,"{""u"": ""Grüße 東京 🚀""}"',
  '12345678-1234-4234-a234-123456789abc,2024-02-29 23:59:59.12+00,Zoë Ørsted 🚀,,,,12345.67,100000000.10,,',
  '12345678-1234-4234-a234-123456789abd,1970-01-01 00:00:00.123+00,,5,-7,-1,1.50,-10000.00,t,"{""e"": """"}"',
];
