/**
 * Issue 14, time travel: ] / [ between notable events, `:` to a time, keyframes across the whole run,
 * re-runs in slices, and the timeline strip.
 */
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Model } from '../../src/scenario/model.js';
import { loadScenario } from '../../src/scenario/load.js';
import { App } from '../../src/ui/App.js';
import { Controller, MAX_KEYFRAMES, MAX_NOTABLE_FRAMES, notableKind } from '../../src/ui/controller.js';
import { timelineCells } from '../../src/ui/Timeline.js';
import { parseTimeInput } from '../../src/ui/update.js';

const strip = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');

async function until(frame: () => string, expected: string | RegExp, timeoutMs = 8000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const text = strip(frame());
    if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return text;
    if (Date.now() - start > timeoutMs) throw new Error(`frame never showed ${String(expected)}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let kinesis: Model;
beforeAll(async () => {
  kinesis = (await loadScenario('scenarios/kinesis-error.ts')).model;
});

describe('parseTimeInput: times as people type them', () => {
  it.each([
    ['1m30s', 90_000],
    ['0:05', 5_000],
    ['1:02:03', 3_723_000],
    ['90s', 90_000],
    ['90', 90_000],
    ['500ms', 500],
    ['1h5m', 3_900_000],
    ['0:05.5', 5_500],
  ])('%s is %i ms', (text, ms) => expect(parseTimeInput(text)).toBe(ms));

  it.each(['', 'abc', '1x', '1:2:3:4', 'm5'])('%j is not a time', (text) => expect(parseTimeInput(text)).toBeUndefined());
});

describe('notable events', () => {
  it('classifies failures, bisects and deliveries, and leaves routine lines alone', () => {
    expect(notableKind({ type: 'invoke.end', text: '00:11.6 processor shard-3 batch b1 failed (Error: x) 166ms -> bisect into b2, b3' })).toBe('bisect');
    expect(notableKind({ type: 'invoke.end', text: '00:11.6 processor failed (Error: x) 1ms' })).toBe('failure');
    expect(notableKind({ type: 'invoke.end', text: '00:11.6 processor ok 1ms' })).toBeUndefined();
    expect(notableKind({ type: 'deliver', text: '-> q onFailure' })).toBe('delivery');
    expect(notableKind({ type: 'checkpoint', text: 'checkpoint' })).toBeUndefined();
  });

  it('] runs on to the first failure of kinesis-error and lands on its bisect; [ goes back', async () => {
    const c = new Controller(kinesis, { paused: true });
    const first = await c.jumpNotable(1);
    expect(first?.kind).toBe('bisect');
    expect(c.snapshot.tick).toBe(first!.tick);
    expect(c.logLines().at(-1)?.tick).toBe(first!.tick);
    expect(c.logLines().some((l) => l.text.includes('-> bisect'))).toBe(true);
    const second = await c.jumpNotable(1);
    expect(second!.tick).toBeGreaterThanOrEqual(first!.tick);
    await c.seek(c.snapshot.tick + 300);
    const back = await c.jumpNotable(-1);
    expect(back!.tick).toBeLessThan(c.headTick);
    expect(c.snapshot.tick).toBe(back!.tick);
  });
});

describe('] with nothing notable left', () => {
  it('runs no tick past the scenario duration: at the end it stays at the end, however often it is pressed', async () => {
    const c = new Controller(kinesis, { paused: true });
    const end = kinesis.durationMs / kinesis.tickMs;
    await c.seek(end - 300);
    expect(await c.jumpNotable(1)).toBeUndefined();
    expect(c.snapshot.tick).toBe(end);
    expect(c.headTick).toBe(end);
    const t = c.snapshot.t;
    for (let i = 0; i < 3; i++) expect(await c.jumpNotable(1)).toBeUndefined();
    expect(c.snapshot.tick).toBe(end);
    expect(c.headTick).toBe(end);
    expect(c.snapshot.t).toBe(t);
  });
});

describe('keyframes: any point of the run, at once, in bounded memory', () => {
  it('goes back to 0:05 from the end of a 3-minute run without a re-run, to the very snapshot of the first pass', async () => {
    const c = new Controller(kinesis, { paused: true, historySize: 50 });
    await c.seek(1800);
    const reference = new Controller(kinesis, { paused: true });
    await reference.seek(50);
    const started = performance.now();
    await c.seekTime(5_000);
    const ms = performance.now() - started;
    expect(c.snapshot.tick).toBe(50);
    expect(c.headTick).toBe(1800);
    expect(JSON.stringify(c.snapshot)).toBe(JSON.stringify(reference.snapshot));
    expect(ms).toBeLessThan(50);
    expect(c.logLines().at(-1)!.tick).toBeLessThanOrEqual(50);
  });

  it('keeps fewer frames than its bounds however long the run, thinning keyframes as it goes', async () => {
    const c = new Controller(kinesis, { paused: true, historySize: 20, maxKeyframes: 40 });
    await c.seek(1000);
    expect(c.keyframeSpacing).toBe(40);
    expect(c.keptFrames).toBeLessThanOrEqual(40 + MAX_NOTABLE_FRAMES);
    await c.seek(440); // a keyframe at the doubled spacing: no re-run
    expect(c.headTick).toBe(1000);
    expect(MAX_KEYFRAMES).toBeGreaterThan(1000);
  });

  it('re-runs in slices: other work gets the event loop while it goes', async () => {
    const c = new Controller(kinesis, { paused: true, historySize: 20 });
    await c.seek(900);
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    await c.seek(455); // not a keyframe, and out of the ring: a re-run
    clearInterval(timer);
    expect(c.snapshot.tick).toBe(455);
    expect(turns).toBeGreaterThan(0);
  });
});

describe('the timeline strip', () => {
  it('puts a glyph where events happened and | at the cursor', () => {
    const events = [
      { tick: 50, t: 5000, kind: 'failure' as const, text: '' },
      { tick: 90, t: 9000, kind: 'delivery' as const, text: '' },
    ];
    expect(timelineCells(events, 0, 99, 10)).toBe('|....x...d');
    expect(timelineCells(events, 99, 99, 10)).toBe('.....x...|');
  });
});

describe('the keys', () => {
  it('] and : move the dashboard in time', async () => {
    const c = new Controller(kinesis, { paused: true });
    const app = render(<App controller={c} size={{ columns: 100, rows: 30 }} onQuit={vi.fn()} />);
    const frame = () => app.lastFrame() ?? '';
    await until(frame, 'Sources');
    app.stdin.write(']');
    const landed = await until(frame, /bisect: 00:11\.\d processor shard-3/);
    expect(landed).toMatch(/\[\.*x?\|/);
    app.stdin.write(':');
    await until(frame, 'go to: _');
    app.stdin.write('0:05\r');
    await until(frame, /t 00:05\.0 +tick 50 /);
  });
});
