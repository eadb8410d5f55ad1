/**
 * Issue 14, "fixes found in use": keys that arrive together, the In-flight count, one duration format,
 * the pause at the end, the header and footer at 80x24, and stable selection.
 */
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { userStack } from '../../src/engine/aws/invoke.js';
import { formatDuration as summaryDuration } from '../../src/lang/duration.js';
import type { Model } from '../../src/scenario/model.js';
import { loadScenario } from '../../src/scenario/load.js';
import { App } from '../../src/ui/App.js';
import { Controller } from '../../src/ui/controller.js';
import { formatDuration } from '../../src/ui/format.js';
import { Header, headerStatus } from '../../src/ui/Header.js';
import { inFlightRows } from '../../src/ui/InFlightPane.js';
import { footerHints, plainKeys } from '../../src/ui/keymap.js';
import { sourcesRows } from '../../src/ui/source-rows.js';
import { modelOf } from '../helpers/run.js';

const strip = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');

async function until(frame: () => string, expected: string | RegExp, timeoutMs = 5000): Promise<string> {
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

async function dashboard(model = kinesis, ticks = 450) {
  const controller = new Controller(model, { paused: true, historySize: 50 });
  await controller.seek(ticks);
  const app = render(<App controller={controller} size={{ columns: 100, rows: 30 }} onQuit={vi.fn()} />);
  const frame = () => app.lastFrame() ?? '';
  await until(frame, 'Sources');
  return { controller, app, frame };
}

describe('keys that arrive in one read', () => {
  it('reads enter, backspace, tab and ctrl bytes inside a run of plain bytes', () => {
    expect(plainKeys('shard-3\r')).toEqual(['s', 'h', 'a', 'r', 'd', '-', '3', 'enter']);
    expect(plainKeys('\x7f\x7f\x08')).toEqual(['backspace', 'backspace', 'backspace']);
    expect(plainKeys('j\t \x03')).toEqual(['j', 'tab', 'space', 'ctrl-c']);
  });

  it("opens the inspector for 'j\\r' in one write", async () => {
    const { app, frame } = await dashboard();
    app.stdin.write('j\r');
    await until(frame, /Inspect .*shard/);
  });

  it("applies a pasted filter ending in a carriage return, and erases three characters in one write", async () => {
    const { app, frame } = await dashboard();
    app.stdin.write('/');
    await until(frame, 'filter: _');
    app.stdin.write('shard-3xyz');
    await until(frame, 'filter: shard-3xyz_');
    app.stdin.write('\x7f\x7f\x7f');
    await until(frame, 'filter: shard-3_');
    app.stdin.write('\r');
    const shown = await until(frame, /Log\]=+ \/shard-3 /);
    expect(shown).not.toContain('filter: shard-3_');
  });
});

describe('one duration format', () => {
  it('never prints 60 of a smaller unit, and the dashboard uses the summary formatter', () => {
    expect(formatDuration).toBe(summaryDuration);
    expect(formatDuration(119_600)).toBe('2m');
    expect(formatDuration(3_599_700)).toBe('1h');
    expect(formatDuration(59_960)).toBe('1m');
    expect(formatDuration(105_000)).toBe('1m 45s');
    expect(formatDuration(7_230_000)).toBe('2h 1m');
    expect(formatDuration(250.4)).toBe('250ms');
  });
});

describe('In flight counts every running invocation', () => {
  it('says how many run beyond the rows the snapshot lists', async () => {
    const model = modelOf({
      name: 'wide',
      functions: { worker: { duration: '20s', timeout: '30s' } },
      traffic: [{ invoke: 'worker', type: 'RequestResponse', rate: 50 }],
    });
    const c = new Controller(model, { paused: true });
    await c.seek(30);
    const running = c.snapshot.account.concurrency;
    expect(running).toBeGreaterThan(64);
    const rows = inFlightRows(c.snapshot, 80);
    expect(rows.at(-1)?.text).toBe(`+${running - 64} more running (the oldest 64 are listed)`);
    const frame = strip(render(<App controller={c} size={{ columns: 100, rows: 30 }} onQuit={() => {}} />).lastFrame());
    expect(frame).toMatch(new RegExp(`3 In flight -+ ${running} \\+`));
  });
});

describe('the pause at the end of the scenario', () => {
  it('stops exactly at the duration at any speed, says end, and stops saying it once resumed and paused again', async () => {
    const model = { ...kinesis, durationMs: 30_000 };
    const c = new Controller(model, { speed: 1000, pauseAtMs: model.durationMs });
    await c.advanceWall(66);
    await c.advanceWall(66);
    expect(c.snapshot.t).toBe(30_000);
    expect(c.paused).toBe(true);
    expect(c.pausedAtEnd).toBe(true);
    c.resume();
    await c.advanceWall(10);
    c.pause();
    expect(c.pausedAtEnd).toBe(false);
    expect(c.snapshot.t).toBeGreaterThan(30_000);
  });
});

