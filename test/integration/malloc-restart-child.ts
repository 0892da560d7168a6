// A stand-in for bin/gen.js in test/integration/malloc-restart.test.ts: restarts itself as gen does
// (src/malloc-restart.ts), then the process that does the work acts as its first argument says.
import { mallocEnvAtStart, restartWithMallocEnv } from '../../src/malloc-restart.js';

if (!restartWithMallocEnv()) {
  const [what, arg] = process.argv.slice(2);
  if (what === 'env') {
    // what it started with (glibc's settings), and what a process it starts would inherit
    const { MALLOC_MMAP_THRESHOLD_: mmap, MALLOC_TRIM_THRESHOLD_: trim } = mallocEnvAtStart;
    const { MALLOC_MMAP_THRESHOLD_: mmapNow, MALLOC_TRIM_THRESHOLD_: trimNow } = process.env;
    console.log(JSON.stringify({ pid: process.pid, mmap, trim, mmapNow, trimNow }));
  } else if (what === 'exit') process.exitCode = Number(arg);
  else if (what === 'kill') process.kill(process.pid, 'SIGKILL');
  else if (what === 'interrupt') process.kill(process.pid, 'SIGINT');
  else if (what === 'wait') {
    // as gen: SIGINT 130, SIGTERM 143; a second SIGINT would say so
    let sigints = 0;
    process.on('SIGINT', () => {
      sigints++;
      setTimeout(() => {
        console.log(`SIGINT x${sigints}`);
        process.exit(130);
      }, 200);
    });
    process.on('SIGTERM', () => {
      console.log('SIGTERM');
      process.exit(143);
    });
    // not forever: a restart that loses the signal fails the test and leaves no process behind
    setTimeout(() => process.exit(1), 30_000);
    console.log('ready');
  }
}
