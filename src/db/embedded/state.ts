/**
 * server.json in <home>: the port the server last listened on and the superuser's password, the only copy
 * of it (mode 0600).
 */
import fs from 'node:fs/promises';
import { EnvironmentError, systemCode } from '../../errors.js';
import type { Layout } from './home.js';
import { SUPERUSER } from './os-user.js';

export interface ServerState {
  port: number;
  password: string;
}

/** Null when the file is missing or does not hold a state (writeState never leaves a half-written one). */
export async function readState(file: string): Promise<ServerState | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (systemCode(err) === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { port, password } = parsed as Record<string, unknown>;
  if (
    typeof port !== 'number' ||
    !Number.isInteger(port) ||
    typeof password !== 'string' ||
    password === ''
  ) {
    return null;
  }
  return { port, password };
}

export async function writeState(file: string, state: ServerState): Promise<void> {
  // Write-then-rename so a crash never leaves a truncated file (it holds the only copy of the password).
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await fs.chmod(tmp, 0o600);
  await fs.rename(tmp, file);
}

export function missingState(layout: Layout): EnvironmentError {
  return new EnvironmentError(
    `The embedded cluster ${layout.dataDir} exists but ${layout.stateFile} (its password) is missing or ` +
      `unreadable. Stop it (gen db stop) and delete ${layout.home} to start over.`,
  );
}

export function serverUrl(port: number, password: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}
