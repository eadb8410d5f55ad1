import { describe, expect, it } from 'vitest';
import { CATCH_UP_MS, Controller, MAX_TICKS_PER_ADVANCE, nearestSpeed, SPEEDS } from '../../src/ui/controller.js';
import type { Scenario } from '../../src/scenario/types.js';
import { modelOf } from '../helpers/run.js';

const busy: Scenario = {
  name: 'busy',
  duration: '1m',
  functions: {
    api: { duration: { p50: '120ms', p99: '900ms' }, reservedConcurrentExecutions: 3 },
    worker: { duration: '200ms' },
  },
  traffic: [
    { invoke: 'api', type: 'RequestResponse', rate: 20 },
    { invoke: 'worker', type: 'RequestResponse', rate: 5 },
  ],
};

async function stepped(c: Controller, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await c.step();
}

describe('Controller: stepping', () => {
  it('steps one tick per n and pauses', async () => {
    const c = new Controller(modelOf(busy));
    expect(c.snapshot.tick).toBe(0);
    await c.step();
    expect(c.snapshot.tick).toBe(1);
    expect(c.snapshot.t).toBe(100);
    expect(c.paused).toBe(true);
  });

  it('steps back within the ring to the very snapshot it showed before', async () => {
    const c = new Controller(modelOf(busy));
    await stepped(c, 10);
    const at9 = (await c.seek(9), c.snapshot);
    await c.step();
    await c.back();
    expect(c.snapshot).toBe(at9);
    expect(c.inPast).toBe(true);
    await c.step();
    expect(c.inPast).toBe(false);
  });

  it('steps back beyond the ring by re-running from t=0, giving a snapshot identical to the original run', async () => {
    const model = modelOf(busy);
    const reference = new Controller(model, { historySize: 1000 });
    await stepped(reference, 40);
    const c = new Controller(model, { historySize: 5 });
    await stepped(c, 40);
    expect(c.oldestTick).toBe(36);
    await c.seek(36);
    await c.back();
    expect(c.snapshot.tick).toBe(35);
    expect(c.headTick).toBe(40);
    await reference.seek(35);
    expect(c.snapshot).toEqual(reference.snapshot);
    expect(c.logLines().map((l) => l.text)).toEqual(reference.logLines().map((l) => l.text));
    // Forward again replays the same future.
    await stepped(c, 5);
    await reference.seek(40);
    expect(c.snapshot).toEqual(reference.snapshot);
  });

  it('keeps "live" where the run had got to when a step back goes past the history', async () => {
    const model = modelOf(busy);
    const reference = new Controller(model, { historySize: 1000 });
    await stepped(reference, 60);
    const c = new Controller(model, { historySize: 10 });
    await stepped(c, 60);
    const head = c.snapshot;
    expect(c.oldestTick).toBe(51);
    // Step back one tick at a time, past the 10-tick history and on.
    for (let i = 0; i < 15; i++) await c.back();
    expect(c.snapshot.tick).toBe(45);
    expect(c.headTick).toBe(60); // not 45: the live run is still at 60
    expect(c.inPast).toBe(true);
    await reference.seek(45);
    expect(c.snapshot).toEqual(reference.snapshot);
    expect(c.logLines().map((l) => l.text)).toEqual(reference.logLines().map((l) => l.text));
    // Further steps back stay instant (no re-run) until the kept window is used up, and forward again
    // walks back up to the same head. (The re-run now starts at the checkpoint before the tick and stops
    // there, so the history holds what it ran rather than 41..60: docs/checkpoints.md.)
    expect(c.oldestTick).toBeLessThan(45);
    for (let i = 0; i < 15; i++) await c.step();
    expect(c.inPast).toBe(false);
    expect(c.snapshot).toEqual(head);
    // Once live again, the history shrinks back to its size.
    await c.step();
    expect(c.headTick - c.oldestTick + 1).toBe(10);
  });

  it('does nothing on back at t=0', async () => {
    const c = new Controller(modelOf(busy));
    await c.back();
    expect(c.snapshot.tick).toBe(0);
  });

  it('restarts with the same seed, inputs cleared', async () => {
    const c = new Controller(modelOf(busy));
    await stepped(c, 20);
    const first = c.snapshot;
    await c.injectPreset({ kind: 'failNext', fn: 'worker', count: 2 });
    expect(c.inputs).toHaveLength(1);
    await c.restart();
    expect(c.snapshot.tick).toBe(0);
    expect(c.inputs).toHaveLength(0);
    expect(c.logLines()).toHaveLength(0);
    await stepped(c, 20);
    expect(c.snapshot).toEqual(first);
  });
});

