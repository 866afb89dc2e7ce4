import { realpath, open, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import tftp from 'tftp';

type Refusal = { readonly refused: string };
type Found = { readonly handle: FileHandle; readonly size: number };

/**
 * Answers one GET from `rootRealPath` (the root with its symlinks resolved). The package already
 * refuses names that normalise to `../…`; this also refuses symlinks that lead out of the root, since
 * the package's own listener would follow them. Every failure is answered with a TFTP error.
 */
export async function serveFile(rootRealPath: string, req: tftp.ServerRequest, res: tftp.ServerResponse): Promise<void> {
  let closed = false;
  req.once('close', () => (closed = true));
  const found = await openInsideRoot(rootRealPath, req.file);
  if ('refused' in found) {
    req.abort(found.refused);
    return;
  }
  // The client may have given up while the file was being opened; nothing would ever read it then.
  if (closed) {
    await found.handle.close().catch(() => undefined);
    return;
  }
  const stream = found.handle.createReadStream();
  stream.on('error', () => req.abort(tftp.EIO));
  // The client may abort or time out mid-transfer: release the file then.
  req.once('close', () => stream.destroy());
  res.setSize(found.size);
  stream.pipe(res);
}

async function openInsideRoot(rootRealPath: string, file: string): Promise<Found | Refusal> {
  let path: string;
  try {
    path = await realpath(join(rootRealPath, file));
  } catch {
    return { refused: tftp.ENOENT };
  }
  if (!isInside(rootRealPath, path)) return { refused: tftp.EACCESS };
  return openRegularFile(path);
}

async function openRegularFile(path: string): Promise<Found | Refusal> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const stats = await handle.stat();
    if (stats.isFile()) return { handle, size: stats.size };
    await handle.close();
    return { refused: tftp.ENOENT };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    return { refused: code === 'EACCES' || code === 'EPERM' ? tftp.EACCESS : tftp.EIO };
  }
}

function isInside(rootRealPath: string, path: string): boolean {
  return path === rootRealPath || path.startsWith(rootRealPath.endsWith(sep) ? rootRealPath : rootRealPath + sep);
}
