import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveServer } from '../../src/commands/common.js';
import {
  backendPid,
  connect,
  connectWhenUp,
  describeServer,
  makePool,
  noteSource,
  resolveConnectionString,
} from '../../src/db/connection.js';
import { embeddedSettings } from '../../src/db/embedded/cluster.js';
import { embeddedStatus, ensureEmbedded, stopEmbedded } from '../../src/db/embedded/index.js';
import { describeFailure, EnvironmentError, EXIT, isTransient } from '../../src/errors.js';

describe('the provided server', () => {
  const url = inject('databaseUrl');

  it('answers a query and is PostgreSQL 15 or newer', async () => {
    const client = await connect(url);
    try {
      const res = await client.query<{ one: number }>('select 1 as one');
      expect(res.rows).toEqual([{ one: 1 }]);
      const server = await describeServer(client);
      expect(server.versionNum).toBeGreaterThanOrEqual(150000);
      expect(server.version).toMatch(/^\d+/);
    } finally {
      await client.end();
    }
  });

  it('reports a missing database as a one-line EnvironmentError', async () => {
    const missing = new URL(url);
    missing.pathname = '/data_playground_no_such_db';
    const err = await connect(missing.toString()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toMatch(/database does not exist/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('reports a refused connection as an EnvironmentError', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    const err = await connect(`postgres://someone:s3cret-pw@127.0.0.1:${port}/x`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toMatch(/connection refused/);
    expect((err as Error).message).not.toContain('s3cret-pw');
    // worth another try to a chunk: a server restarting refuses connections for a while
    expect(isTransient(err)).toBe(true);
  });

  it('says where a refused URL came from: a forgotten DATABASE_URL is the setting to look at', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    const refused = async (found: { url: string } | null): Promise<string> => {
      if (found === null) throw new Error('no URL resolved');
      const err = await connect(found.url).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EnvironmentError);
      return (err as Error).message;
    };
    const at = (db: string): string => `postgres://u@127.0.0.1:${port}/${db}`;
    const fromEnv = await refused(resolveConnectionString({ env: { DATABASE_URL: at('env') } }));
    expect(fromEnv).toMatch(/connection refused\. .*The URL is the environment's DATABASE_URL; unset it/);
    const fromFlag = await refused(
      resolveConnectionString({ db: at('flag'), env: { DATABASE_URL: at('ignored') } }),
    );
    expect(fromFlag).toMatch(/The URL is --db's\.\)$/);
    expect(fromFlag).not.toMatch(/DATABASE_URL|embedded/);
    const fromPg = await refused(
      resolveConnectionString({ env: { PGHOST: '127.0.0.1', PGPORT: String(port) } }),
    );
    expect(fromPg).toMatch(/built from the environment's PGHOST/);
    // the embedded server's URL (resolveServer notes it): it went away under the run
    noteSource(at('embedded'), 'embedded');
    const embedded = await refused({ url: at('embedded') });
    expect(embedded).toMatch(/The embedded server stopped; the same command starts it again/);
    for (const m of [fromEnv, fromFlag, fromPg, embedded]) expect(m).not.toContain('\n');
  });

  it('loses an idle connection without ending the process; its next query fails as a lost connection (exit 3)', async () => {
    const client = await connect(url);
    const admin = await connect(url);
    try {
      // what a server crash or restart does to a connection between two statements (gen live's writers)
      await admin.query('select pg_terminate_backend($1)', [backendPid(client)]);
      await new Promise((r) => setTimeout(r, 300));
      const err = await client.query('select 1').catch((e: unknown) => e);
      expect(describeFailure(err).code).toBe(EXIT.environment);
      expect(describeFailure(err).text).not.toContain('\n');
    } finally {
      await admin.end();
      await client.end().catch(() => undefined);
    }
  });

  it('loses a checked-out pool connection between statements without ending the process', async () => {
    const pool = makePool(url, 1);
    const admin = await connect(url);
    try {
      const client = await pool.connect();
      await admin.query('select pg_terminate_backend($1)', [backendPid(client)]);
      await new Promise((r) => setTimeout(r, 300));
      const err = await client.query('select 1').catch((e: unknown) => e);
      client.release(true);
      expect(describeFailure(err).code).toBe(EXIT.environment);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});

/**
 * A server that is starting up: a front on loopback that answers the first `starting` connections as
 * PostgreSQL does while it starts (FATAL 57P03), then passes every byte to the real server.
 */
async function startingFront(
  realUrl: string,
  starting: number,
): Promise<{ url: string; close: () => void; refused: () => number }> {
  const real = new URL(realUrl);
  let refused = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (refused < starting) {
      refused++;
      client.once('data', (first) => {
        // an SSLRequest (8 bytes, code 80877103) gets 'N'; the startup packet then gets the error
        const answer = (): void => {
          const fields = Buffer.from('SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0');
          const head = Buffer.alloc(5);
          head.write('E', 0);
          head.writeInt32BE(4 + fields.length, 1);
          client.end(Buffer.concat([head, fields]));
        };
        if (first.length === 8 && first.readInt32BE(4) === 80877103) {
          client.write('N');
          client.once('data', answer);
        } else answer();
      });
      return;
    }
    const upstream = net.connect(Number(real.port), real.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const front = new URL(realUrl);
  front.hostname = '127.0.0.1';
  front.port = String(port);
  return {
    url: front.toString(),
    close: () => {
      for (const x of sockets) x.destroy();
      server.close();
    },
    refused: () => refused,
  };
}

describe('a server that is starting up (57P03)', () => {
  const url = inject('databaseUrl');

  it('is waited for, saying so once, then used', async () => {
    const front = await startingFront(url, 3);
    let said = '';
    const stderr = new Writable({
      write(chunk, _enc, done) {
        said += String(chunk);
        done();
      },
    });
    try {
      const server = await resolveServer(front.url, { stdout: stderr, stderr, env: {} });
      expect(server.version).toMatch(/^\d+/);
      expect(front.refused()).toBe(3);
      expect(said.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^gen: postgres:\/\/.*is starting up \(SQLSTATE 57P03\); waiting for it, up to 120 s$/,
        ),
      ]);
    } finally {
      front.close();
    }
  });

  it('gives up after the wait with one line naming the server', async () => {
    const front = await startingFront(url, 1_000);
    try {
      const err = await connectWhenUp(front.url, { maxWaitMs: 1_500 }).catch((e: unknown) => e);
      const failure = describeFailure(err);
      expect(failure.code).toBe(EXIT.environment);
      expect(failure.text).toMatch(
        /^Cannot connect to postgres:\/\/.*: still starting up after [12] s \(SQLSTATE 57P03\)$/,
      );
      expect(front.refused()).toBeGreaterThanOrEqual(2);
    } finally {
      front.close();
    }
  });
});

// Its own server in its own temp home and port, so the shared one above is untouched.
describe('an embedded server in a temp home', () => {
  let home = '';
  let url = '';

  let starts: Awaited<ReturnType<typeof ensureEmbedded>>[] = [];

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'data-playground-embedded-test-'));
    // The lock of a starter that was killed (SIGKILL: no exit handler ran) a minute ago.
    const staleLock = path.join(home, 'ensure.lock.d');
    await fs.mkdir(staleLock);
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await fs.utimes(staleLock, aMinuteAgo, aMinuteAgo);
    const port = await getPort({ host: '127.0.0.1' });
    starts = await Promise.all([1, 2, 3].map(() => ensureEmbedded({ home, port })));
    url = starts[0]?.url ?? '';
  });

  afterAll(async () => {
    if (home === '') return;
    await stopEmbedded({ home });
    await fs.rm(home, { recursive: true, force: true });
  });

  it('is started once by concurrent starters, past the stale lock of a killed one', async () => {
    expect(starts.map((s) => s.started).sort()).toEqual([false, false, true]);
    expect(new Set(starts.map((s) => s.url)).size).toBe(1);
    expect(starts.every((s) => s.home === home)).toBe(true);
    expect(await fs.readdir(home)).not.toContain('ensure.lock.d');
  });

  it('is reused by a second ensureEmbedded', async () => {
    const second = await ensureEmbedded({ home });
    expect(second).toEqual({ url, started: false, home });
    const status = await embeddedStatus({ home });
    expect(status.running).toBe(true);
    expect(status.url).toBe(url);
    expect(status.port).toBe(Number(new URL(url).port));
  });

  it('turns a wrong password into an EnvironmentError that does not contain it', async () => {
    const wrong = new URL(url);
    wrong.password = 'wrong-pw-7f3a9c';
    const err = await connect(wrong.toString()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    const message = (err as Error).message;
    expect(message).toMatch(/password authentication failed/);
    expect(message).not.toContain('wrong-pw-7f3a9c');
    expect(message).toContain('***');
  });

  it('was initialised as UTF8 / C.UTF-8 with scram-sha-256 auth, leaving no password file behind', async () => {
    const client = await connect(url);
    try {
      const db = await client.query<{ encoding: string; collate: string }>(
        `select pg_encoding_to_char(encoding) as encoding, datcollate as collate
           from pg_database where datname = current_database()`,
      );
      expect(db.rows).toEqual([{ encoding: 'UTF8', collate: 'C.UTF-8' }]);
      const hba = await client.query<{ auth_method: string }>(
        'select distinct auth_method from pg_hba_file_rules where error is null',
      );
      expect(hba.rows).toEqual([{ auth_method: 'scram-sha-256' }]);
    } finally {
      await client.end();
    }
    expect((await fs.readdir(home)).filter((name) => name.includes('pw'))).toEqual([]);
  });

  it('runs with the embedded settings: shared_buffers sized from the memory, 1024 locks', async () => {
    const want = [...embeddedSettings().matchAll(/-c (\w+)=(\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? '']);
    expect(want.map(([name]) => name)).toEqual(['max_locks_per_transaction', 'shared_buffers']);
    const client = await connect(url);
    try {
      // compared as sizes: the server prints 2048MB back as 2GB
      const r = await client.query<{ name: string; setting: string; same: boolean }>(
        `select name, current_setting(name) as setting, pg_size_bytes(current_setting(name)) = pg_size_bytes(w) as same
           from unnest($1::text[], $2::text[]) as t(name, w)`,
        [want.map((x) => x[0]), want.map((x) => x[1])],
      );
      expect(r.rows.filter((x) => !x.same)).toEqual([]);
      expect(r.rows).toHaveLength(2);
    } finally {
      await client.end();
    }
  });

  it('is stopped by stopEmbedded', async () => {
    expect(await stopEmbedded({ home })).toBe(true);
    expect((await embeddedStatus({ home })).running).toBe(false);
    expect(await stopEmbedded({ home })).toBe(false);
    const err = await connect(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
  });
});
