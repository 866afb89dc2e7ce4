import { describe, it } from 'node:test';
import { poolDecider } from '../../../../src/dialects/vmpooler/domain/pool-decider.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);

describe('pool decider (run-time overrides)', () => {
  it('records a new size once, and a repeat as no change (vmpooler: 201, then 200)', () => {
    givenDecider(poolDecider)
      .when({ type: 'SetSize', size: 5, nowMs: T0 })
      .thenEvents([{ type: 'PoolSizeSet', data: { size: 5, atMs: T0 } }])
      .when({ type: 'SetSize', size: 5, nowMs: T0 })
      .thenNothing()
      .when({ type: 'ClearSize', nowMs: T0 })
      .thenEventTypes('PoolSizeCleared')
      .thenState((state) => state.size === null);
  });

  it('refuses a negative or fractional size and an empty template', () => {
    givenDecider(poolDecider).when({ type: 'SetSize', size: -1, nowMs: T0 }).thenRejected('bad_size');
    givenDecider(poolDecider).when({ type: 'SetSize', size: 1.5, nowMs: T0 }).thenRejected('bad_size');
    givenDecider(poolDecider).when({ type: 'SetTemplate', image: '', nowMs: T0 }).thenRejected('bad_template');
  });

  it('records a template change and a reset with its time', () => {
    givenDecider(poolDecider)
      .when({ type: 'SetTemplate', image: 'centos-8', nowMs: T0 })
      .thenEventTypes('PoolTemplateSet')
      .when({ type: 'SetTemplate', image: 'centos-8', nowMs: T0 })
      .thenNothing()
      .when({ type: 'Reset', nowMs: T0 + 5 })
      .thenState((state) => state.image === 'centos-8' && state.resetAtMs === T0 + 5);
  });
});
