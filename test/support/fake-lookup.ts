import dns from 'node:dns';

/** Node's callback for `dns.lookup` with a single answer. */
export type LookupCallback = (error: NodeJS.ErrnoException | null, address?: string, family?: number) => void;

/**
 * Runs `work` with name lookups of `host` answered by `answer` (every other name as usual), so a test
 * of a name that does not resolve needs no DNS and no network beyond loopback. net and dgram take
 * `dns.lookup` from the module when they connect or create a socket: that must happen inside `work`.
 */
export async function withLookup<T>(host: string, answer: (callback: LookupCallback) => void, work: () => Promise<T>): Promise<T> {
  const original = dns.lookup;
  const lookup = (hostname: string, options: unknown, callback: LookupCallback) => (hostname === host ? answer(callback) : Reflect.apply(original, dns, [hostname, options, callback]));
  dns.lookup = lookup as typeof dns.lookup;
  try {
    return await work();
  } finally {
    dns.lookup = original;
  }
}

/** The error getaddrinfo gives for `host`: `ENOTFOUND` (no such name) or `EAI_AGAIN` (no DNS answer). */
export function lookupFailure(code: 'ENOTFOUND' | 'EAI_AGAIN', host: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ${code} ${host}`), { code, syscall: 'getaddrinfo', hostname: host });
}

/** A lookup answer that fails like getaddrinfo, asynchronously as the real one does. */
export const failLookup = (code: 'ENOTFOUND' | 'EAI_AGAIN', host: string) => (callback: LookupCallback) => process.nextTick(callback, lookupFailure(code, host));
