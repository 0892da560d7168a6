/** How a database load sends rows: PostgreSQL's binary COPY format (the default), or CSV as generated. */
export type CopyFormat = 'binary' | 'csv';
export const COPY_FORMATS: readonly CopyFormat[] = ['binary', 'csv'];
