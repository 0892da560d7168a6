/**
 * sslmode like libpq, against a throwaway embedded server with TLS on and a certificate made here by openssl
 * (a test CA; the server's certificate names DNS:localhost only, not 127.0.0.1), and against the shared test
 * server, which has no TLS.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import getPort from 'get-port';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli.js';
import { connect, makePool, resolveConnectionString } from '../../src/db/connection.js';
import { ensureEmbedded, stopEmbedded } from '../../src/db/embedded/index.js';
import { postgresUser } from '../../src/db/embedded/os-user.js';
import { describeFailure, EXIT } from '../../src/errors.js';
import { genProcess } from './scratch.js';

const run = promisify(execFile);
const plainUrl = inject('databaseUrl');

let certs = '';
let home = '';
/** the TLS server at 127.0.0.1, superuser, no sslmode */
let tlsUrl = '';
let ca = '';
let otherCa = '';

/** `url` with its host replaced and query parameters added (values are file paths and modes: no encoding). */
function at(url: string, host: string, query: string): string {
  const u = new URL(url);
  u.hostname = host;
  return `${u.toString()}${query === '' ? '' : `?${query}`}`;
}

async function usesTls(c: pg.ClientBase): Promise<boolean> {
  const r = await c.query<{ ssl: boolean }>('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
  return r.rows[0]?.ssl ?? false;
}

async function tlsOf(url: string): Promise<boolean> {
  const c = await connect(url);
  try {
    return await usesTls(c);
  } finally {
    await c.end();
  }
}

/** The one line and exit code the CLI would print for this connection's failure. */
async function failureOf(url: string): Promise<{ code: number; text: string }> {
  const e = await connect(url).then(
    async (c) => {
      await c.end();
      throw new Error(`${url} connected`);
    },
    (err: unknown) => err,
  );
  return describeFailure(e);
}

/** `gen` in-process with this environment (run-gen.ts's gives none). */
async function genWith(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; err: string }> {
  let err = '';
  const sink = (keep: boolean): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (keep) err += chunk.toString();
        cb();
      },
    });
  const code = await main(args, { stdout: sink(false), stderr: sink(true), env });
  return { code, err };
}

async function openssl(args: string[]): Promise<void> {
  await run('openssl', args, { cwd: certs });
}

