import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lbaasIdsDecider } from '../../../src/dialects/lbaas/domain/lbaas-ids.js';
import { givenDecider } from '../../support/given-when-then.js';

const take = (above: number, name: string) => ({ type: 'Take', above, name, server: 'lab1:8010', nowMs: 1_000 }) as const;

describe('LBaaS ids', () => {
  it('takes one above the highest of those taken and those the inventory holds', () => {
    givenDecider(lbaasIdsDecider)
      .when(take(4, 'lb-a'))
      .thenEvents([{ type: 'LbaasIdTaken', data: { id: 5, name: 'lb-a', server: 'lab1:8010', atMs: 1_000 } }])
      // A server whose registry has not seen id 5 yet still gets 6.
      .when(take(4, 'lb-b'))
      .thenEvents([{ type: 'LbaasIdTaken', data: { id: 6, name: 'lb-b', server: 'lab1:8010', atMs: 1_000 } }])
      // An inventory file that gave id 9 meanwhile: 10 next.
      .when(take(9, 'lb-c'))
      .thenState((state) => assert.equal(state.highest, 10));
  });

  it('refuses a highest id that is no count', () => {
    givenDecider(lbaasIdsDecider).when(take(-1, 'lb-a')).thenRejected('bad_above');
    givenDecider(lbaasIdsDecider).when(take(1.5, 'lb-a')).thenRejected('bad_above');
  });
});
