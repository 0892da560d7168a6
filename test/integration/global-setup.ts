import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import type { TestProject } from 'vitest/node';
import { resolveConnectionString } from '../../src/db/connection.js';
import { ensureEmbedded, stopEmbedded } from '../../src/db/embedded/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection URL of the server the tests use; contains the password, redact before printing. */
    databaseUrl: string;
  }
}

/**
 * Tests run against DATABASE_URL / PG* when set; otherwise against a throwaway embedded server in its own
 * temp home, so the user's cached server (and its data) is never touched and a leftover one cannot
 * change results.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = resolveConnectionString({ env: process.env });
  if (external !== null) {
    project.provide('databaseUrl', external.url);
    return undefined;
  }

  // Under os.tmpdir() (/tmp, searchable by everyone) so that, as root, the 'postgres' OS user can reach it.
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'data-playground-test-'));
  try {
    const { url } = await ensureEmbedded({ home, port: await getPort({ host: '127.0.0.1' }) });
    project.provide('databaseUrl', url);
  } catch (err) {
    await fs.rm(home, { recursive: true, force: true });
    throw err;
  }
  return async () => {
    try {
      await stopEmbedded({ home });
    } finally {
      await fs.rm(home, { recursive: true, force: true });
    }
  };
}