async function makeCa(name: string): Promise<void> {
  await openssl([
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
}

beforeAll(async () => {
  // the server's OS user (postgres, when we are root) must reach the folder and own the key
  certs = await fs.mkdtemp(path.join(os.tmpdir(), 'dp-tls-certs-'));
  await fs.chmod(certs, 0o755);
  await makeCa('test-ca');
  await makeCa('other-ca');
  await openssl([
    ...['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'],
  ]);
  await fs.writeFile(path.join(certs, 'san.ext'), 'subjectAltName=DNS:localhost\n');
  await openssl([
    ...[
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'test-ca.crt',
      '-CAkey',
      'test-ca.key',
      '-set_serial',
      '1',
    ],
    ...['-out', 'server.crt', '-days', '2', '-extfile', 'san.ext'],
  ]);
  ca = path.join(certs, 'test-ca.crt');
  otherCa = path.join(certs, 'other-ca.crt');
  const key = path.join(certs, 'server.key');
  await fs.chmod(key, 0o600);
  const runAs = await postgresUser({ create: true });
  if (runAs !== null) await fs.chown(key, runAs.uid, runAs.gid);

  home = await fs.mkdtemp(path.join(os.tmpdir(), 'dp-tls-server-'));
  tlsUrl = (await ensureEmbedded({ home, port: await getPort({ host: '127.0.0.1' }) })).url;
  // ssl is reloadable (PostgreSQL 10+): no restart
  const admin = await connect(`${tlsUrl}?sslmode=disable`);
  try {
    await admin.query(`alter system set ssl_cert_file = '${path.join(certs, 'server.crt')}'`);
    await admin.query(`alter system set ssl_key_file = '${key}'`);
    await admin.query(`alter system set ssl = on`);
    await admin.query('select pg_reload_conf()');
  } finally {
    await admin.end();
  }
  for (let i = 0; i < 50 && !(await tlsOf(`${tlsUrl}?sslmode=prefer`)); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  if (home !== '') await stopEmbedded({ home }).catch(() => undefined);
  for (const dir of [home, certs]) if (dir !== '') await fs.rm(dir, { recursive: true, force: true });
});

describe('a server with TLS', () => {
  it('require and the default prefer use TLS without checking; disable does not', async () => {
    expect(await tlsOf(at(tlsUrl, '127.0.0.1', 'sslmode=require'))).toBe(true);
    expect(await tlsOf(tlsUrl)).toBe(true);
    expect(await tlsOf(at(tlsUrl, '127.0.0.1', 'sslmode=disable'))).toBe(false);
  });

  it('verify-ca checks the chain, not the host name', async () => {
    expect(await tlsOf(at(tlsUrl, '127.0.0.1', `sslmode=verify-ca&sslrootcert=${ca}`))).toBe(true);
    const f = await failureOf(at(tlsUrl, '127.0.0.1', `sslmode=verify-ca&sslrootcert=${otherCa}`));
    expect(f.code).toBe(EXIT.environment);
    expect(f.text).toMatch(/^certificate of .* not trusted \(sslmode=verify-ca\): .*other-ca\.crt/);
  });

  it('require with a root certificate checks the chain, as libpq does', async () => {
    expect(await tlsOf(at(tlsUrl, '127.0.0.1', `sslmode=require&sslrootcert=${ca}`))).toBe(true);
    const f = await failureOf(at(tlsUrl, '127.0.0.1', `sslmode=require&sslrootcert=${otherCa}`));
    expect(f.text).toMatch(/not trusted \(sslmode=require\)/);
  });

  it('verify-full checks the host name too: localhost is in the certificate, 127.0.0.1 is not', async () => {
    expect(await tlsOf(at(tlsUrl, 'localhost', `sslmode=verify-full&sslrootcert=${ca}`))).toBe(true);
    const f = await failureOf(at(tlsUrl, '127.0.0.1', `sslmode=verify-full&sslrootcert=${ca}`));
    expect(f.code).toBe(EXIT.environment);
    expect(f.text).toMatch(
      /^host name mismatch \(sslmode=verify-full\) at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/,
    );
    expect(f.text).not.toContain('\n');
  });

  it('verify-full without the CA: not trusted, and says how to give it', async () => {
    const f = await failureOf(at(tlsUrl, 'localhost', 'sslmode=verify-full'));
    expect(f.code).toBe(EXIT.environment);
    expect(f.text).toMatch(
      /^certificate of .*localhost.* not trusted \(sslmode=verify-full\): unable to verify the first certificate; give the CA with sslrootcert=FILE or PGSSLROOTCERT$/,
    );
  });

  it('PGSSLMODE and PGSSLROOTCERT apply where the URL says nothing; the URL wins', async () => {
    const env = { DATABASE_URL: at(tlsUrl, 'localhost', ''), PGSSLMODE: 'verify-full', PGSSLROOTCERT: ca };
    const resolved = resolveConnectionString({ env });
    expect(await tlsOf(resolved?.url ?? '')).toBe(true);
    const noCa = resolveConnectionString({ env: { ...env, PGSSLROOTCERT: '' } });
    expect((await failureOf(noCa?.url ?? '')).text).toMatch(/not trusted \(sslmode=verify-full\)/);
    const urlWins = resolveConnectionString({
      env: { ...env, DATABASE_URL: at(tlsUrl, '127.0.0.1', 'sslmode=disable') },
    });
    expect(await tlsOf(urlWins?.url ?? '')).toBe(false);
  });

  it('a pool goes through TLS', async () => {
    const url = at(tlsUrl, 'localhost', `sslmode=verify-full&sslrootcert=${ca}`);
    const pool = makePool(url, 2);
    try {
      const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
      expect([await usesTls(a), await usesTls(b)]).toEqual([true, true]);
      a.release();
      b.release();
    } finally {
      await pool.end();
    }
  });

  it('a command (gen verify) connects with PGSSLMODE/PGSSLROOTCERT from its environment', async () => {
    const env = { DATABASE_URL: at(tlsUrl, 'localhost', ''), PGSSLMODE: 'verify-full', PGSSLROOTCERT: ca };
    // connected (through TLS, checked): the schema is empty, a user error
    const ok = await genWith(['verify', '--schema', 'tls_nothing', '--quiet'], env);
    expect(ok.err).toMatch(/^gen: schema "tls_nothing" holds no load by gen/);
    expect(ok.code).toBe(EXIT.usage);
    const untrusted = await genWith(['verify', '--schema', 'tls_nothing', '--quiet'], {
      ...env,
      PGSSLROOTCERT: '',
    });
    expect(untrusted.err).toMatch(/^gen: certificate of .* not trusted \(sslmode=verify-full\)[^\n]*\n$/);
    expect(untrusted.code).toBe(EXIT.environment);
  });

  it('an unreadable sslrootcert is one line naming the file', async () => {
    const f = await failureOf(at(tlsUrl, 'localhost', 'sslmode=verify-full&sslrootcert=/nonexistent/ca.crt'));
    expect(f).toEqual({
      code: EXIT.environment,
      text: 'cannot read sslrootcert /nonexistent/ca.crt: no such file or directory',
    });
  });

  // last of this block: the server takes TLS connections only from here on
  it('a server that takes TLS only: allow falls back to TLS, disable is one line', async () => {
    const admin = await connect(at(tlsUrl, '127.0.0.1', 'sslmode=require'));
    try {
      const hba = (await admin.query<{ hba_file: string }>('show hba_file')).rows[0]?.hba_file ?? '';
      await fs.writeFile(
        hba,
        'hostssl all all 127.0.0.1/32 scram-sha-256\nhostssl all all ::1/128 scram-sha-256\n',
      );
      await admin.query('select pg_reload_conf()');
    } finally {
      await admin.end();
    }
    const disabled = at(tlsUrl, '127.0.0.1', 'sslmode=disable');
    for (let i = 0; i < 50 && (await tlsOf(disabled).catch(() => null)) !== null; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await failureOf(disabled)).toEqual({
      code: EXIT.environment,
      text: expect.stringMatching(
        /^server at .* accepts this user only over TLS \(sslmode=disable\): use sslmode=prefer or require$/,
      ),
    });
    expect(await tlsOf(at(tlsUrl, '127.0.0.1', 'sslmode=allow'))).toBe(true);
  });
});

describe('a server without TLS (the shared test server)', () => {
  it('prefer (the default) falls back to plain, for one client and for a pool', async () => {
    expect(await tlsOf(plainUrl)).toBe(false);
    const pool = makePool(`${plainUrl}${plainUrl.includes('?') ? '&' : '?'}sslmode=prefer`, 2);
    try {
      const r = await pool.query<{ one: number }>('select 1 as one');
      expect(r.rows[0]?.one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('require: one line, exit 3, no stack and no node-postgres warning', async () => {
    const url = `${plainUrl}${plainUrl.includes('?') ? '&' : '?'}sslmode=require`;
    const g = await genProcess(['--db', url, '--hours', '1', '--schema', 'tls_none', '--quiet']).done;
    expect(g.code).toBe(EXIT.environment);
    expect(g.err).toMatch(
      /^gen: server at postgres:\/\/.* does not accept TLS \(sslmode=require\); use sslmode=prefer or disable\n$/,
    );
  });

  it('a bad sslmode names the allowed ones', async () => {
    const f = await failureOf(`${plainUrl}?sslmode=required`);
    expect(f).toEqual({
      code: EXIT.usage,
      text: 'sslmode=required is not known; use one of disable, allow, prefer, require, verify-ca, verify-full',
    });
  });
});
