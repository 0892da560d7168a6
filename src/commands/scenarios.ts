/** gen scenarios: the shipped scenarios, one name a line. */
import { EXIT } from '../errors.js';
import { listScenarios } from '../scenario/index.js';
import { defineCommand } from './command.js';

export const scenariosCommand = defineCommand({
  command: 'scenarios',
  describe: 'list the shipped scenarios',
  builder: (y) => y,
  run: (_a, { io }) => {
    io.stdout.write(`${listScenarios().join('\n')}\n`);
    return EXIT.ok;
  },
});
