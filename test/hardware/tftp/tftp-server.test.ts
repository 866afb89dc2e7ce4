import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tftp from 'tftp';
import { createPxeWriter } from '../../../src/hardware/pxe/pxe-writer.js';
import { startTftpServer, type RunningTftpServer } from '../../../src/hardware/tftp/tftp-server.js';
import { findFreeUdpPort as freeUdpPort } from '../../support/free-port.js';
import { ackPacket, errorPacket, fetchFile, openRawSession, readRequest, type RawReply } from './raw-tftp.js';

const target = { device: 'panda-0001', fqdn: 'panda-0001.lab', macAddress: '02:00:00:00:00:01', relayInfo: 'pdu1/1' };
const pxeConfig = { name: 'android', version: 1, description: '', contents: 'default android\nappend ip=%IPADDRESS% dev=%DEVICE%\n', active: true };
const big = randomBytes(100 * 1024);

async function rawExchange(port: number, file: string, options: Record<string, string> = {}): Promise<RawReply> {
  const session = await openRawSession(port);
  try {
    await session.send(readRequest(file, options));
    return await session.next();
  } finally {
    session.close();
  }
}

describe('startTftpServer', { timeout: 30_000 }, () => {
  let base: string;
  let root: string;
  let server: RunningTftpServer;
  const reported: string[] = [];

  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'labpool-tftp-'));
    root = join(base, 'root');
    await mkdir(join(root, 'images'), { recursive: true });
    await writeFile(join(base, 'secret'), 'outside the root');
    await writeFile(join(root, 'images', 'big.bin'), big);
    await writeFile(join(root, 'empty'), '');
    await symlink(join(base, 'secret'), join(root, 'escape'));
    const written = await createPxeWriter({ tftpRoot: root, serverAddress: '127.0.0.1' }).write(target, pxeConfig, { DEVICE: 'panda-0001' });
    assert.deepEqual(written, { ok: true });
    await symlink('01-02-00-00-00-00-01', join(root, 'pxelinux.cfg', 'default'));
    server = await startTftpServer({ host: '127.0.0.1', port: await freeUdpPort(), root, onError: (error, where) => reported.push(`${where}: ${error.message}`) });
  });
  after(async () => {
    await server.stop();
    await rm(base, { recursive: true, force: true });
  });

  it('serves a PXE file written by the PXE writer, byte for byte', async () => {
    const { data } = await fetchFile(server.port, 'pxelinux.cfg/01-02-00-00-00-00-01');
    assert.equal(data.toString('utf8'), 'default android\nappend ip=127.0.0.1 dev=panda-0001\n');
  });

  it('follows symlinks that stay inside the root, and serves empty files', async () => {
    const { data } = await fetchFile(server.port, '/pxelinux.cfg/default');
    assert.match(data.toString('utf8'), /^default android/);
    assert.equal((await fetchFile(server.port, 'empty')).data.length, 0);
  });

  it('answers a missing file with "File not found"', async () => {
    await assert.rejects(fetchFile(server.port, 'pxelinux.cfg/01-ff-ff-ff-ff-ff-ff'), /File not found/);
    await assert.rejects(fetchFile(server.port, 'images'), /File not found/);
  });

  it('refuses writes, and stores nothing', async () => {
    const local = join(base, 'upload.txt');
    await writeFile(local, 'malicious config');
    const client = tftp.createClient({ host: '127.0.0.1', port: server.port, retries: 1, timeout: 500 });
    const error = await new Promise<Error | undefined>((resolve) => client.put(local, 'pxelinux.cfg/01-aa-aa-aa-aa-aa-aa', resolve));
    assert.match(String(error?.message), /Cannot PUT files/);
    await assert.rejects(stat(join(root, 'pxelinux.cfg', '01-aa-aa-aa-aa-aa-aa')), { code: 'ENOENT' });
  });

  it('refuses path traversal', async () => {
    assert.deepEqual(await rawExchange(server.port, '../etc/passwd'), { kind: 'error', code: 0, message: 'Invalid filename' });
    assert.deepEqual(await rawExchange(server.port, 'images/../../secret'), { kind: 'error', code: 0, message: 'Invalid filename' });
    // Leading `/..` normalise to `/`: these name files inside the root, and there are none.
    assert.deepEqual(await rawExchange(server.port, '/../../secret'), { kind: 'error', code: 1, message: 'File not found' });
    assert.deepEqual(await rawExchange(server.port, '/../../x'), { kind: 'error', code: 1, message: 'File not found' });
    assert.deepEqual(await rawExchange(server.port, '/etc/passwd'), { kind: 'error', code: 1, message: 'File not found' });
  });

  it('refuses a symlink that leads out of the root', async () => {
    assert.deepEqual(await rawExchange(server.port, 'escape', { tsize: '0' }), { kind: 'error', code: 2, message: 'Access violation' });
  });

  it('answers the tsize and blksize a PXE ROM asks for with an OACK, and survives the ROM aborting', async () => {
    const session = await openRawSession(server.port);
    await session.send(readRequest('images/big.bin', { tsize: '0', blksize: '1456' }));
    assert.deepEqual(await session.next(), { kind: 'oack', options: { blksize: '1456', tsize: String(big.length) } });
    // Many PXE ROMs ask only for the size, then abort and ask again.
    await session.reply(errorPacket(0, 'TFTP Aborted'));
    session.close();
    const again = await openRawSession(server.port);
    await again.send(readRequest('images/big.bin', { blksize: '1456' }));
    assert.deepEqual(await again.next(), { kind: 'oack', options: { blksize: '1456' } });
    await again.reply(ackPacket(0));
    const first = await again.next();
    assert.equal(first.kind === 'data' && first.block === 1 && first.payload.equals(big.subarray(0, 1456)), true);
    await again.reply(errorPacket(0, 'enough'));
    again.close();
    assert.equal((await fetchFile(server.port, 'empty')).data.length, 0);
  });

  it('sends a file larger than one block with the negotiated block size and size', async () => {
    const { data, stats } = await fetchFile(server.port, 'images/big.bin');
    assert.equal(stats.blockSize, 1468);
    assert.equal(stats.size, big.length);
    assert.equal(data.equals(big), true);
    const lockStep = await fetchFile(server.port, 'images/big.bin', { blockSize: 512, windowSize: 1 });
    assert.equal(lockStep.stats.blockSize, 512);
    assert.equal(lockStep.data.equals(big), true);
  });

  it('serves several transfers at once', async () => {
    const rendered = Buffer.from('default android\nappend ip=127.0.0.1 dev=panda-0001\n');
    const expected = new Map([
      ['images/big.bin', big],
      ['pxelinux.cfg/01-02-00-00-00-00-01', rendered],
      ['pxelinux.cfg/default', rendered],
      ['empty', Buffer.alloc(0)],
    ]);
    const files = [...expected.keys(), ...expected.keys()];
    const results = await Promise.all(files.map((file) => fetchFile(server.port, file)));
    results.forEach(({ data }, i) => assert.equal(data.equals(expected.get(files[i] ?? '') ?? Buffer.from('?')), true, files[i]));
  });

  it('told onError of failed transfers instead of crashing', () => {
    assert.equal(
      reported.some((line) => /TFTP GET images\/big.bin from 127\.0\.0\.1:\d+: TFTP Aborted/.test(line)),
      true,
      reported.join('\n'),
    );
  });
});

