import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tmpfs of its own (root only): a disk that fills up, for the store's disk-trouble tests. */
export interface Tmpfs {
  readonly dir: string;
  /** Writes a filler file until the filesystem refuses more (ENOSPC); returns its size in bytes. */
  fill(): number;
  /** Deletes the filler: the space is back. */
  unfill(): void;
  /** Unmounts and removes the mount point. */
  remove(): void;
}

const FILLER = '.filler';

/** Mounts a tmpfs of `sizeBytes`, or says why it cannot (not root, no mount permission): the reason to skip. */
export function mountTmpfs(sizeBytes: number): Tmpfs | string {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = error instanceof Error && 'stderr' in error ? String(error.stderr).trim() : String(error);
    return `cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): ${detail}`;
  }
  const filler = join(dir, FILLER);
  return {
    dir,
    fill: () => fillUntilFull(filler),
    unfill: () => rmSync(filler, { force: true }),
    remove() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Big writes first, then single bytes for the last partial page. */
function fillUntilFull(path: string): number {
  const fd = openSync(path, 'a');
  let written = 0;
  try {
    for (const chunk of [Buffer.alloc(64 * 1024), Buffer.alloc(1)]) {
      for (;;) {
        try {
          written += writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}
