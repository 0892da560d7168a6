/** gen db start|stop|status|url: the embedded server. */
import { redactUrl } from '../db/connection.js';
import { embeddedStatus, ensureEmbedded, stopEmbedded } from '../db/embedded/index.js';
import { UserError } from '../errors.js';
import type { Io } from './common.js';

export async function dbCommand(action: string, io: Io): Promise<number> {
  switch (action) {
    case 'start': {
      const e = await ensureEmbedded();
      io.stdout.write(
        `${e.started ? 'started' : 'already running'}: ${redactUrl(e.url)} (data in ${e.home})\n`,
      );
      return 0;
    }
    case 'stop': {
      const stopped = await stopEmbedded();
      io.stdout.write(stopped ? 'stopped\n' : 'not running\n');
      return 0;
    }
    case 'status': {
      const s = await embeddedStatus();
      io.stdout.write(
        s.running
          ? `running: ${redactUrl(s.url ?? '')} (data in ${s.home})\n`
          : `not running (data in ${s.home})\n`,
      );
      return s.running ? 0 : 3;
    }
    case 'url': {
      const s = await embeddedStatus();
      if (!s.running || !s.url) {
        throw new UserError('db url: the embedded server is not running; start it with `gen db start`');
      }
      io.stdout.write(`${s.url}\n`);
      return 0;
    }
    default:
      throw new UserError(`db: "${action}" is not a command; expected one of: start, stop, status, url`);
  }
}
