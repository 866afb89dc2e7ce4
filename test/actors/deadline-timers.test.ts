import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDeadlineTimers } from '../../src/actors/deadline-timers.js';
import { waitFor } from '../support/wait-for.js';

describe('deadline timers', () => {
  it('never fires before the deadline by the given clock, even when the JS timer runs early', async () => {
    let skewMs = 0;
    const fired: { key: string; atMs: number; firedAtMs: number }[] = [];
    const nowMs = () => Date.now() - skewMs;
    const timers = createDeadlineTimers((key, deadline) => fired.push({ key, atMs: deadline.atMs, firedAtMs: nowMs() }), nowMs);
    const atMs = nowMs() + 20;
    timers.arm('a', { name: 'alarm', atMs });
    // The clock falls 30 ms behind after arming: by it, the JS timer now fires 30 ms early.
    skewMs = 30;
    await waitFor(() => fired.length === 1);
    assert.ok(fired[0]!.firedAtMs >= atMs, `fired at ${fired[0]!.firedAtMs}, deadline ${atMs}`);
    assert.equal(timers.size, 0);
  });

  it('re-arms, disarms and ignores re-arming the same deadline', async () => {
    const fired: string[] = [];
    const timers = createDeadlineTimers((key, deadline) => fired.push(`${key}:${deadline.name}`), Date.now);
    timers.arm('a', { name: 'first', atMs: Date.now() + 10_000 });
    timers.arm('a', { name: 'second', atMs: Date.now() + 10 });
    timers.arm('b', { name: 'gone', atMs: Date.now() + 10 });
    timers.arm('b', undefined);
    assert.equal(timers.size, 1);
    await waitFor(() => fired.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(fired, ['a:second']);
    timers.close();
  });

  it('fires many keys, each once, whatever order they were armed in', async () => {
    // Keys are different actors: their relative order is not promised (a late event loop runs due
    // timers in its own order), only that each fires once, with its own deadline.
    const fired: string[] = [];
    const timers = createDeadlineTimers((key, deadline) => fired.push(`${key}@${deadline.atMs}`), Date.now);
    const base = Date.now() + 30;
    const order = [7, 2, 9, 0, 5, 3, 8, 1, 6, 4];
    for (const i of order) timers.arm(`k${i}`, { name: 'd', atMs: base + i * 3 });
    assert.equal(timers.size, 10);
    await waitFor(() => fired.length === 10);
    assert.deepEqual(fired.slice().sort(), order.map((i) => `k${i}@${base + i * 3}`).sort());
    assert.equal(timers.size, 0);
  });

  it('keeps only the last of many re-armings, and a disarmed nearest deadline never fires', async () => {
    const fired: string[] = [];
    const timers = createDeadlineTimers((key, deadline) => fired.push(`${key}:${deadline.name}`), Date.now);
    // Thousands of re-arms of one key leave thousands of stale entries behind: only the last counts.
    for (let i = 0; i < 5_000; i++) timers.arm('busy', { name: `n${i}`, atMs: Date.now() + 60_000 - i });
    timers.arm('busy', { name: 'last', atMs: Date.now() + 40 });
    timers.arm('early', { name: 'e', atMs: Date.now() + 5 });
    timers.arm('early', undefined);
    assert.equal(timers.size, 1);
    assert.equal(timers.has('early'), false);
    await waitFor(() => fired.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(fired, ['busy:last']);
    timers.close();
  });

  it('arms nothing once closed: late work of a stopped system cannot wake it', async () => {
    const fired: string[] = [];
    const timers = createDeadlineTimers((key) => fired.push(key), Date.now);
    timers.arm('before', { name: 'd', atMs: Date.now() + 5 });
    timers.close();
    timers.arm('after', { name: 'd', atMs: Date.now() });
    assert.equal(timers.size, 0);
    assert.equal(timers.has('after'), false);
    // A control timer armed later than both proves their turn has passed.
    const control = createDeadlineTimers((key) => fired.push(key), Date.now);
    control.arm('control', { name: 'd', atMs: Date.now() + 20 });
    await waitFor(() => fired.includes('control'));
    assert.deepEqual(fired, ['control']);
  });
});
