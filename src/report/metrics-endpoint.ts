/**
 * `--metrics-port P`: the run's metrics over HTTP at /metrics while it runs, for a Prometheus (and a Grafana)
 * next to the database under test. Bound to 127.0.0.1 unless the flag names a host (`0.0.0.0:9187`): the
 * endpoint tells anyone who can reach it what the run is doing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage, systemCode, UserError } from '../errors.js';
import { createLiveMetrics, type LiveMetrics, type LiveMetricsSink } from './live-metrics.js';

export { createLiveMetrics, type LiveMetrics } from './live-metrics.js';

const FLAG = '--metrics-port';
const DEFAULT_HOST = '127.0.0.1';
const ALLOWED = 'expected a port from 0 to 65535 (0: any free port), or host:port such as 0.0.0.0:9187';

export interface MetricsAddress {
  host: string;
  port: number;
}

export interface MetricsServer {
  metrics: LiveMetrics;
  /** where to scrape, with the port actually bound (port 0 picks one) */
  url: string;
  /** stops listening and ends open scrape connections */
  close(): Promise<void>;
}

function checkPort(port: number, shown: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UserError(`${FLAG}: ${shown} is not allowed; ${ALLOWED}`);
  }
  return port;
}

/** The flag's value: `9187`, `0`, `0.0.0.0:9187`, `[::1]:9187`. */
export function parseMetricsAddress(value: string | number): MetricsAddress {
  const s = String(value).trim();
  const colon = s.lastIndexOf(':');
  const hostPart = colon === -1 ? '' : s.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const portPart = colon === -1 ? s : s.slice(colon + 1);
  if (colon !== -1 && hostPart === '') throw new UserError(`${FLAG}: "${s}" names no host; ${ALLOWED}`);
  const port = /^\d+$/.test(portPart) ? Number(portPart) : Number.NaN;
  return { host: hostPart === '' ? DEFAULT_HOST : hostPart, port: checkPort(port, `"${s}"`) };
}

async function handle(sink: LiveMetricsSink, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('gen: metrics are at /metrics\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  try {
    const { contentType, body } = await sink.expose(req.headers.accept);
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (e) {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`${errorMessage(e)}\n`);
  }
}

/**
 * Serves a fresh set of live metrics (with the process metrics) on host:port until close(). A port that is
 * taken or not allowed is a UserError naming the flag; nothing has run yet when the caller starts this first.
 */
export async function serveMetrics(port: number, host = DEFAULT_HOST): Promise<MetricsServer> {
  checkPort(port, String(port));
  const sink = createLiveMetrics({ processMetrics: true });
  const server = createServer((req, res) => {
    void handle(sink, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (e: Error): void => {
      const code = systemCode(e);
      reject(
        new UserError(
          `${FLAG}: cannot listen on ${host}:${port} (${code ?? errorMessage(e)}${code === 'EADDRINUSE' ? ': the port is taken' : ''}); ${ALLOWED}`,
          { cause: e },
        ),
      );
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  let closing: Promise<void> | undefined;
  return {
    metrics: sink,
    url: `http://${shownHost}:${bound.port}/metrics`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // a scraper's keep-alive connection would hold close() until it times out
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
