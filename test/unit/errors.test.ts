import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  ChunkError,
  describeFailure,
  describeStop,
  EnvironmentError,
  EXIT,
  interruptedExit,
  onClientError,
  Stopped,
  sqlState,
  systemCode,
  UserError,
} from '../../src/errors.js';

function dbError(code: string): pg.DatabaseError {
  const e = new pg.DatabaseError('relation "x" does not exist', 0, 'error');
  e.code = code;
  return e;
}

describe('one table of exit codes', () => {
  it('maps each kind of failure to its code and one line', () => {
    expect(describeFailure(new UserError('--hours: 0 is not allowed\nmore'))).toEqual({
      code: EXIT.usage,
      text: '--hours: 0 is not allowed',
    });
    expect(describeFailure(new EnvironmentError('Cannot connect')).code).toBe(EXIT.environment);
    const server = describeFailure(dbError('42P01'));
    expect(server.code).toBe(EXIT.environment);
    expect(server.text).toMatch(/\(SQLSTATE 42P01\)$/);
    const sock = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(describeFailure(sock).code).toBe(EXIT.environment);
    expect(describeFailure(new ChunkError('shop_p1', new UserError('bad'), 1))).toEqual({
      code: EXIT.usage,
      text: 'bad',
    });
    // a chunk that kept failing: the server's or the network's fault is 3, a bug of ours inside it is 70
    expect(describeFailure(new ChunkError('shop_p1', dbError('23505'), 1)).code).toBe(EXIT.environment);
    expect(
      describeFailure(new ChunkError('shop_p1', new Error('Connection terminated unexpectedly'), 5)).code,
    ).toBe(EXIT.environment);
    // the chunk and how far the run got, before and after the cause's own line
    const gone = new ChunkError(
      'shop_p1',
      // as toConnectionError makes it: the socket's error its cause (a server restarting refuses for a while)
      new EnvironmentError('Cannot connect to postgres://x@h/db: connection refused.\nmore', { cause: sock }),
      6,
    );
    gone.committed = { done: 12, total: 366 };
    expect(describeFailure(gone)).toEqual({
      code: EXIT.environment,
      text:
        'loading shop_p1 failed after 6 tries: Cannot connect to postgres://x@h/db: connection refused. ' +
        '(12 of 366 chunks are committed; the same command continues from there)',
    });
    const lost = new ChunkError('shop_p1', new Error('Connection terminated unexpectedly'), 6);
    lost.committed = { done: 0, total: 51 };
    expect(describeFailure(lost).text).toBe(
      'loading shop_p1 failed after 6 tries: Connection terminated unexpectedly ' +
        '(0 of 51 chunks are committed; the same command continues from there)',
    );
    // what the server refused, it refuses again: a re-run as it is stops at the same chunk
    const refused = new ChunkError('shop_p1', dbError('23514'), 1);
    refused.committed = { done: 20, total: 21 };
    expect(describeFailure(refused).text).toMatch(
      /^loading shop_p1 failed: .* \(SQLSTATE 23514\) \(20 of 21 chunks are committed; once this is fixed, the same command continues from there\)$/,
    );
    const inChunk = describeFailure(new ChunkError('shop_p1', new TypeError('x.y is undefined'), 1));
    expect(inChunk.code).toBe(EXIT.internal);
    expect(inChunk.text).toMatch(/TypeError: x\.y is undefined/);
    // a server error wrapped by a caller (an integrity check) is still the server's
    const wrapped = new Error('integrity check orders: canceling statement', { cause: dbError('57014') });
    expect(describeFailure(wrapped)).toEqual({
      code: EXIT.environment,
      text: 'integrity check orders: canceling statement (SQLSTATE 57014)',
    });
    const bug = describeFailure(new TypeError('x is undefined'));
    expect(bug.code).toBe(EXIT.internal);
    expect(bug.text).toMatch(/internal error, please report it:\nTypeError: x is undefined/);
  });

  it('reads a server error one way, and a socket error another', () => {
    expect(sqlState(dbError('23505'))).toBe('23505');
    expect(sqlState(Object.assign(new Error('x'), { code: '23505' }))).toBeUndefined();
    expect(systemCode(dbError('23505'))).toBeUndefined();
    const inner = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    expect(systemCode(new AggregateError([new Error('x'), inner]))).toBe('ECONNREFUSED');
  });

  it('tells SIGINT from SIGTERM', () => {
    const a = new AbortController();
    a.abort('SIGTERM');
    expect(interruptedExit(a.signal)).toBe(143);
    const b = new AbortController();
    b.abort('SIGINT');
    expect(interruptedExit(b.signal)).toBe(130);
    expect(interruptedExit(undefined)).toBe(130);
  });
});

describe("a client's 'error' event", () => {
  it('is left to the next query when the connection was lost or the server ended the session', () => {
    const fatal = dbError('57P05');
    fatal.severity = 'FATAL';
    for (const e of [
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }),
      dbError('57P01'),
      new Error('Connection terminated unexpectedly'),
      fatal,
    ])
      expect(() => onClientError(e), e.message).not.toThrow();
  });

  it('is thrown, as without a listener, when it is anything else (a protocol error, a bug)', () => {
    const e = new Error('Received unexpected dataRow with no active query');
    expect(() => onClientError(e)).toThrow(e);
    expect(() => onClientError(dbError('42P01'))).toThrow();
  });
});

describe('a stop', () => {
  const stopped = (): AbortSignal => {
    const c = new AbortController();
    c.abort('SIGTERM');
    return c.signal;
  };

  it('is the stop whatever the cancelled work threw; a bug of ours meanwhile is said too', () => {
    const signal = stopped();
    const stop = { code: EXIT.terminated, text: 'stopped by SIGTERM before the end' };
    // what cancelled statements, closed connections and aborts throw
    expect(describeStop(dbError('57014'), signal)).toEqual(stop);
    expect(describeStop(new Error('Connection terminated unexpectedly'), signal)).toEqual(stop);
    expect(describeStop(new Error('Client was closed and is not queryable'), signal)).toEqual(stop);
    expect(
      describeStop(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }), signal),
    ).toEqual(stop);
    expect(describeStop('SIGTERM', signal)).toEqual(stop);
    expect(describeStop(new Stopped('no transaction was played yet'), signal).text).toBe(
      'stopped by SIGTERM before the end: no transaction was played yet',
    );
    // a report failing its schema after the stop: not hidden behind it
    const bug = describeStop(
      new Error('report for r.json does not match its schema: /live/x: must be integer'),
      signal,
    );
    expect(bug.code).toBe(EXIT.terminated);
    expect(bug.text).toMatch(
      /^stopped by SIGTERM before the end; and meanwhile an internal error, please report it:\nError: report for r\.json does not match its schema/,
    );
  });
});
