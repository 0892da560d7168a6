/**
 * Starts one of this folder's worker threads (hour-worker.ts, day-close-worker.ts): the compiled module next to
 * this one; run from the TypeScript sources (tests, tsx), its source through tsx's loader, registered inside the
 * worker (a Worker's execArgv `--import` does not reach Node 20's workers).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * `js`: the compiled module's URL, written `new URL('./x.js', import.meta.url)` where it is used (knip follows
 * that form); from the sources, x.ts beside it
 */
export function startWorker(js: URL, workerData: unknown): Worker {
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  // the ESM entry of tsx's API, resolved from here (its CommonJS entry registers a path that does not exist)
  const api = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsx = pathToFileURL(api.replace(/\.cjs$/, '.mjs')).href;
  const ts = js.href.replace(/\.js$/, '.ts');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(ts)}))`;
  return new Worker(boot, { eval: true, workerData });
}