describe('80x24', () => {
  it('keeps the scenario name readable beside the status, and the fault and filter hints', () => {
    const frame = strip(
      render(<Header name="Kinesis poison record with bisect" description="d" t={42_300} tick={423} speed={10} paused seed={1} width={80} lines={2} headTick={900} />).lastFrame(),
    );
    expect(frame).toContain('Kinesis poison record w');
    expect(frame).toContain('<< past');
    expect(headerStatus({ t: 0, tick: 0, speed: 10, paused: false, seed: 1 }, 1)).toBe('t 00:00.0  x10  > running');
    const hints = footerHints(79);
    expect(hints).toContain('f fault');
    expect(hints).toContain('/ filter');
    expect(hints.endsWith('? help  q quit')).toBe(true);
  });
});

describe('Sources at 100x30 with EventBridge', () => {
  it('shows the rules on screen: where events enter before the queues they feed', async () => {
    const eb = (await loadScenario('scenarios/eventbridge-rules.ts')).model;
    const c = new Controller(eb, { paused: true });
    await c.seek(2000);
    const rows = sourcesRows(c.snapshot, eb, 57, 10).map((r) => r.text);
    expect(rows.slice(0, 10).filter((t) => t.includes('rule '))).toHaveLength(3);
  });
});

describe('the selection stays on its row when rows change place', () => {
  it('follows the row it is about, not the position', async () => {
    const { app, frame, controller } = await dashboard(kinesis, 200);
    app.stdin.write('jjjj');
    const before = await until(frame, /\|>\s*shard-\d/);
    const shard = /\|>\s*(shard-\d)/.exec(before)![1];
    for (let i = 0; i < 6; i++) await controller.seek(controller.snapshot.tick + 50);
    const after = await until(frame, new RegExp(`tick ${controller.snapshot.tick} `));
    expect(after).toMatch(new RegExp(`\\|>\\s*${shard} `));
  });
});

describe('stack traces name the user\'s frames', () => {
  it('drops lambda-tui, node_modules and Node internals', () => {
    const own = new URL('../../', import.meta.url).pathname;
    const stack = [
      'Error: cannot parse order 200',
      '    at handler (/home/me/orders.ts:4:11)',
      `    at run (${own}dist/engine/lambda/invoke.js:10:2)`,
      '    at produce (/x/node_modules/immer/dist/immer.mjs:1:1)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ].join('\n');
    expect(userStack(stack)).toEqual(['Error: cannot parse order 200', '    at handler (/home/me/orders.ts:4:11)']);
  });

  it('drops the sandbox\'s callers (node:async_hooks, a trailing builtin) but keeps a builtin between the user\'s frames', () => {
    const stack = [
      'Error: boom',
      '    at parse (/home/me/orders.ts:2:9)',
      '    at Array.map (<anonymous>)',
      '    at handler (/home/me/orders.ts:6:20)',
      '    at AsyncLocalStorage.run (node:async_hooks:346:14)',
      '    at Array.forEach (<anonymous>)',
    ].join('\n');
    expect(userStack(stack)).toEqual(['Error: boom', '    at parse (/home/me/orders.ts:2:9)', '    at Array.map (<anonymous>)', '    at handler (/home/me/orders.ts:6:20)']);
  });

  it('stops at lambda-tui\'s first frame: what called the engine (a test, a script) is not the handler\'s', () => {
    const own = new URL('../../', import.meta.url).pathname;
    const stack = [
      'Error: declined',
      '    at handler (/home/me/pay.ts:3:11)',
      `    at call (${own}src/engine/lambda/handler-port.ts:40:7)`,
      '    at library (/home/me/node_modules/x/index.js:1:1)',
      '    at myScript (/home/me/run-it.ts:12:3)',
    ].join('\n');
    expect(userStack(stack)).toEqual(['Error: declined', '    at handler (/home/me/pay.ts:3:11)']);
  });

  it('keeps the user\'s frames below an error thrown inside a lambda-tui shim the handler called', () => {
    const own = new URL('../../', import.meta.url).pathname;
    const stack = [
      'TypeError: bad length',
      `    at getRandomValues (${own}dist/sandbox/determinism.js:40:9)`,
      '    at handler (/home/me/pay.ts:3:11)',
      `    at runCall (${own}dist/sandbox/worker.js:200:7)`,
      '    at Array.forEach (<anonymous>)',
    ].join('\n');
    expect(userStack(stack)).toEqual(['TypeError: bad length', '    at handler (/home/me/pay.ts:3:11)']);
  });

  it('a handler run in the sandbox reports only its own frames', async () => {
    const { oneFunction, runFile, scenarioFolder } = await import('../helpers/sandbox.js');
    const dir = scenarioFolder({
      'throws.ts': "export const handler = async () => {\n  throw new Error('boom');\n};\n",
      's.ts': oneFunction("{ handler: './throws.handler' }"),
    });
    const r = await runFile(`${dir}/s.ts`);
    const body = r.of('sync.response')[0].body as { trace?: string[] };
    expect(body.trace).toEqual(['Error: boom', expect.stringMatching(/^ {4}at handler \(.*throws\.ts:2:9\)$/)]);
  });
});
