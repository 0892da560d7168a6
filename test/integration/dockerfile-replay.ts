/**
 * Replays a Dockerfile without Docker (issue 10 §4: no engine here): each stage gets a folder standing for its
 * root file system, COPY copies from the build context (minus .dockerignore) or from an earlier stage's folder,
 * RUN runs the command with `sh -c` in the stage's WORKDIR. Stages run concurrently, as BuildKit runs them; a
 * COPY --from waits for its stage.
 *
 * What it cannot reproduce, and does not pretend to: the base image (commands run with this machine's node,
 * npm and sh), users and file ownership (USER is recorded, not applied). The npm cache mount is served by this
 * machine's npm cache, with npm_config_prefer_offline so that a warm cache needs no network. Any instruction or
 * flag it does not know fails the replay, so the Dockerfile cannot quietly do more than what was replayed.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface Instruction {
  line: number;
  op: string;
  flags: Map<string, string>;
  rest: string;
}

export interface Stage {
  name: string;
  base: string;
  /** the folder that stands for the stage's `/` */
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  entrypoint?: string[];
  /** the RUN commands, in order, as run */
  runs: string[];
}

/** Instructions with their flags; comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending === '') start = i + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const full = pending + line;
    pending = '';
    const m = /^(\S+)\s+(.*)$/.exec(full);
    if (!m?.[1] || m[2] === undefined) throw new Error(`Dockerfile:${start}: cannot read "${full}"`);
    let rest = m[2];
    const flags = new Map<string, string>();
    for (let f = /^--([\w-]+)=(\S+)\s+/.exec(rest); f; f = /^--([\w-]+)=(\S+)\s+/.exec(rest)) {
      flags.set(f[1] ?? '', f[2] ?? '');
      rest = rest.slice(f[0].length);
    }
    out.push({ line: start, op: m[1].toUpperCase(), flags, rest: rest.trim() });
  });
  return out;
}

/** Plain names or paths, one a line (the only .dockerignore form the replay accepts). */
function readIgnore(context: string): string[] {
  const file = path.join(context, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      if (/[*?![\]]/.test(l)) throw new Error(`.dockerignore: the replay does not know patterns: "${l}"`);
      return l.replace(/^\/+|\/+$/g, '');
    });
}

const ignored = (rel: string, ignore: string[]): boolean =>
  ignore.some((i) => rel === i || rel.startsWith(`${i}/`));

function run(cmd: string, cwd: string, env: Record<string, string>, line: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (b: Buffer): void => {
      out = (out + b.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`Dockerfile:${line}: RUN ${cmd} exited ${code}:\n${out}`)),
    );
  });
}

/**
 * Replays `dockerfile` with `context` as the build context, each stage under `into`. Returns the stages in
 * order; the last one is the image.
 */
export async function replayDockerfile(context: string, dockerfile: string, into: string): Promise<Stage[]> {
  const ignore = readIgnore(context);
  const groups: Instruction[][] = [];
  for (const ins of parseDockerfile(readFileSync(dockerfile, 'utf8'))) {
    if (ins.op === 'FROM') groups.push([]);
    const g = groups.at(-1);
    if (!g) throw new Error(`Dockerfile:${ins.line}: ${ins.op} before FROM`);
    g.push(ins);
  }
  const done = new Map<string, Promise<Stage>>();
  const stages: Promise<Stage>[] = groups.map((g, i) => {
    const p = replayStage(g, i, context, ignore, into, done);
    const from = g[0]?.rest.split(/\s+/) ?? [];
    done.set(from[1]?.toUpperCase() === 'AS' ? (from[2] ?? '') : String(i), p);
    // a stage nobody waits for must not be an unhandled rejection while another fails first
    p.catch(() => undefined);
    return p;
  });
  return Promise.all(stages);
}

async function replayStage(
  group: Instruction[],
  index: number,
  context: string,
  ignore: string[],
  into: string,
  done: Map<string, Promise<Stage>>,
): Promise<Stage> {
  const [from, ...rest] = group;
  const [base = '', as, name] = from?.rest.split(/\s+/) ?? [];
  const stage: Stage = {
    name: as?.toUpperCase() === 'AS' && name ? name : String(index),
    base,
    root: path.join(into, `stage-${index}`),
    workdir: '/',
    env: {},
    runs: [],
  };
  mkdirSync(stage.root, { recursive: true });
  const inRoot = (p: string): string => path.join(stage.root, path.posix.resolve(stage.workdir, p));
  for (const ins of rest) {
    const where = `Dockerfile:${ins.line}: ${ins.op}`;
    const flags = [...ins.flags.keys()];
    const allowed: Record<string, string[]> = { COPY: ['from'], RUN: ['mount'] };
    const unknown = flags.filter((f) => !(allowed[ins.op] ?? []).includes(f));
    if (unknown.length > 0) throw new Error(`${where}: the replay does not know --${unknown.join(', --')}`);
    switch (ins.op) {
      case 'WORKDIR':
        stage.workdir = path.posix.resolve(stage.workdir, ins.rest);
        mkdirSync(inRoot('.'), { recursive: true });
        break;
      case 'ENV': {
        for (const pair of ins.rest.split(/\s+/)) {
          const [k, ...v] = pair.split('=');
          if (!k || v.length === 0) throw new Error(`${where}: only ENV KEY=VALUE`);
          stage.env[k] = v.join('=');
        }
        break;
      }
      case 'COPY': {
        const parts = ins.rest.split(/\s+/);
        const dest = parts.pop();
        if (dest === undefined || parts.length === 0) throw new Error(`${where}: COPY SRC... DEST`);
        const fromStage = ins.flags.get('from');
        let srcRoot = context;
        if (fromStage !== undefined) {
          const other = done.get(fromStage);
          if (!other) throw new Error(`${where}: no stage named ${fromStage} before this one`);
          srcRoot = (await other).root;
        }
        for (const src of parts) {
          const rel = src.replace(/^\/+/, '');
          if (fromStage === undefined && ignored(rel, ignore))
            throw new Error(`${where}: ${src} is excluded by .dockerignore`);
          const target = dest.endsWith('/') ? path.join(inRoot(dest), path.basename(rel)) : inRoot(dest);
          cpSync(path.join(srcRoot, rel), target, {
            recursive: true,
            filter: (s) =>
              fromStage !== undefined ||
              !ignored(path.relative(context, s).split(path.sep).join('/'), ignore),
          });
        }
        break;
      }
      case 'RUN': {
        const mount = ins.flags.get('mount');
        // the only mount the replay serves: npm's cache of the build's root user, as this machine's npm cache
        if (mount !== undefined && mount !== 'type=cache,target=/root/.npm')
          throw new Error(`${where}: the replay serves only --mount=type=cache,target=/root/.npm`);
        const env: Record<string, string> = {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/root',
          npm_config_prefer_offline: 'true',
          npm_config_update_notifier: 'false',
          ...stage.env,
        };
        stage.runs.push(ins.rest);
        await run(ins.rest, inRoot('.'), env, ins.line);
        break;
      }
      case 'USER':
        stage.user = ins.rest;
        break;
      case 'ENTRYPOINT': {
        const parsed: unknown = JSON.parse(ins.rest);
        if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string'))
          throw new Error(`${where}: only the exec form ["prog", "arg", ...]`);
        stage.entrypoint = parsed;
        break;
      }
      default:
        throw new Error(`${where}: the replay does not know this instruction`);
    }
  }
  return stage;
}
