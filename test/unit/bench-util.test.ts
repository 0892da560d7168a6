/**
 * The bench's children get no password on their command lines (bench/util.ts libpqTarget): psql and pgbench read
 * it from PGPASSWORD in their environment, which only the machine user who started them can read.
 */
import { describe, expect, it } from 'vitest';
import { libpqTarget } from '../../bench/util.js';

describe('libpqTarget', () => {
  it('moves the password from the URL to PGPASSWORD', () => {
    const t = libpqTarget('postgres://gen:s3cret@127.0.0.1:54329/postgres?sslmode=disable');
    expect(t.conninfo).toBe('postgres://gen@127.0.0.1:54329/postgres?sslmode=disable');
    expect(t.conninfo).not.toContain('s3cret');
    expect(t.env.PGPASSWORD).toBe('s3cret');
  });

  it('decodes a percent-encoded password', () => {
    const t = libpqTarget(`postgres://gen:${encodeURIComponent('p@ss:w/rd%')}@db.example:5432/app`);
    expect(t.env.PGPASSWORD).toBe('p@ss:w/rd%');
    expect(t.conninfo).toBe('postgres://gen@db.example:5432/app');
  });

  it('leaves a URL without a password as it is, and the environment too', () => {
    const url = 'postgres://gen@127.0.0.1:5432/postgres';
    const t = libpqTarget(url);
    expect(t.conninfo).toBe(url);
    expect(t.env).toBe(process.env);
  });
});
