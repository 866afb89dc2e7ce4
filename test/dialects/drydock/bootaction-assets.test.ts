import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { renderAssetTemplate, TEMPLATE_VARIABLES, type TemplateValues } from '../../../src/dialects/drydock/bootactions/asset-template.js';
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

  it('leaves text without placeholders alone, single braces included', () => {
    assert.deepEqual(renderAssetTemplate('a { b } } {', values), { ok: true, text: 'a { b } } {' });
    assert.deepEqual(renderAssetTemplate('plain', values), { ok: true, text: 'plain' });
  });

  // The design check's rule (template-check.ts): what validatedesign refuses is never rendered either.
  it('refuses unknown names, filters, a bare {{ and an empty placeholder, with where each is', () => {
    const refused = renderAssetTemplate('{{ node.serial }} {{ node.hostname | upper }}\n{{}} {{ c', values);
    assert.equal(refused.ok, false);
    const problems = refused.ok ? [] : refused.problems;
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems[0]!, /^unknown placeholder \{\{ node\.serial \}\} at line 1, column 1: the names are node\.hostname, /);
    assert.match(problems[1]!, /^"\{\{" at line 1, column 19 opens no placeholder/);
    assert.match(problems[2]!, /^"\{\{" at line 2, column 1 opens no placeholder/);
    assert.match(problems[3]!, /^"\{\{" at line 2, column 6 opens no placeholder/);
    assert.deepEqual(renderAssetTemplate('{{ Node.Hostname }}', values).ok, false);
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
