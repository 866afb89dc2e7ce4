import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { renderAssetTemplate, templatePlaceholders, TEMPLATE_VARIABLES, type TemplateValues } from '../../../src/dialects/drydock/bootactions/asset-template.js';
import { packAssetTarball } from '../../../src/dialects/drydock/bootactions/asset-tarball.js';

const values = Object.fromEntries(TEMPLATE_VARIABLES.map((name) => [name, `<${name}>`])) as TemplateValues;

type Entry = { readonly header: tar.Header; readonly data: string };

async function unpack(gz: Buffer): Promise<Entry[]> {
  const extract = tar.extract();
  const entries: Entry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.push({ header: entry.header, data: Buffer.concat(chunks).toString('utf8') });
    }
  })();
  extract.end(gunzipSync(gz));
  await done;
  return entries;
}

describe('asset templates', () => {
  it('replaces every variable, with or without spaces inside the braces', () => {
    const text = TEMPLATE_VARIABLES.map((name, i) => (i % 2 === 0 ? `{{ ${name} }}` : `{{${name}}}`)).join('|');
    const rendered = renderAssetTemplate(text, values);
    assert.deepEqual(rendered, { ok: true, text: TEMPLATE_VARIABLES.map((name) => `<${name}>`).join('|') });
    assert.deepEqual(renderAssetTemplate('host={{  node.hostname  }} again={{ node.hostname }}', values), { ok: true, text: 'host=<node.hostname> again=<node.hostname>' });
  });

  it('leaves text without placeholders alone', () => {
    assert.deepEqual(renderAssetTemplate('a { b } {{ c', values), { ok: true, text: 'a { b } {{ c' });
    assert.deepEqual(templatePlaceholders('plain'), []);
  });

  it('refuses unknown names, filters and any other syntax, naming each once', () => {
    assert.deepEqual(renderAssetTemplate('{{ node.serial }} {{ node.hostname | upper }} {{ node.serial }} {{}}', values), {
      ok: false,
      unknown: ['node.serial', 'node.hostname | upper', ''],
    });
    assert.deepEqual(renderAssetTemplate('{{ Node.Hostname }}', values), { ok: false, unknown: ['Node.Hostname'] });
  });
});

describe('asset tarball', () => {
  it('packs entries named by path with their modes, owner root, the given time, gzipped', async () => {
    const mtimeMs = Date.UTC(2030, 0, 1, 12, 0, 0);
    const files = [
      { path: '/etc/systemd/system/hello.service', permissions: 0o644, data: '[Unit]\nDescription=hello\n' },
      { path: '/usr/local/bin/hello.sh', permissions: 0o755, data: '#!/bin/sh\necho hello ✓\n' },
      { path: `/opt/${'long/'.repeat(30)}name.txt`, permissions: 0o600, data: 'deep' },
    ];
    const gz = await packAssetTarball(files, mtimeMs);
    assert.deepEqual([...gz.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic');
    const entries = await unpack(gz);
    assert.deepEqual(
      entries.map((entry) => [entry.header.name, entry.header.mode, entry.header.uid, entry.header.gid, entry.header.type, entry.header.mtime?.getTime(), entry.data]),
      files.map((file) => [file.path, file.permissions, 0, 0, 'file', mtimeMs, file.data]),
    );
  });

  it('packs no files as a valid empty tarball', async () => {
    const gz = await packAssetTarball([], 0);
    assert.ok(gunzipSync(gz).length >= 1024, 'two zero blocks at least');
    assert.deepEqual(await unpack(gz), []);
  });
});
