import { describe, it } from 'node:test';
import { requestIdsDecider } from '../../../../src/dialects/mozpool/domain/request-ids.js';
import { givenDecider } from '../../../support/given-when-then.js';

const reserved = (from: number, to: number) => ({ type: 'RequestIdsReserved', data: { from, to, server: 'lab1:8010', atMs: 0 } }) as const;
const reserve = (count: number, above = 0) => ({ type: 'Reserve', count, above, server: 'lab1:8010', nowMs: 5 }) as const;

describe('request ids: reserved in blocks, never twice', () => {
  it('the first block starts at 1, the next one after the highest reserved', () => {
    givenDecider(requestIdsDecider)
      .given()
      .when(reserve(64))
      .thenEvents([{ type: 'RequestIdsReserved', data: { from: 1, to: 64, server: 'lab1:8010', atMs: 5 } }]);
    givenDecider(requestIdsDecider)
      .given(reserved(1, 64), reserved(65, 128))
      .when(reserve(16))
      .thenEvents([{ type: 'RequestIdsReserved', data: { from: 129, to: 144, server: 'lab1:8010', atMs: 5 } }]);
  });

  it('starts above the requests of a store written before reservations existed', () => {
    givenDecider(requestIdsDecider)
      .given()
      .when(reserve(8, 617))
      .thenEvents([{ type: 'RequestIdsReserved', data: { from: 618, to: 625, server: 'lab1:8010', atMs: 5 } }]);
    givenDecider(requestIdsDecider)
      .given(reserved(1, 700))
      .when(reserve(8, 617))
      .thenState((state) => state.highest === 708);
  });

  it('refuses an empty or fractional block', () => {
    givenDecider(requestIdsDecider).given().when(reserve(0)).thenRejected('bad_count');
    givenDecider(requestIdsDecider).given().when(reserve(1.5)).thenRejected('bad_count');
  });
});
