/**
 * The one module that imports nact. nact gives us mailboxes (one message at a time per actor) and
 * supervision; its typings are poor and it has known bugs (STACK.md), so everything above this file
 * sees only these small typed functions:
 * - stopping a parent does not stop its children: we never nest actors, and stop each one ourselves;
 * - nact's `query` correlates replies by 32-bit random ids: we never use it; callers put their own
 *   reply callback inside the message;
 * - a throw stops the actor and later messages vanish: handlers here are wrapped so they cannot throw.
 */
import * as nact from 'nact';

/** An opaque handle on one running actor. */
export interface ActorRef<Message> {
  readonly name: string;
  /** Phantom field: keeps refs of different message types apart. */
  readonly __message?: (message: Message) => void;
}

export interface Runtime {
  /**
   * Starts an actor that handles one message at a time: the next message waits for the promise
   * `handle` returns. `handle` must not throw; if it does, the error goes to `onError` and the actor
   * carries on with its next message.
   */
  spawn<Message>(name: string, handle: (message: Message) => Promise<void> | void, onError: (error: unknown) => void): ActorRef<Message>;
  /** Queues `message` for the actor; a message to a stopped actor is dropped, as nact does. */
  dispatch<Message>(ref: ActorRef<Message>, message: Message): void;
  stopActor<Message>(ref: ActorRef<Message>): void;
  /** Stops the whole system; actors still running are stopped one by one first. */
  stop(): void;
}

interface NactRef {
  readonly name: string;
}

export function createRuntime(): Runtime {
  const system = nact.start() as unknown as NactRef;
  const running = new Map<string, NactRef>();
  let stopped = false;

  return {
    spawn<Message>(name: string, handle: (message: Message) => Promise<void> | void, onError: (error: unknown) => void) {
      if (stopped) throw new Error('the actor system has stopped');
      const safeHandle = async (_state: undefined, message: Message): Promise<undefined> => {
        try {
          await handle(message);
        } catch (error) {
          onError(error);
        }
        return undefined;
      };
      const spawnActor = nact.spawn as unknown as (parent: NactRef, f: typeof safeHandle, name: string, props: object) => NactRef;
      const ref = spawnActor(system, safeHandle, name, { onCrash: (_m: unknown, _e: unknown, ctx: { resume: symbol }) => ctx.resume });
      running.set(name, ref);
      return { name };
    },
    dispatch(ref, message) {
      const nactRef = running.get(ref.name);
      if (nactRef) nact.dispatch(nactRef, message as never);
    },
    stopActor(ref) {
      const nactRef = running.get(ref.name);
      if (!nactRef) return;
      running.delete(ref.name);
      nact.stop(nactRef as never);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      for (const ref of running.values()) nact.stop(ref as never);
      running.clear();
      nact.stop(system as never);
    },
  };
}
