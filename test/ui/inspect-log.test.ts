/**
 * Issue 14, item 4: enter on the Log opens the line's trace events (a batch's start with its end and
 * bisect, a delivery with its payload); `/` searches the inspector, n / N move between matches; `s`
 * saves the inspected JSON to a new file.
 */
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { Controller } from '../../src/ui/controller.js';
import { layout } from '../../src/ui/layout.js';
import { logLineShown } from '../../src/ui/LogPane.js';
import { type DashboardView, paneBox } from '../../src/ui/panes.js';
import { fileSlug, saveInspected } from '../../src/ui/save-inspect.js';
import { type Command, fitOverlay, initialUiState, type UiState, update } from '../../src/ui/update.js';
import { runCommands } from '../../src/ui/App.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import type { Model } from '../../src/scenario/model.js';
import { createSimulation } from '../../src/engine/simulation.js';
import { RECENT_STREAM_INVOKES } from '../../src/engine/sources/stream/runtime.js';

let view: DashboardView;
let dir: string;
let model: Model;
let controller: Controller;

interface Inspected {
  batch?: Record<string, unknown>;
  event: { Records: Array<{ eventID: string; eventSourceARN: string; kinesis: { sequenceNumber: string; partitionKey: string; data: string } }> };
  trace: TraceEvent[];
}

/** Runs an update's commands as the dashboard's shell does, and applies what comes back. */
function shell(ui: UiState, commands: readonly Command[], on: Controller = controller, v: DashboardView = view): UiState {
  let out = ui;
  runCommands(on, commands, (action) => (out = update(out, action, v).ui), () => undefined);
  return out;
}