describe('Controller: advanceWall', () => {
  it('advances speed x wall time in whole ticks and carries the remainder', async () => {
    const c = new Controller(modelOf(busy), { speed: 1 });
    expect(await c.advanceWall(150)).toBe(1); // 150 ms simulated: one tick, 50 carried
    expect(await c.advanceWall(60)).toBe(1); // 110: one tick, 10 carried
    expect(await c.advanceWall(80)).toBe(0); // 90
    expect(await c.advanceWall(10)).toBe(1); // 100
    expect(c.snapshot.tick).toBe(3);
  });

  it('runs speed times faster at higher speeds, and not at all while paused', async () => {
    const c = new Controller(modelOf(busy), { speed: 10 });
    expect(await c.advanceWall(66)).toBe(6);
    c.pause();
    expect(await c.advanceWall(1000)).toBe(0);
    c.resume();
    expect(await c.advanceWall(100)).toBe(10);
  });

  it('caps the ticks of one call after a stall', async () => {
    const c = new Controller(modelOf(busy), { speed: 1000 });
    expect(await c.advanceWall(3_600_000)).toBe(MAX_TICKS_PER_ADVANCE);
  });

  it('with a wall-time budget, stops when the budget is spent, drops the backlog and reports the speed reached', async () => {
    const c = new Controller(modelOf(busy), { speed: 1000 });
    // A fake clock that moves 10 ms per reading: the budget of 35 ms is spent after a few ticks.
    let clock = 0;
    const now = () => (clock += 10);
    const done = await c.advanceWall(100, { ms: 35, now });
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(1000); // x1000 for 100 ms would be 1000 ticks
    expect(c.snapshot.tick).toBe(done);
    // What is owed (at most CATCH_UP_MS of wall time's worth) does not make the next advance unbounded.
    const next = await c.advanceWall(100, { ms: 35, now });
    expect(next).toBe(done);
    // Lagging once more is owed than CATCH_UP_MS x speed: after about a second of advances here.
    for (let i = 0; i < 10; i++) await c.advanceWall(100, { ms: 35, now });
    expect(c.achievedSpeed).toBeDefined();
    expect(c.achievedSpeed!).toBeLessThan(1000);
    expect(c.achievedSpeed!).toBeCloseTo((done * 100) / 100, 5);
    // A speed that is met is not lagging.
    c.setSpeed(1);
    await c.advanceWall(100, { ms: 35, now });
    expect(c.achievedSpeed).toBeUndefined();
  });

  it('with a budget, catches up a slow moment instead of dropping it, and says lagging only past CATCH_UP_MS', async () => {
    const c = new Controller(modelOf(busy), { speed: 10 });
    // One advance whose first tick takes 300 ms of wall time (a spike), then fast ticks again.
    let clock = 0;
    let readings = 0;
    const now = () => (clock += ++readings === 2 ? 300 : 0.01);
    await c.advanceWall(100, { ms: 50, now }); // asks 10 ticks, does 1
    expect(c.snapshot.tick).toBe(1);
    await c.advanceWall(100, { ms: 50, now }); // 10 more plus the 9 owed
    expect(c.snapshot.tick).toBe(20);
    expect(c.achievedSpeed).toBeUndefined();
    // A run that cannot keep up at all owes at most CATCH_UP_MS x speed, drops the rest, and lags.
    const d = new Controller(modelOf(busy), { speed: 10 });
    let t = 0;
    const slowClock = () => (t += 60); // every tick overruns the 50 ms budget: one tick per advance
    for (let i = 0; i < 30; i++) await d.advanceWall(100, { ms: 50, now: slowClock });
    expect(d.snapshot.tick).toBe(30);
    expect(d.achievedSpeed).toBeDefined();
    expect(d.achievedSpeed!).toBeCloseTo(1, 5);
    // A pause forgets what is owed: after it, an advance asks for its own time only.
    d.togglePause();
    d.togglePause();
    expect(await d.advanceWall(100, { ms: 1e9, now: () => 0 })).toBe(10);
    expect(CATCH_UP_MS).toBe(1000);
  });

  it('without a budget stays deterministic: the same calls make the same ticks', async () => {
    const a = new Controller(modelOf(busy), { speed: 1000 });
    const b = new Controller(modelOf(busy), { speed: 1000 });
    expect(await a.advanceWall(20)).toBe(200);
    expect(await b.advanceWall(20)).toBe(a.snapshot.tick);
    expect(a.achievedSpeed).toBeUndefined();
  });

  it('emits one change per call that moved, not one per tick', async () => {
    const c = new Controller(modelOf(busy), { speed: 10 });
    let changes = 0;
    c.onChange(() => changes++);
    await c.advanceWall(500);
    expect(changes).toBe(1);
    await c.advanceWall(5);
    expect(changes).toBe(1);
  });

  it('moves through the speed steps with + and -', () => {
    const c = new Controller(modelOf(busy), { speed: 10 });
    c.faster();
    expect(c.speed).toBe(20);
    c.slower();
    c.slower();
    expect(c.speed).toBe(5);
    for (let i = 0; i < 20; i++) c.slower();
    expect(c.speed).toBe(SPEEDS[0]);
    expect(nearestSpeed(7)).toBe(5);
    expect(nearestSpeed(8)).toBe(10);
  });
});

