// `gen` as its own process, from the TypeScript sources (tests spawn it with `node --import tsx`), so tests can
// send it signals and kill it without depending on a fresh build in dist/.
import { runProcess } from '../../src/cli.js';

runProcess();
