import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import tar from 'tar-stream';

const gzipAsync = promisify(gzip);
const USTAR_NAME_BYTES = 100;

/** One file of a tarball: its entry name is the path on the node. */
export type TarballFile = { readonly path: string; readonly permissions: number; readonly data: string };

/**
 * A gzipped tar of `files` as a node unpacks it: entry names are the (absolute) paths, modes the
 * files' permissions, owner root (uid/gid 0), every entry dated `mtimeMs`. No files: a valid empty
 * tarball. tar-stream writes ustar headers (with pax records for long names), which GNU tar reads.
 */
export async function packAssetTarball(files: readonly TarballFile[], mtimeMs: number): Promise<Buffer> {
  const pack = tar.pack();
  const mtime = new Date(mtimeMs);
  for (const file of files) {
    const header = { name: file.path, mode: file.permissions, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime, type: 'file' as const };
    // tar-stream splits a long name into ustar's prefix and drops an absolute path's leading `/`:
    // a pax record carries the whole path instead.
    const pax = Buffer.byteLength(file.path) > USTAR_NAME_BYTES ? { pax: { path: file.path } } : {};
    pack.entry({ ...header, ...pax }, Buffer.from(file.data, 'utf8'));
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return gzipAsync(Buffer.concat(chunks));
}
