import { describe, expect, it } from 'vitest';
import { redactUrl, resolveConnectionString, toConnectionError } from '../../src/db/connection.js';
import { EnvironmentError } from '../../src/errors.js';

describe('redactUrl', () => {
  it.each([
    ['postgres://alice:s3cret@db.example.com:5432/shop', 'postgres://alice:***@db.example.com:5432/shop'],
    ['postgresql://alice:p%40ss@h/db?sslmode=require', 'postgresql://alice:***@h/db?sslmode=require'],
    // A raw '@' in the password: everything up to the last '@' of the authority is hidden.
    ['postgres://alice:p@ss@h:5432/db', 'postgres://alice:***@h:5432/db'],
    ['postgres://:onlypw@h/db', 'postgres://:***@h/db'],
    ['postgres://h/db?user=a&password=s3cret&x=1', 'postgres://h/db?user=a&password=***&x=1'],
    ['host=h user=a password=s3cret dbname=d', 'host=h user=a password=*** dbname=d'],
    ["host=h password = 'se cr\\'et' dbname=d", 'host=h password = *** dbname=d'],
  ])('hides the password in %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
    expect(redactUrl(input)).not.toMatch(/s3cret|p@ss|p%40ss|onlypw|se cr/);
  });

  it.each([
    'postgres://alice@h:5432/db',
    'postgres://h:5432/db',
    'postgres://h:5432/db?application_name=a@b',
  ])('leaves %s alone', (input) => {
    expect(redactUrl(input)).toBe(input);
  });
});

describe('resolveConnectionString', () => {
  it('prefers --db, then DATABASE_URL, then PG*', () => {
    const env = { DATABASE_URL: 'postgres://u@envhost/db', PGHOST: 'pghost' };
    expect(resolveConnectionString({ db: 'postgres://u@flag/db', env })).toEqual({
      url: 'postgres://u@flag/db',
      source: 'flag',
    });
    expect(resolveConnectionString({ env })).toEqual({
      url: 'postgres://u@envhost/db',
      source: 'DATABASE_URL',
    });
    expect(resolveConnectionString({ env: { PGHOST: 'pghost' } })?.source).toBe('PG*');
  });

  it('builds a URL from the PG* variables, encoding what needs it', () => {
    const res = resolveConnectionString({
      env: { PGHOST: 'db.local', PGPORT: '6543', PGUSER: 'bob', PGPASSWORD: 'p@ss/word', PGDATABASE: 'shop' },
    });
    expect(res?.url).toBe('postgres://bob:p%40ss%2Fword@db.local:6543/shop');
    const socket = resolveConnectionString({ env: { PGHOST: '/var/run/postgresql', PGUSER: 'bob' } });
    expect(socket?.url).toBe('postgres://bob@%2Fvar%2Frun%2Fpostgresql/bob');
  });

  it('returns null (embedded) when nothing says where the server is', () => {
    expect(resolveConnectionString({ env: {} })).toBeNull();
    expect(resolveConnectionString({ db: '', env: { PGPASSWORD: 'x', DATABASE_URL: '' } })).toBeNull();
  });
});

describe('toConnectionError', () => {
  const url = 'postgres://u:s3cret@h:5432/db';

  it.each([
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), /refused/],
    [new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], ''), /refused/],
    [Object.assign(new Error('getaddrinfo ENOTFOUND h'), { code: 'ENOTFOUND' }), /unknown host/],
    [new Error('timeout expired'), /timed out/],
    [new Error('Connection terminated due to connection timeout'), /timed out/],
  ])('maps %s to a EnvironmentError without the password', (err, expected) => {
    const mapped = toConnectionError(err, url);
    expect(mapped).toBeInstanceOf(EnvironmentError);
    expect(mapped.message).toMatch(expected);
    expect(mapped.message).toContain('postgres://u:***@h:5432/db');
    expect(mapped.message).not.toContain('s3cret');
  });

  it('passes other errors through unchanged', () => {
    const err = new Error('syntax error at or near "selec"');
    expect(toConnectionError(err, url)).toBe(err);
  });
});