describe('Controller: live faults are inputs', () => {
  it('fails exactly the next N invocations of a function', async () => {
    const c = new Controller(modelOf(busy));
    await stepped(c, 10);
    const before = c.snapshot.functions.worker.errors;
    await c.injectPreset({ kind: 'failNext', fn: 'worker', count: 3 });
    await stepped(c, 50);
    expect(c.snapshot.functions.worker.errors - before).toBe(3);
    expect(c.snapshot.liveFaults).toBe(1);
  });

  it('throttles a function for a while', async () => {
    const c = new Controller(modelOf(busy));
    await c.injectPreset({ kind: 'throttle', fn: 'worker', forMs: 2000 });
    await stepped(c, 30);
    const throttles = c.snapshot.functions.worker.throttles;
    expect(throttles).toBeGreaterThan(0);
    await stepped(c, 30);
    expect(c.snapshot.functions.worker.throttles).toBe(throttles);
  });

  it('makes Lambda fail a function\'s requests with 500 ServiceException for a while: nothing runs, nothing is throttled', async () => {
    const c = new Controller(modelOf(busy));
    await stepped(c, 10);
    const invocations = c.snapshot.functions.worker.invocations;
    await c.injectPreset({ kind: 'serviceError', fn: 'worker', forMs: 2000 });
    await stepped(c, 15);
    expect(c.snapshot.functions.worker.invocations).toBe(invocations);
    expect(c.snapshot.functions.worker.throttles).toBe(0);
    await stepped(c, 60);
    expect(c.snapshot.functions.worker.invocations).toBeGreaterThan(invocations);
  });

  it('poisons exactly the next record of the traffic that reaches the function', async () => {
    const c = new Controller(modelOf(busy));
    await stepped(c, 5);
    await c.injectPreset({ kind: 'poison', fn: 'worker' });
    await stepped(c, 40);
    expect(c.snapshot.functions.worker.errors).toBe(1);
  });

  it('replays a fault at the tick it was injected when re-running past the ring', async () => {
    const model = modelOf(busy);
    const c = new Controller(model, { historySize: 4 });
    await stepped(c, 12);
    await c.injectPreset({ kind: 'failNext', fn: 'api', count: 5 });
    await stepped(c, 20);
    const original = c.snapshot;
    await c.seek(2); // far beyond the ring: a re-run
    expect(c.snapshot.liveFaults).toBe(0);
    await c.seek(32);
    expect(c.snapshot).toEqual(original);
    expect(c.inputs).toEqual([{ tick: 12, fault: expect.objectContaining({ kind: 'error', count: 5, function: 'api' }) }]);
  });

  it('starts a new future when a fault is injected in the past', async () => {
    const c = new Controller(modelOf(busy), { historySize: 100 });
    await stepped(c, 10);
    await c.injectPreset({ kind: 'failNext', fn: 'worker', count: 1 });
    await stepped(c, 10);
    await c.seek(5);
    await c.injectPreset({ kind: 'throttle', fn: 'api', forMs: 500 });
    expect(c.inputs.map((i) => [i.tick, i.fault.kind])).toEqual([[5, 'throttle']]);
    expect(c.headTick).toBe(5);
    await stepped(c, 15);
    expect(c.snapshot.functions.worker.errors).toBe(0);
  });

  it('records the same log twice for the same inputs', async () => {
    const a = new Controller(modelOf(busy));
    const b = new Controller(modelOf(busy));
    for (const c of [a, b]) {
      await stepped(c, 5);
      await c.injectPreset({ kind: 'failNext', fn: 'api', count: 2 });
      await stepped(c, 30);
    }
    expect(a.logLines().map((l) => l.text)).toEqual(b.logLines().map((l) => l.text));
    expect(a.logLines('api failed').length).toBe(2);
  });
});
