import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPxeWriter, pxeFileNameFor, renderPxeConfig } from '../../../src/hardware/pxe/pxe-writer.js';
import type { HardwareTarget } from '../../../src/lab/hardware-ports.js';
import type { PxeConfigView } from '../../../src/projections/read-models.js';

const target: HardwareTarget = { device: 'panda-0001', fqdn: 'panda-0001.lab', macAddress: 'AA:BB:CC:0D:0E:0F', relayInfo: 'pdu1/1' };
const fileName = '01-aa-bb-cc-0d-0e-0f';

function config(contents: string): PxeConfigView {
  return { name: 'android-panda', version: 1, description: 'test', contents, active: true };
}

const variables = {
  SERVER_URL: 'http://labpool.lab:8080',
  DEVICE: 'panda-0001',
  IMAGE: 'android',
  BOOT_CONFIG_URL: 'http://labpool.lab:8080/api/device/panda-0001/bootconfig/',
};

describe('pxeFileNameFor', () => {
  it('lowercases and turns separators into dashes, after the ARP type 01', () => {
    assert.equal(pxeFileNameFor('AA:BB:CC:0D:0E:0F'), `pxelinux.cfg/${fileName}`);
    assert.equal(pxeFileNameFor('aa-bb-cc-0d-0e-0f'), `pxelinux.cfg/${fileName}`);
    assert.equal(pxeFileNameFor('AABBCC0D0E0F'), `pxelinux.cfg/${fileName}`);
  });

  it('is undefined for what is not a MAC address', () => {
    for (const bad of ['', 'aa:bb:cc:dd:ee', 'aa:bb:cc:dd:ee:ff:00', 'zz:bb:cc:dd:ee:ff', '../../etc/passwd']) {
      assert.equal(pxeFileNameFor(bad), undefined, bad);
    }
  });
});

describe('renderPxeConfig', () => {
  it('substitutes %IPADDRESS% and every labpool variable, leaving unknown placeholders and lone % alone', () => {
    const template = 'kernel http://%IPADDRESS%/k append url=%SERVER_URL% dev=%DEVICE% img=%IMAGE% bc=%BOOT_CONFIG_URL% x=%UNKNOWN% 50% %';
    assert.equal(
      renderPxeConfig(template, '10.0.0.1', variables),
      'kernel http://10.0.0.1/k append url=http://labpool.lab:8080 dev=panda-0001 img=android ' + 'bc=http://labpool.lab:8080/api/device/panda-0001/bootconfig/ x=%UNKNOWN% 50% %',
    );
  });

  it('does not expand placeholders inside substituted values, nor inherited names', () => {
    assert.equal(renderPxeConfig('%DEVICE% %toString%', '10.0.0.1', { DEVICE: '%IPADDRESS%' }), '%IPADDRESS% %toString%');
  });
});

describe('createPxeWriter', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'labpool-pxe-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('writes the rendered config to pxelinux.cfg/01-<mac>, creating the directory', async () => {
    const writer = createPxeWriter({ tftpRoot: root, serverAddress: '192.168.1.5' });
    const result = await writer.write(target, config('default %IMAGE%\nappend ip=%IPADDRESS% name=%DEVICE%\n'), variables);
    assert.deepEqual(result, { ok: true });
    assert.equal(await readFile(join(root, 'pxelinux.cfg', fileName), 'utf8'), 'default android\nappend ip=192.168.1.5 name=panda-0001\n');
  });

  it('replaces an existing file atomically and leaves no temporary file behind', async () => {
    const writer = createPxeWriter({ tftpRoot: root, serverAddress: '192.168.1.5' });
    const writes = Array.from({ length: 10 }, (_, i) => writer.write(target, config(`version ${i}`), variables));
    for (const result of await Promise.all(writes)) assert.deepEqual(result, { ok: true });
    assert.deepEqual(await readdir(join(root, 'pxelinux.cfg')), [fileName]);
    assert.match(await readFile(join(root, 'pxelinux.cfg', fileName), 'utf8'), /^version \d$/);
    assert.equal((await stat(join(root, 'pxelinux.cfg', fileName))).mode & 0o777, 0o644);
  });

  it('clears the file, and clearing a missing file succeeds', async () => {
    const writer = createPxeWriter({ tftpRoot: root, serverAddress: '192.168.1.5' });
    assert.deepEqual(await writer.write(target, config('x'), variables), { ok: true });
    assert.deepEqual(await writer.clear(target), { ok: true });
    await assert.rejects(stat(join(root, 'pxelinux.cfg', fileName)), { code: 'ENOENT' });
    assert.deepEqual(await writer.clear(target), { ok: true });
    assert.deepEqual(await createPxeWriter({ tftpRoot: join(root, 'nowhere'), serverAddress: 'x' }).clear(target), { ok: true });
  });

  it('returns a bad MAC address as a failure value', async () => {
    const writer = createPxeWriter({ tftpRoot: root, serverAddress: '192.168.1.5' });
    const bad = { ...target, macAddress: '../../etc/passwd' };
    const written = await writer.write(bad, config('x'), variables);
    assert.equal(written.ok, false);
    assert.match(!written.ok ? written.error : '', /no valid MAC address/);
    assert.equal((await writer.clear(bad)).ok, false);
  });

  it('returns an unwritable root as a failure value', async () => {
    const notADirectory = join(root, 'plain-file');
    await writeFile(notADirectory, '');
    const result = await createPxeWriter({ tftpRoot: notADirectory, serverAddress: 'x' }).write(target, config('x'), variables);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /^writing .*01-aa-bb-cc-0d-0e-0f: ENOTDIR/);
  });

  it('returns a permission error as a failure value, leaving no temporary file', { skip: process.getuid?.() === 0 && 'root ignores permissions' }, async () => {
    const locked = await mkdtemp(join(root, 'locked-'));
    const writer = createPxeWriter({ tftpRoot: locked, serverAddress: 'x' });
    assert.deepEqual(await writer.write(target, config('x'), variables), { ok: true });
    await chmod(join(locked, 'pxelinux.cfg'), 0o500);
    try {
      const result = await writer.write(target, config('y'), variables);
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.error : '', /EACCES/);
      assert.equal((await writer.clear(target)).ok, false);
      assert.deepEqual(await readdir(join(locked, 'pxelinux.cfg')), [fileName]);
    } finally {
      await chmod(join(locked, 'pxelinux.cfg'), 0o755);
    }
  });
});
