#!/usr/bin/env -S node --max-semi-space-size=4 --expose-gc
// The CLI entry: the compiled src/cli.ts (npm install runs `tsc` through the prepare script).
// --max-semi-space-size=4 (MB; in the shebang and `npm run gen`: V8 reads it at start only, setFlagsFromString
// has no effect): a smaller young generation, collected sooner, so spent buffers and typed arrays go sooner.
// Measured (issue 9 §2, black-friday 12 h, generation alone): peak RSS 217-236 MB -> 187-188 MB, CPU cost
// within the noise of a loaded 2-core machine.
// --expose-gc: the loader collects garbage before it piles up between chunks (src/load/gc-governor.ts; issue 9
// §2: black-friday --scale 5, 48 h, --out, 4 jobs: peak RSS 274-276 MB -> 218 MB for 6 collections, 168 ms).
// On Linux with glibc, gen first starts again with malloc settings in its environment (src/malloc-restart.ts;
// GEN_NO_MALLOC_ENV=1 opts out); the CLI's modules are loaded only by the process that does the work.
import { EARLY_STOP, restartWithMallocEnv } from '../dist/src/malloc-restart.js';

// Ctrl-C or SIGTERM before the CLI's own handlers are set (while its modules load: up to a second or two) ends
// gen with a line and the stop's exit code, not silently; nothing has been written by then. The listener stays
// once the CLI's are added, inert: a signal caught while the last listener of its kind was being removed would
// be dropped (libuv closes the signal's handle with it).
let early = true;
const stopEarly = (signal) => {
  if (!early) return;
  process.stderr.write(`${EARLY_STOP}\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
process.on('SIGINT', stopEarly);
process.on('SIGTERM', stopEarly);
if (restartWithMallocEnv()) {
  // the parent passes signals on (its listeners are set by now) and ends as the child does, by its signal
  early = false;
  process.off('SIGINT', stopEarly);
  process.off('SIGTERM', stopEarly);
} else {
  const { runProcess } = await import('../dist/src/cli.js');
  early = false;
  runProcess();
}