beforeAll(async () => {
  model = (await loadScenario('scenarios/kinesis-error.ts')).model;
  const c = (controller = new Controller(model, { paused: true, historySize: 10 }));
  // Up to the end of the first failed batch of shard-3, the one that bisects.
  while (!c.logLines().some((l) => l.text.includes('-> bisect'))) await c.seek(c.snapshot.tick + 1);
  view = { state: c.snapshot, model, layout: layout({ columns: 100, rows: 30 }), logLines: c.logLines() };
  dir = await mkdtemp(join(tmpdir(), 'lambda-tui-save-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function keys(names: string[], from: UiState = initialUiState()) {
  let ui = from;
  const commands = [];
  for (const key of names) {
    const result = update(ui, { type: 'key', key }, view);
    ui = result.ui;
    commands.push(...result.commands);
  }
  return { ui, commands };
}

describe('enter on the Log', () => {
  it('opens the marked line (the newest shown): the failed batch as its handler received it, with its start, end and bisect', () => {
    const box = paneBox(view, 'log')!;
    const failed = view.logLines.findIndex((l) => l.text.includes('-> bisect'));
    const scroll = view.logLines.length - 1 - failed;
    // Scrolled so that the failed batch's line is the newest shown (it wraps on two rows at 100 columns).
    let ui = keys(['5']).ui;
    let rows = 0;
    while (logLineShown(view.logLines, box.width, box.height, ui.logScroll)!.line !== view.logLines[failed]) {
      ui = keys(['k'], ui).ui;
      if (++rows > scroll * 3) throw new Error('never reached the failed line');
    }
    const { ui: asked, commands } = keys(['enter'], ui);
    // The pure update asks the shell for the event; the shell (App's runCommands) asks the engine.
    expect(asked.overlay).toBeUndefined();
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ type: 'inspectInvocation', title: expect.stringMatching(/^log 00:\d\d\.\d invoke\.end$/) });
    const opened = shell(asked, commands);
    expect(opened.overlay?.kind).toBe('inspect');
    if (opened.overlay?.kind !== 'inspect') return;
    expect(opened.overlay.title).toMatch(/^log 00:\d\d\.\d invoke\.end$/);
    const value = opened.overlay.value as Inspected;
    const events = value.trace;
    expect(events.map((e) => e.type)).toEqual(['invoke.start', 'invoke.end', 'batch.bisect']);
    const start = events[0] as Extract<TraceEvent, { type: 'invoke.start' }>;
    expect(start.records!.length).toBeGreaterThan(1);
    expect((events[1] as { errorMessage?: string }).errorMessage).toBe('cannot parse order 200');
    // The batch: its records as the handler received them, one per sequence number the start names.
    const records = value.event.Records;
    expect(records.map((r) => r.kinesis.sequenceNumber)).toEqual(start.records);
    expect(value.batch).toMatchObject({ batchId: start.batchId, shardId: start.shard, records: start.records!.length, firstSequenceNumber: start.records![0], lastSequenceNumber: start.records!.at(-1) });
    for (const r of records) {
      expect(r.eventID).toBe(`${start.shard}:${r.kinesis.sequenceNumber}`);
      expect(r.kinesis.partitionKey).toEqual(expect.any(String));
      expect(JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8'))).toHaveProperty('orderId');
    }
    // The poison record is in it, and the checkpoint then is before the batch's first record.
    expect(records.some((r) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')).orderId === 200)).toBe(true);
    if (value.batch!.checkpoint !== null) expect(BigInt(value.batch!.checkpoint as string) < BigInt(start.records![0])).toBe(true);
    const text = opened.overlay.lines.join('\n');
    expect(text).toContain('"type": "batch.bisect"');
    expect(text).toContain('"sequenceNumber": "');
    expect(text).toContain('(data decoded: {"orderId":');
    // Long values wrap at the overlay's width instead of being cut.
    const width = view.layout!.columns - 3;
    expect(opened.overlay.lines.every((l) => l.length <= width)).toBe(true);
    expect(text).not.toMatch(/~$/m);
    expect(text.replace(/\n\s*/g, '')).toContain(records[0].eventSourceARN);
  });

  it('says why when the line sums up record puts', () => {
    const puts = { ...view, logLines: view.logLines.filter((l) => l.type === 'record.put') };
    const { ui } = (() => {
      let u = keys(['5']).ui;
      const r = update(u, { type: 'key', key: 'enter' }, puts);
      u = r.ui;
      return { ui: u };
    })();
    expect(ui.overlay).toBeUndefined();
    expect(ui.message?.text).toMatch(/record puts/);
  });
});

type Start = Extract<TraceEvent, { type: 'invoke.start' }>;

/** A paused controller of `file` (or of `model`), stepped until `ready` holds for its invocation starts. */
async function runUntil(from: string | Model, ready: (starts: Start[]) => boolean) {
  const m = typeof from === 'string' ? (await loadScenario(from)).model : from;
  const c = new Controller(m, { paused: true, historySize: 10 });
  // An end's line carries its start too: each start once, in order.
  const starts = () => [...new Map(c.logLines().flatMap((l) => (l.events ?? []).filter((e): e is Start => e.type === 'invoke.start')).map((e) => [e.requestId, e])).values()];
  while (!ready(starts()) && c.snapshot.t < m.durationMs) await c.seek(c.snapshot.tick + 1);
  return { c, starts: starts(), model: m };
}

/** The inspector's value for an invocation start, through the shell. */
function opened(c: Controller, start: Start) {
  const v: DashboardView = { state: c.snapshot, model: c.model, layout: layout({ columns: 100, rows: 30 }), logLines: c.logLines() };
  const ui = shell(initialUiState(), [{ type: 'inspectInvocation', title: 'log', start, trace: [start] }], c, v);
  if (ui.overlay?.kind !== 'inspect') throw new Error('no inspector');
  return ui.overlay.value as { batch?: Record<string, unknown>; event: unknown; note?: string; trace: TraceEvent[] };
}

describe('enter on an invocation line, for every kind of source', () => {
  it('an SQS batch: its messages, as received', async () => {
    const { c, starts } = await runUntil('scenarios/sqs-poison-redrive.ts', (s) => s.length >= 3);
    const start = starts[2];
    const event = opened(c, start).event as { Records: Array<{ messageId: string; body: string; attributes: { ApproximateReceiveCount: string } }> };
    expect(event.Records.map((r) => r.messageId)).toEqual(start.records);
    expect(event.Records[0].body).toEqual(expect.any(String));
    expect(Number(event.Records[0].attributes.ApproximateReceiveCount)).toBe(start.attempt);
  });

  it('an asynchronous event: the payload', async () => {
    const { c, starts } = await runUntil('scenarios/async-retries-dlq.ts', (s) => s.some((x) => x.attempt > 1));
    const retry = starts.find((x) => x.attempt > 1)!;
    expect(opened(c, retry).event).toMatchObject({ orderId: expect.any(Number), amount: 25 });
  });

  it("a synchronous caller's request: the ALB event; a Step Functions task's input; a Firehose batch", async () => {
    const alb = await runUntil('scenarios/alb-hello.ts', (s) => s.length >= 2);
    expect(opened(alb.c, alb.starts[1]).event).toMatchObject({ requestContext: { elb: { targetGroupArn: expect.any(String) } }, httpMethod: expect.any(String) });
    const sfn = await runUntil('scenarios/step-functions-retry.ts', (s) => s.length >= 1);
    expect(opened(sfn.c, sfn.starts[0]).event).toMatchObject({ orderId: expect.any(Number) });
    const fh = await runUntil('scenarios/firehose-transform.ts', (s) => s.length >= 1);
    const batch = opened(fh.c, fh.starts[0]).event as { invocationId: string; records: Array<{ recordId: string; data: string }> };
    expect(batch.records.map((r) => r.recordId)).toEqual(fh.starts[0].records);
  });

  it("a tumbling window's invoke carries the window and the state that invoke received", async () => {
    const { c, starts } = await runUntil('scenarios/kinesis-tumbling-window.ts', (s) => s.filter((x) => x.records && x.records.length > 0).length >= 3);
    const withRecords = starts.filter((x) => x.records && x.records.length > 0);
    const first = opened(c, withRecords[0]).event as { state: { total?: number }; window: { start: string } };
    const third = opened(c, withRecords[2]).event as { state: { total?: number; count?: number }; window: { start: string }; Records: unknown[] };
    expect(first.state).toEqual({});
    // The third invoke of the window saw what the two before returned, not the window's state now.
    expect(third.window.start).toBe(first.window.start);
    expect(third.state.count).toBe(withRecords[0].records!.length + withRecords[1].records!.length);
    expect(third.Records).toHaveLength(withRecords[2].records!.length);
  });

  it('without handler code the batch is built on request from the record columns', async () => {
    const m = (await loadScenario('scenarios/kinesis-error.ts')).model;
    const bare: Model = { ...m, functions: Object.fromEntries(Object.entries(m.functions).map(([k, f]) => [k, { ...f, handler: undefined, handlerSource: undefined }])) };
    const { c, starts } = await runUntil(bare, (s) => s.length >= 2);
    const value = opened(c, starts[1]);
    const records = (value.event as Inspected['event']).Records;
    expect(records.map((r) => r.kinesis.sequenceNumber)).toEqual(starts[1].records);
    expect(value.batch).toMatchObject({ shardId: starts[1].shard, batchId: starts[1].batchId });
  });

  it('keeps only the last invocations of a mapping, and a headless run keeps none', async () => {
    // One mapping reads the four shards: it keeps its last RECENT_STREAM_INVOKES, whatever their shard.
    const { c, starts } = await runUntil('scenarios/kinesis-error.ts', (s) => s.length > RECENT_STREAM_INVOKES);
    const oldestKept = starts.length - RECENT_STREAM_INVOKES;
    expect(opened(c, starts[oldestKept - 1])).toMatchObject({ event: null, note: expect.stringMatching(/no longer kept/) });
    expect(opened(c, starts[oldestKept])).toMatchObject({ event: { Records: expect.any(Array) } });
    const ids: string[] = [];
    const seen = createSimulation(model, { views: false, onTrace: (e) => void (e.type === 'invoke.start' && ids.push(e.requestId)) });
    await seen.run(20_000);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids.slice(-5)) expect(seen.inspect('stream', id)).toBeUndefined();
    // The same run read by a dashboard (views on) keeps them.
    const viewed = createSimulation(model, {});
    await viewed.run(20_000);
    for (const id of ids.slice(-5)) expect(viewed.inspect('stream', id)).toMatchObject({ event: { Records: expect.any(Array) } });
  });
});

describe('/ in the inspector', () => {
  const value = { a: 'first', list: Array.from({ length: 60 }, (_, i) => `item ${i}`), z: 'item last' };
  const open = () => update(initialUiState(), { type: 'inspected', title: 'x', value }, view).ui;

  it('types a search, goes to the first match with enter, n and N round the matches', () => {
    let { ui } = keys(['/', 'i', 't', 'e', 'm', 'space', '5', 'enter'], open());
    expect(ui.overlay).toMatchObject({ kind: 'inspect', query: 'item 5', findDraft: undefined });
    const lines = ui.overlay?.kind === 'inspect' ? ui.overlay.lines : [];
    const hits = lines.flatMap((l, i) => (l.includes('item 5') ? [i] : []));
    expect(hits.length).toBe(11); // item 5, item 50..59
    expect(ui.overlay).toMatchObject({ match: hits[0] });
    ui = keys(['n'], ui).ui;
    expect(ui.overlay).toMatchObject({ match: hits[1] });
    ui = keys(['N', 'N'], ui).ui;
    expect(ui.overlay).toMatchObject({ match: hits[hits.length - 1] });
    expect(ui.message?.text).toBe(`'item 5': match ${hits.length} of ${hits.length}`);
    // The match is on screen.
    const scroll = ui.overlay?.kind === 'inspect' ? ui.overlay.scroll : -1;
    const inner = view.layout!.bodyHeight - 2;
    expect(hits[hits.length - 1]).toBeGreaterThanOrEqual(scroll);
    expect(hits[hits.length - 1]).toBeLessThan(scroll + inner);
  });

  it('says when nothing matches; esc stops the search, a second esc closes', () => {
    let { ui } = keys(['/', 'q', 'x', 'enter'], open());
    expect(ui.message?.text).toBe("no match for 'qx'");
    ui = keys(['/', 'a', 'esc'], ui).ui;
    expect(ui.overlay).toMatchObject({ kind: 'inspect', query: undefined, findDraft: undefined });
    expect(keys(['esc'], ui).ui.overlay).toBeUndefined();
  });

  it('PgDn / PgUp move a page, g / G to the ends', () => {
    const inner = view.layout!.bodyHeight - 2;
    let ui = keys(['pagedown'], open()).ui;
    expect(ui.overlay).toMatchObject({ scroll: inner - 1 });
    ui = keys(['G'], ui).ui;
    const total = ui.overlay?.kind === 'inspect' ? ui.overlay.lines.length : 0;
    expect(ui.overlay).toMatchObject({ scroll: total - inner });
    ui = keys(['pageup', 'g'], ui).ui;
    expect(ui.overlay).toMatchObject({ scroll: 0 });
  });

  it('a resize wraps the lines again to the new width (long values wrap, never cut)', () => {
    const long = { eventID: `shardId-000000000003:${'4'.repeat(56)}`, eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders' };
    const wide = update(initialUiState(), { type: 'inspected', title: 'x', value: long }, view).ui;
    const narrow = fitOverlay(wide, 60, 20);
    expect(fitOverlay(wide, view.layout!.columns, view.layout!.bodyHeight)).toBe(wide);
    if (narrow.overlay?.kind !== 'inspect') throw new Error('closed');
    expect(narrow.overlay.lines.every((line) => line.length <= 57)).toBe(true);
    expect(narrow.overlay.lines.join('').replace(/\s+/g, '')).toContain(long.eventID);
    expect(narrow.overlay.width).toBe(57);
  });

  it('s asks the shell to save the inspected value', () => {
    expect(keys(['s'], open()).commands).toEqual([{ type: 'save', title: 'x', value }]);
    expect(keys(['?', 's']).commands).toEqual([]);
  });
});

describe('saving the inspected JSON', () => {
  it('writes pretty JSON to a new file named after the title, never over an existing one', async () => {
    const first = saveInspected('log 00:11.3 invoke.end', { a: 1 }, dir);
    expect(first).toBe(join(dir, 'lambda-tui-log-00-11.3-invoke.end-1.json'));
    expect(JSON.parse(await readFile(first, 'utf8'))).toEqual({ a: 1 });
    // A planted symlink at the next name is not followed: the name after it is used.
    await symlink(join(dir, 'target'), join(dir, 'lambda-tui-log-00-11.3-invoke.end-2.json'));
    await writeFile(join(dir, 'target'), 'keep');
    const third = saveInspected('log 00:11.3 invoke.end', { b: 2 }, dir);
    expect(third).toBe(join(dir, 'lambda-tui-log-00-11.3-invoke.end-3.json'));
    expect(await readFile(join(dir, 'target'), 'utf8')).toBe('keep');
  });

  it('says why a file cannot be written', () => {
    expect(() => saveInspected('x', 1, join(dir, 'missing', 'folder'))).toThrow(/missing\/folder\/lambda-tui-x-1\.json: ENOENT/);
    expect(fileSlug('../../etc/passwd')).toBe('etc-passwd');
  });
});
