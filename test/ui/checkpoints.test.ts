import { beforeAll, describe, expect, it } from 'vitest';
import { HandlerRecord } from '../../src/engine/lambda/handler-port.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Model } from '../../src/scenario/model.js';
import { CHECKPOINT_EVERY, Controller } from '../../src/ui/controller.js';
import { modelOf } from '../helpers/run.js';

let kinesis: Model;
beforeAll(async () => {
  kinesis = (await loadScenario('scenarios/kinesis-error.ts')).model;
});

const texts = (c: Controller) => c.logLines().map((l) => `${l.tick} ${l.text}`);

describe('the dashboard goes back through checkpoints: a restore and at most CHECKPOINT_EVERY ticks of re-run', () => {
  it('goes back to a tick with no kept snapshot and shows what the straight run showed there, log included', async () => {
    // Small history and log, so that the tick is neither in the ring nor a keyframe and the log has moved on.
    const c = new Controller(kinesis, { paused: true, historySize: 20, logSize: 150 });
    await c.seek(1500);
    expect(c.checkpointStats.count).toBe(1500 / CHECKPOINT_EVERY + 1);
    const target = 1233;
    await c.seek(target);
    expect(c.snapshot.tick).toBe(target);
    expect(c.headTick).toBe(1500);
    expect(c.inPast).toBe(true);
    // The re-run started at the checkpoint before the tick: the history holds only what it ran.
    expect(c.oldestTick).toBeGreaterThanOrEqual(target - CHECKPOINT_EVERY);
    const reference = new Controller(kinesis, { paused: true, historySize: 20, logSize: 150 });
    await reference.seek(target);
    expect(JSON.stringify(c.snapshot)).toBe(JSON.stringify(reference.snapshot));
    expect(texts(c)).toEqual(texts(reference));
    expect(c.logLines().length).toBeGreaterThan(100);
    // Steps back from there are instant until the re-run's start, then restore the checkpoint before it.
    for (let i = 0; i < 40; i++) await c.back();
    await reference.seek(target - 40);
    expect(JSON.stringify(c.snapshot)).toBe(JSON.stringify(reference.snapshot));
    expect(texts(c)).toEqual(texts(reference));
    // And forward to "live" again: the very state the run had reached, the notable list unchanged.
    const notable = c.notable.length;
    await c.seek(1500);
    await reference.seek(1500);
    expect(JSON.stringify(c.snapshot)).toBe(JSON.stringify(reference.snapshot));
    expect(c.notable.length).toBe(notable);
    expect(c.metrics.read('function/processor/Invocations', c.snapshot.t)).toEqual(reference.metrics.read('function/processor/Invocations', reference.snapshot.t));
  }, 120_000);

  it('keeps memory bounded: past MAX checkpoints the spacing doubles and tick 0 stays', async () => {
    const c = new Controller(kinesis, { paused: true, historySize: 20, checkpointEvery: 10, maxCheckpoints: 8 });
    await c.seek(300);
    expect(c.checkpointStats.count).toBeLessThanOrEqual(8);
    expect(c.checkpointSpacing).toBe(40);
    await c.seek(3);
    expect(c.snapshot.tick).toBe(3);
    await c.seek(205);
    const reference = new Controller(kinesis, { paused: true });
    await reference.seek(205);
    expect(JSON.stringify(c.snapshot)).toBe(JSON.stringify(reference.snapshot));
  }, 60_000);

  it('starts a new future from a restored tick: the same as a run that injected the fault there', async () => {
    const model = kinesis;
    const fault = { function: 'processor', kind: 'throttle' as const, rate: 1, fromMs: 0, untilMs: 95_000, addMs: 0 };
    const c = new Controller(model, { paused: true, historySize: 10 });
    await c.seek(600);
    await c.seek(433);
    await c.injectFault({ ...fault, fromMs: 43_300 });
    expect(c.headTick).toBe(433);
    await c.seek(520);
    const reference = new Controller(model, { paused: true, historySize: 10 });
    await reference.seek(433);
    await reference.injectFault({ ...fault, fromMs: 43_300 });
    await reference.seek(520);
    expect(JSON.stringify(c.snapshot)).toBe(JSON.stringify(reference.snapshot));
    expect(texts(c)).toEqual(texts(reference));
    expect(c.notable).toEqual(reference.notable);
    for (const key of ['function/processor/Throttles', 'function/processor/Invocations']) {
      expect(c.metrics.read(key, c.snapshot.t)).toEqual(reference.metrics.read(key, reference.snapshot.t));
    }
  }, 60_000);

  it('replays real handler code on a jump back instead of calling it again', async () => {
    let calls = 0;
    const model = modelOf({
      name: 'counted',
      duration: '2m',
      functions: {
        f: {
          duration: '300ms',
          handler: async () => {
            calls++;
            return { ok: true };
          },
        },
      },
      traffic: [{ invoke: 'f', type: 'RequestResponse', rate: 4 }],
    });
    const c = new Controller(model, { paused: true, historySize: 10, simulation: { handlerRecord: new HandlerRecord() } });
    await c.seek(900);
    const before = calls;
    expect(before).toBeGreaterThan(300);
    await c.seek(123);
    await c.seek(777);
    await c.seek(900);
    expect(calls).toBe(before);
    expect(c.handlerLogs().length).toBeGreaterThan(0);
  }, 60_000);
});
