/**
 * What a command talks to instead of the process: its output, its error output, and the signal that
 * stops a command that would run on (SIGINT, or stdout closed by `| head`). `labpool.ts` wires these
 * to the process; tests pass buffers and a signal of their own.
 */
export interface CliIo {
  /** Writes text as given: a command ends each line with `\n` itself. */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stop: AbortSignal;
  /** Standard input, for commands that read it (`user add` reads the password). */
  readonly stdin?: CliInput;
}

/** What a command reads input from: process.stdin, or a stream in tests (a TTY one may switch off echo). */
export interface CliInput extends AsyncIterable<string | Buffer> {
  readonly isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** A command's outcome as a process exit code: 0 done, 1 failed, 2 misused. */
export type ExitCode = 0 | 1 | 2;
