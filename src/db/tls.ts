/**
 * TLS as libpq does it. The URL's query (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`, `sslpassword`,
 * `sslnegotiation`), else the environment (PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY, PGSSLNEGOTIATION),
 * else libpq's default `prefer`, becomes node-postgres's `ssl` config object. These parameters are taken out
 * of the URL handed to pg: pg-connection-string would otherwise read them its own way (in pg 8 `require`
 * means verify-full, with a multi-line warning).
 *
 *   disable       no TLS
 *   allow         plain; when the server refuses the plain connection (pg_hba hostssl), TLS without checks
 *   prefer        TLS without checks; when the server answers that it has no TLS, plain
 *   require       TLS without checks; with a root certificate (sslrootcert, or ~/.postgresql/root.crt) as verify-ca
 *   verify-ca     TLS, the chain checked against the root certificate, not the host name
 *   verify-full   TLS, the chain and the host name checked
 *
 * Where libpq differs: without sslrootcert and ~/.postgresql/root.crt, verify-ca and verify-full trust Node's
 * bundled public CAs (libpq refuses); `sslrootcert=system` says so explicitly. Unix sockets never use TLS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { EnvironmentError, sqlState, systemCode, UserError } from '../errors.js';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Query parameters of ours; pg never sees them. `ssl` and `uselibpqcompat` are pg's own spellings. */
const TLS_PARAMS = new Set([
  'sslmode',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'sslpassword',
  'sslnegotiation',
  'ssl',
  'uselibpqcompat',
]);

/** libpq's environment variables, the defaults for the URL's parameters. */
const ENV_DEFAULTS = {
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  sslnegotiation: 'PGSSLNEGOTIATION',
} as const;

export interface TlsSettings {
  mode: SslMode;
  /** a file, or 'system' for Node's bundled CAs; absent: ~/.postgresql/root.crt if it exists */
  rootCert?: string;
  cert?: string;
  key?: string;
  password?: string;
  direct: boolean;
}

/** The ssl config pg gets, and what to try next when the first attempt fails in the way the mode allows. */
export interface TlsPlan {
  /** the URL as given: the key of what allow/prefer found out */
  source: string;
  /** the URL without TLS parameters, for pg */
  url: string;
  settings: TlsSettings;
  ssl: false | ConnectionOptions;
  sslnegotiation: 'postgres' | 'direct';
  /** allow/prefer: the other attempt, when `err` is the failure that libpq falls back on; else undefined */
  fallback: (err: unknown) => false | ConnectionOptions | undefined;
}

/** A URL's query split into our TLS parameters (decoded) and the URL without them. */
export function splitTlsParams(url: string): { url: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  const q = url.indexOf('?');
  if (q < 0 || url.startsWith('/')) return { url, params };
  const kept: string[] = [];
  for (const pair of url.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const entry = [...new URLSearchParams(pair)][0];
    if (entry !== undefined && TLS_PARAMS.has(entry[0])) params.set(entry[0], entry[1]);
    else kept.push(pair);
  }
  return { url: url.slice(0, q) + (kept.length > 0 ? `?${kept.join('&')}` : ''), params };
}

/**
 * Adds PGSSLMODE, PGSSLROOTCERT, ... to the URL for the parameters it does not set itself (the URL wins, as in
 * libpq). Done once where the URL is resolved, so every later connection sees the same settings.
 */
