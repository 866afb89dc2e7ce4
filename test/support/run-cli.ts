import { execFile } from 'node:child_process';

export type CliRun = { readonly code: number; readonly stdout: string; readonly stderr: string };

/** Runs the real `labpool` CLI in a child process; asynchronously, because the server it may ask runs in this one. */
export function runLabpoolCli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/labpool.ts', ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