describe('startTftpServer lifecycle', { timeout: 30_000 }, () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'labpool-tftp-life-'));
    await writeFile(join(root, 'file'), randomBytes(10_000));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('refuses port 0 (the package would bind 69), a host name, a missing root and a taken port', async () => {
    await assert.rejects(startTftpServer({ host: '127.0.0.1', port: 0, root }), RangeError);
    await assert.rejects(startTftpServer({ host: 'tftp.lab', port: await freeUdpPort(), root }), /Invalid IP address/);
    await assert.rejects(startTftpServer({ host: '127.0.0.1', port: await freeUdpPort(), root: join(root, 'missing') }), { code: 'ENOENT' });
    const first = await startTftpServer({ host: '127.0.0.1', port: await freeUdpPort(), root });
    try {
      await assert.rejects(startTftpServer({ host: '127.0.0.1', port: first.port, root }), { code: 'EADDRINUSE' });
    } finally {
      await first.stop();
    }
  });

  it('stop aborts transfers under way, resolves, and is idempotent', async () => {
    // A grace period no run reaches: stop resolves before it only if the aborted transfer closed.
    const server = await startTftpServer({ host: '127.0.0.1', port: await freeUdpPort(), root, stopGraceMs: 120_000 });
    const session = await openRawSession(server.port);
    await session.send(readRequest('file', { blksize: '512' }));
    assert.equal((await session.next()).kind, 'oack');
    const started = Date.now();
    await Promise.all([server.stop(), server.stop()]);
    assert.ok(Date.now() - started < 60_000);
    assert.deepEqual(await session.next(), { kind: 'error', code: 0, message: 'Aborted' });
    session.close();
    await assert.rejects(fetchFile(server.port, 'file', { retries: 1, timeout: 200 }), /Timed out/);
  });
});
