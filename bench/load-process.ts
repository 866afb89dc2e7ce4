/** The parent side of bench/http-load-client.ts: one forked load-generator process, jobs sent over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { LoadJob, LoadResult } from './http-load-client.js';

export interface LoadProcess {
  run(job: LoadJob): Promise<LoadResult>;
  close(): Promise<void>;
}

type Message = { readonly ready?: true; readonly result?: LoadResult; readonly error?: string };

export async function startLoadProcess(): Promise<LoadProcess> {
  const child: ChildProcess = fork(new URL('./http-load-client.ts', import.meta.url), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () =>
    new Promise<Message>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message: Message) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  await next();
  return {
    async run(job) {
      const answer = next();
      child.send(job);
      const message = await answer;
      if (message.error !== undefined || message.result === undefined) throw new Error(`load generator: ${message.error}`);
      return message.result;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ exit: true });
      const timer = setTimeout(() => child.kill(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
