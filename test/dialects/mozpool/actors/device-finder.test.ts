import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findAndAttach } from '../../../../src/dialects/mozpool/actors/device-finder.js';
import type { MozpoolLabContext } from '../../../../src/dialects/mozpool/actors/mozpool-context.js';
import { PeerCallError } from '../../../../src/lab/peers/peer-client.js';
import type { LabDevice } from '../../../../src/projections/read-models.js';

/** Free devices of the servers named, `count` each; names `<server>-<n>`. */
function freeDevices(counts: Readonly<Record<string, number>>): LabDevice[] {
  return Object.entries(counts).flatMap(([server, count]) =>
    Array.from({ length: count }, (_, n) => ({ name: `${server}-${n}`, imagingServer: server, environment: 'lab', state: 'free', image: '', bootConfig: '' }) as unknown as LabDevice),
  );
}

/**
 * The finder's context, one layer only: the read model's free list, and a device kind whose answer
 * `ask` decides. Records the devices asked and the warn lines.
 */
function finderContext(free: LabDevice[], ask: (device: string) => boolean) {
  const asked: string[] = [];
  const warnings: string[] = [];
  const ctx = {
    serverId: 'here',
    peers: { enabled: true },
    nowMs: () => 0,
    warn: (_fields: unknown, message: string) => warnings.push(message),
    readModels: { devices: { free: () => free, get: (name: string) => free.find((device) => device.name === name) }, images: { get: () => undefined } },
    kinds: {
      devices: {
        ask: async (device: string) => {
          asked.push(device);
          return { ok: ask(device) };
        },
      },
    },
  } as unknown as MozpoolLabContext;
  return { ctx, asked, warnings };
}

const criteria = { requestId: 7, requestedDevice: 'any', environment: 'lab', image: 'img', bootConfig: '{}' };

describe('finding a device across servers', () => {
  it('passes over the other devices of a server that did not answer, and says so once', async () => {
    let calls = 0;
    const { ctx, asked, warnings } = finderContext(freeDevices({ gone: 5 }), (): boolean => {
      calls++;
      throw new PeerCallError('gone', calls === 1 ? 'no answer (timeout)' : 'did not answer a moment ago', { unasked: calls > 1 });
    });
    assert.deepEqual(await findAndAttach(ctx, criteria, {}), { kind: 'none_free' });
    assert.equal(asked.length, 1, `asked ${asked.join(', ')}`);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /could not ask gone-\d for request 7: server gone: no answer/);
  });

  it('still tries the devices of servers that answer, after a silent one', async () => {
    const { ctx, asked, warnings } = finderContext(freeDevices({ here: 2, gone: 3, there: 3 }), (device) => {
      if (device.startsWith('gone')) throw new PeerCallError('gone', 'no answer (timeout)');
      return device === 'there-2';
    });
    assert.deepEqual(await findAndAttach(ctx, criteria, {}), { kind: 'attached', device: 'there-2' });
    // Local ones first, then at most one of the silent server's, and the others' until one takes it.
    assert.deepEqual(asked.slice(0, 2).sort(), ['here-0', 'here-1']);
    assert.ok(asked.filter((device) => device.startsWith('gone')).length <= 1, `asked ${asked.join(', ')}`);
    assert.equal(warnings.length, asked.filter((device) => device.startsWith('gone')).length);
  });

  it('says nothing of a server it did not call because it did not answer a moment ago', async () => {
    const { ctx, warnings } = finderContext(freeDevices({ gone: 3 }), (): boolean => {
      throw new PeerCallError('gone', 'did not answer a moment ago', { unasked: true });
    });
    assert.deepEqual(await findAndAttach(ctx, criteria, {}), { kind: 'none_free' });
    assert.deepEqual(warnings, []);
  });

  it('names the server of a named device when that server did not answer', async () => {
    const { ctx } = finderContext(freeDevices({ gone: 2 }), (): boolean => {
      throw new PeerCallError('gone', 'no answer (timeout)');
    });
    assert.deepEqual(await findAndAttach(ctx, { ...criteria, requestedDevice: 'gone-1' }, {}), { kind: 'busy', silentServer: 'gone' });
  });
});
