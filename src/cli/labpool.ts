/**
 * The labpool command: `labpool serve` (the server, what `npm start` runs), `labpool tail`,
 * `labpool history`, `labpool devices`, `labpool user add`. Run it as `npm run labpool -- <command> [options]`.
 * This is the process around `runLabpool`: its streams, SIGINT, and its exit code.
 */
import { runLabpool } from './run-labpool.js';

const stop = new AbortController();
const onStop = () => stop.abort();
// The first ^C asks the command to stop cleanly; a second one, if it has not, ends the process.
const onSigint = () => (stop.signal.aborted ? process.exit(130) : onStop());
process.on('SIGINT', onSigint);
// `labpool tail | head` closes our stdout: that is the reader saying it has seen enough.
process.stdout.once('error', onStop);
const code = await runLabpool(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stop: stop.signal,
  stdin: process.stdin,
});
// `serve` returns once the server runs: its own SIGINT handling takes over from here.
process.off('SIGINT', onSigint);
process.stdout.off('error', onStop);
// A failed command may leave a connection or timer behind: do not wait for it.
if (code !== 0) process.exit(code);