export function withTlsEnv(url: string, env: NodeJS.ProcessEnv): string {
  if (url.startsWith('/')) return url;
  const { params } = splitTlsParams(url);
  const add: string[] = [];
  for (const [param, name] of Object.entries(ENV_DEFAULTS)) {
    const value = env[name]?.trim();
    if (value === undefined || value === '' || params.has(param)) continue;
    // pg's `ssl=true` already says what mode it wants
    if (param === 'sslmode' && params.has('ssl')) continue;
    add.push(`${param}=${encodeURIComponent(value)}`);
  }
  if (add.length === 0) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${add.join('&')}`;
}

/** The TLS settings a URL asks for; a bad sslmode or sslnegotiation is a UserError naming what is allowed. */
export function tlsSettings(url: string): TlsSettings {
  const { params } = splitTlsParams(url);
  let mode = sslModeOf(params);
  // as libpq 16+: sslrootcert=system makes verify-full the default, and refuses a weaker mode
  if (params.get('sslrootcert') === 'system') {
    if (!params.has('sslmode') && !params.has('ssl')) mode = 'verify-full';
    else if (mode !== 'verify-full') {
      throw new UserError(
        `weak sslmode "${mode}" may not be used with sslrootcert=system (use "verify-full")`,
      );
    }
  }
  const negotiation = params.get('sslnegotiation') ?? 'postgres';
  if (negotiation !== 'postgres' && negotiation !== 'direct') {
    throw new UserError(`sslnegotiation=${negotiation} is not known; use postgres or direct`);
  }
  const direct = negotiation === 'direct';
  if (direct && (mode === 'disable' || mode === 'allow' || mode === 'prefer')) {
    throw new UserError(`sslnegotiation=direct needs sslmode=require, verify-ca or verify-full, not ${mode}`);
  }
  const s: TlsSettings = { mode, direct };
  const rootCert = params.get('sslrootcert');
  if (rootCert) s.rootCert = rootCert;
  const cert = params.get('sslcert');
  if (cert) s.cert = cert;
  const key = params.get('sslkey');
  if (key) s.key = key;
  const password = params.get('sslpassword');
  if (password) s.password = password;
  return s;
}

function sslModeOf(params: Map<string, string>): SslMode {
  const mode = params.get('sslmode');
  if (mode !== undefined) {
    // pg's own spelling for "TLS, no checks"
    if (mode === 'no-verify') return 'require';
    if ((SSL_MODES as readonly string[]).includes(mode)) return mode as SslMode;
    throw new UserError(`sslmode=${mode} is not known; use one of ${SSL_MODES.join(', ')}`);
  }
  // pg's `ssl=true` has meant a verified connection (verify-full)
  const ssl = params.get('ssl');
  if (ssl === 'true' || ssl === '1') return 'verify-full';
  if (ssl === 'false' || ssl === '0') return 'disable';
  if (ssl === 'no-verify') return 'require';
  return 'prefer';
}

/** The config for pg: the URL without TLS parameters, the ssl object, and the fallback of allow/prefer. */
export function tlsPlan(url: string): TlsPlan {
  const settings = tlsSettings(url);
  const stripped = splitTlsParams(url).url;
  const base = {
    source: url,
    url: stripped,
    settings,
    sslnegotiation: settings.direct ? 'direct' : 'postgres',
  } as const;
  // libpq: "sslmode is ignored for Unix domain socket communication"
  if (settings.mode === 'disable' || isSocket(stripped)) {
    return { ...base, ssl: false, fallback: () => undefined };
  }
  const unchecked: ConnectionOptions = { ...clientCert(settings), rejectUnauthorized: false };
  switch (settings.mode) {
    case 'allow':
      // the server turned the plain connection away (no pg_hba.conf entry ... no encryption)
      return { ...base, ssl: false, fallback: (e) => (sqlState(e) === '28000' ? unchecked : undefined) };
    case 'prefer':
      return { ...base, ssl: unchecked, fallback: (e) => (refusedTls(e) ? false : undefined) };
    default:
      return { ...base, ssl: verifying(settings), fallback: () => undefined };
  }
}

function verifying(s: TlsSettings): ConnectionOptions {
  const rootFile = s.rootCert ?? defaultRootCert();
  if (s.mode === 'require' && rootFile === undefined) {
    return { ...clientCert(s), rejectUnauthorized: false };
  }
  const ssl: ConnectionOptions = { ...clientCert(s), rejectUnauthorized: true };
  if (rootFile !== undefined && rootFile !== 'system') ssl.ca = readPem('sslrootcert', rootFile);
  // verify-ca, and require with a root certificate (libpq): the chain, not the host name
  if (s.mode !== 'verify-full') ssl.checkServerIdentity = () => undefined;
  return ssl;
}

/** libpq reads ~/.postgresql/root.crt when sslrootcert is not given. */
function defaultRootCert(): string | undefined {
  const file = path.join(os.homedir(), '.postgresql', 'root.crt');
  return fs.existsSync(file) ? file : undefined;
}

function clientCert(s: TlsSettings): ConnectionOptions {
  const o: ConnectionOptions = {};
  if (s.cert !== undefined) o.cert = readPem('sslcert', s.cert);
  if (s.key !== undefined) o.key = readPem('sslkey', s.key);
  if (s.password !== undefined) o.passphrase = s.password;
  return o;
}

function readPem(param: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // "ENOENT: no such file or directory, open '/x'" -> "no such file or directory"
    const why = message.replace(/^E[A-Z]+: /, '').replace(/, open '.*'$/, '');
    throw new EnvironmentError(`cannot read ${param} ${file}: ${why}`);
  }
}

function isSocket(strippedUrl: string): boolean {
  return pgHost(strippedUrl).startsWith('/');
}

/** The host pg will connect to (the URL's, else PGHOST, else localhost), without reading TLS parameters. */
export function pgHost(url: string): string {
  return new pg.Client({ connectionString: splitTlsParams(url).url }).host ?? '';
}

/** pg's words when the server answers the SSLRequest with 'N' (stable across 8.x). */
function refusedTls(e: unknown): boolean {
  return e instanceof Error && /server does not support SSL/i.test(e.message);
}

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);

/**
 * A TLS failure as one line naming the server, the sslmode and what to do; undefined when `err` is not about
 * TLS. `where` is the redacted URL.
 */
export function tlsError(err: unknown, url: string, where: string): EnvironmentError | undefined {
  const code = systemCode(err) ?? '';
  const message = err instanceof Error ? err.message : String(err);
  let mode: string;
  let rootCert: string | undefined;
  try {
    const s = tlsSettings(url);
    mode = s.mode;
    rootCert = s.rootCert;
  } catch {
    mode = 'unknown';
  }
  if (refusedTls(err)) {
    return new EnvironmentError(
      `server at ${where} does not accept TLS (sslmode=${mode}); use sslmode=prefer or disable`,
    );
  }
  if (/error establishing an SSL connection/i.test(message)) {
    // pg's words when the first answer byte is neither PostgreSQL's yes nor its no: mostly another kind of
    // server at that port (an HTTP server answers "H"), rarely a PostgreSQL server's error
    return new EnvironmentError(
      `server at ${where} did not answer the TLS request as PostgreSQL does (sslmode=${mode}); is a PostgreSQL ` +
        "server listening at that host and port? If it is one, see the server's log",
    );
  }
  if (UNTRUSTED.has(code)) {
    const hint =
      rootCert === undefined || rootCert === 'system'
        ? 'give the CA with sslrootcert=FILE or PGSSLROOTCERT'
        : `is ${rootCert} the CA that signed it?`;
    return new EnvironmentError(`certificate of ${where} not trusted (sslmode=${mode}): ${message}; ${hint}`);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new EnvironmentError(
      `host name mismatch (sslmode=${mode}) at ${where}: ${message}; connect by a name the certificate ` +
        'lists, or use sslmode=verify-ca',
    );
  }
  if (code.startsWith('CERT_') || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return new EnvironmentError(`TLS with ${where} failed (sslmode=${mode}): ${message}`);
  }
  if (sqlState(err) === '28000' && /no encryption/.test(message)) {
    return new EnvironmentError(
      `server at ${where} accepts this user only over TLS (sslmode=${mode}): use sslmode=prefer or require`,
    );
  }
  return undefined;
}

/** URLs whose allow/prefer fallback was needed once: later connections go straight to what worked. */
const settled = new Map<string, false | ConnectionOptions>();

/** pg's connection config for one attempt of the plan: the URL without TLS parameters and the ssl object. */
export function pgTlsConfig(
  plan: TlsPlan,
  ssl: false | ConnectionOptions = settled.get(plan.source) ?? plan.ssl,
): { connectionString: string; ssl: false | ConnectionOptions; sslnegotiation: 'postgres' | 'direct' } {
  return { connectionString: plan.url, ssl, sslnegotiation: plan.sslnegotiation };
}

/** Opens with the plan's ssl config and, when the mode allows it and the first attempt failed so, the other. */
export async function openWithFallback<T>(
  plan: TlsPlan,
  open: (config: ReturnType<typeof pgTlsConfig>) => Promise<T>,
): Promise<T> {
  const first = pgTlsConfig(plan);
  try {
    return await open(first);
  } catch (err) {
    if (settled.has(plan.source)) {
      // another connection to the same URL, opened at the same time, fell back while this one tried: the
      // mode it settled on, once (a first connection of a pool racing the session's, say)
      const now = settled.get(plan.source) ?? false;
      if (now !== first.ssl) return open(pgTlsConfig(plan, now));
      throw err;
    }
    const next = plan.fallback(err);
    if (next === undefined) throw err;
    const opened = await open(pgTlsConfig(plan, next));
    settled.set(plan.source, next);
    return opened;
  }
}

type Checkout = (
  err: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;

/** A pool whose checkouts fall back like {@link openWithFallback}: the first that does switches the pool. */
export class TlsPool extends pg.Pool {
  readonly #plan: TlsPlan;

  constructor(url: string, config: Omit<pg.PoolConfig, 'connectionString' | 'ssl'>) {
    const plan = tlsPlan(url);
    super({ ...config, ...pgTlsConfig(plan) });
    this.#plan = plan;
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: Checkout): void;
  override connect(callback?: Checkout): Promise<pg.PoolClient> | undefined {
    const checkout = this.#checkout();
    if (callback === undefined) return checkout;
    checkout.then(
      (c) => callback(undefined, c, (release) => c.release(release as Error | boolean | undefined)),
      (e: unknown) => callback(e instanceof Error ? e : new Error(String(e)), undefined, () => undefined),
    );
    return undefined;
  }

  async #checkout(): Promise<pg.PoolClient> {
    return openWithFallback(this.#plan, async (config) => {
      this.options.ssl = config.ssl;
      return super.connect();
    });
  }
}
