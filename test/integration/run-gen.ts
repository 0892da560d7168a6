/** Run the CLI in-process, as the tests do: argv in, exit code and both output streams out. */
import { Writable } from 'node:stream';
import { main } from '../../src/cli.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export async function gen(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  // an empty environment: no DATABASE_URL or PG* from the developer's shell leaks into a test
  const code = await main(args, { stdout, stderr, env: {} });
  return { code, out: stdout.text, err: stderr.text };
}
