import { createHash } from 'node:crypto';

/**
 * The id of the node task of `node` under `parentTaskId`: a UUID derived from both (RFC 9562
 * version 8, name-based), so the start of a task cut short by a crash creates the same node tasks
 * again instead of a second set.
 */
export function nodeTaskId(parentTaskId: string, node: string): string {
  const bytes = createHash('sha256').update(`${parentTaskId}\u0000${node}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
