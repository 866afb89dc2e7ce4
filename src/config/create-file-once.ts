import { randomUUID } from 'node:crypto';
import { linkSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * Writes `content` to a file of its own, then links it in place: the link fails when `file` exists,
 * so of servers starting at once on one folder the first one's file stays, and none reads one half
 * written. Whether this call made `file`. For the secrets and certificates labpool makes at its first
 * start beside the SQLite file, which several servers may share.
 */
export function createFileOnce(file: string, content: string, mode: number): boolean {
  const draft = `${file}.${process.pid}.${randomUUID()}`;
  writeFileSync(draft, content, { mode, flag: 'wx' });
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkSync(draft);
  }
}
