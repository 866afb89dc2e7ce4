import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { runLabpool } from '../../src/cli/run-labpool.js';

export type CliRun = { readonly code: number; readonly stdout: string; readonly stderr: string };

/** A CLI run in this process: `stop()` is its ^C. */
export type InProcessCli = { readonly done: Promise<CliRun>; stop(): void };

/**
 * Starts `labpool <args>` in this process, as `labpool.ts` would run it, with buffers for its output:
 * no child process, no TypeScript compile per call.
 */
export function startLabpoolCli(...args: string[]): InProcessCli {
  const stop = new AbortController();
  let stdout = '';
  let stderr = '';
  const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text), stop: stop.signal };
  const done = runLabpool(args, io).then((code) => ({ code, stdout, stderr }));
  return { done, stop: () => stop.abort() };
}

/** Runs `labpool <args>` in this process to its end. */
export function runLabpoolCli(...args: string[]): Promise<CliRun> {
  return startLabpoolCli(...args).done;
}

const CLI_ENTRY = ['--import', 'tsx', 'src/cli/labpool.ts'];
/** Only a guard against a hung child outliving the test run; a run takes a second or two. */
const HUNG_CHILD_MS = 120_000;

/** Runs the real `labpool` process to its end; asynchronously, because the server it may ask runs in this one. */
export function spawnLabpoolCli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...CLI_ENTRY, ...args], { timeout: HUNG_CHILD_MS }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the real `labpool` process with its output piped, for tests that signal it. */
export function spawnLabpoolProcess(...args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...CLI_ENTRY, ...args], { stdio: 'pipe' });
}
