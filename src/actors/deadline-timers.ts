import type { Deadline } from '../domain/decider.js';

/** setTimeout's longest delay; later deadlines are reached in hops of this size. */
const MAX_TIMER_MS = 2_147_483_647;

export interface DeadlineTimers {
  /** Arms (or, with undefined, disarms) the one timer of `key`; re-arming the same deadline is a no-op. */
  arm(key: string, deadline: Deadline | undefined): void;
  /** True while `key` has a timer armed. */
  has(key: string): boolean;
  /** Clears every timer and arms none after: a stopped system's late work cannot wake it again. */
  close(): void;
  readonly size: number;
}

/** One JS timer per key for its nearest deadline: deadlines are state, timers are only their alarm clocks. */
export function createDeadlineTimers(fire: (key: string, deadline: Deadline) => void, nowMs: () => number): DeadlineTimers {
  const armed = new Map<string, { deadline: Deadline; timer: NodeJS.Timeout }>();
  let closed = false;

  function schedule(key: string, deadline: Deadline): NodeJS.Timeout {
    const delayMs = Math.max(0, deadline.atMs - nowMs());
    const timer = setTimeout(
      () => {
        // Not there yet: a far deadline after one hop of MAX_TIMER_MS, or a timer that fired a millisecond early.
        if (nowMs() < deadline.atMs) {
          armed.set(key, { deadline, timer: schedule(key, deadline) });
          return;
        }
        armed.delete(key);
        fire(key, deadline);
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
    // Deadlines alone must not keep a process alive; the server's sockets do that.
    timer.unref();
    return timer;
  }

  return {
    arm(key, deadline) {
      if (closed) return;
      const current = armed.get(key);
      if (current && current.deadline.name === deadline?.name && current.deadline.atMs === deadline.atMs) return;
      if (current) clearTimeout(current.timer);
      if (deadline) armed.set(key, { deadline, timer: schedule(key, deadline) });
      else armed.delete(key);
    },
    has: (key) => armed.has(key),
    close() {
      closed = true;
      for (const { timer } of armed.values()) clearTimeout(timer);
      armed.clear();
    },
    get size() {
      return armed.size;
    },
  };
}
