import tftp from 'tftp';

export type TftpFetch = { readonly ok: true; readonly content: string } | { readonly ok: false; readonly error: string };

/** Downloads one file with a real TFTP client, as a PXE ROM would; a missing file is a value, not a throw. */
export function fetchTftpFile(server: { readonly host: string; readonly port: number }, remoteFile: string): Promise<TftpFetch> {
  return new Promise((resolve) => {
    const client = tftp.createClient({ host: server.host, port: server.port, retries: 2, timeout: 1000 });
    const chunks: Buffer[] = [];
    const stream = client.createGetStream(remoteFile);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (error: Error) => resolve({ ok: false, error: error.message }));
    stream.on('end', () => resolve({ ok: true, content: Buffer.concat(chunks).toString('utf8') }));
  });
}
