/**
 * The Logs (L), Metrics (m) and Cost (c) views and the navigation keys of issue 14 (PgUp/PgDn, g/G,
 * Shift-Tab, h/l, z), through the pure update and through the real dashboard (playScript).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { US_EAST_1 } from '../../src/cost/prices.js';
import { snapshotCost } from '../../src/cost/snapshot-cost.js';
import { formatUsd } from '../../src/output/format-summary.js';
import type { Model } from '../../src/scenario/model.js';
import { loadScenario } from '../../src/scenario/load.js';
import { Controller } from '../../src/ui/controller.js';
import { layout } from '../../src/ui/layout.js';
import { type DashboardView, paneBox, paneRows } from '../../src/ui/panes.js';
import { parseKeysScript } from '../../src/ui/keys-script.js';
import { playScript } from '../../src/ui/play-script.js';
import { contextOf, initialUiState, type UiState, update } from '../../src/ui/update.js';
import { costRows, logFunctionAt, MAX_MEMORY_NOTE, metricSubjects } from '../../src/ui/views.js';

let kinesis: Model;
let c: Controller;

function viewOf(ui: UiState): DashboardView {
  return {
    state: c.snapshot,
    model: kinesis,
    layout: layout({ columns: 100, rows: 30 }),
    logLines: c.logLines(),
    handlerLogs: ui.view?.kind === 'logs' ? c.handlerLogs({ fn: logFunctionAt(kinesis, ui.view.subject), requestId: ui.view.requestId }) : undefined,
    metrics: c.metrics,
    cost: snapshotCost(kinesis, c.snapshot, { prices: US_EAST_1 }),
    zoomed: ui.zoom && !ui.view ? ui.focus : undefined,
  };
}

function keys(names: string[], from: UiState = initialUiState()) {
  let ui = from;
  const commands = [];
  for (const key of names) {
    const result = update(ui, { type: 'key', key }, viewOf(ui));
    ui = result.ui;
    commands.push(...result.commands);
  }
  return { ui, commands };
}

beforeAll(async () => {
  kinesis = (await loadScenario('scenarios/kinesis-error.ts')).model;
  c = new Controller(kinesis, { paused: true });
  await c.seek(300);
});

describe('the Logs view (L): the handlers\' CloudWatch lines', () => {
  it('collects START, END and REPORT for every invocation that ran code, up to the cursor', () => {
    const lines = c.handlerLogs();
    const starts = lines.filter((l) => l.line.startsWith('START RequestId: '));
    const reports = lines.filter((l) => l.line.startsWith('REPORT RequestId: '));
    expect(starts.length).toBeGreaterThan(0);
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports) expect(r.line).toMatch(/Duration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB/);
    expect(lines.every((l) => l.tick <= c.cursor)).toBe(true);
  });

  it('opens with L, walks the lines with j/k, g/G and PgUp, narrows to one invocation with enter, and esc goes back step by step', () => {
    let { ui } = keys(['L']);
    expect(ui.view).toEqual({ kind: 'logs', subject: 0, scroll: 0, requestId: undefined });
    expect(contextOf(ui)).toBe('view');
    const n = c.handlerLogs().length;
    ui = keys(['k', 'k', 'k'], ui).ui;
    expect(ui.view!.scroll).toBe(3);
    expect(keys(['g'], ui).ui.view!.scroll).toBe(n - 1);
    expect(keys(['G'], ui).ui.view!.scroll).toBe(0);
    expect(keys(['pageup'], ui).ui.view!.scroll).toBeGreaterThan(3);
    const selected = c.handlerLogs()[n - 1 - 3];
    ui = keys(['enter'], ui).ui;
    expect(ui.view!.requestId).toBe(selected.requestId);
    const only = c.handlerLogs({ requestId: selected.requestId });
    expect(only.map((l) => l.line.split(' ')[0])).toEqual(expect.arrayContaining(['START', 'END', 'REPORT']));
    ui = keys(['esc'], ui).ui;
    expect(ui.view).toMatchObject({ kind: 'logs', requestId: undefined });
    expect(keys(['esc'], ui).ui.view).toBeUndefined();
    expect(keys(['L'], ui).ui.view).toBeUndefined();
  });

  it('moves between all functions and each function with h/l, and keeps the time keys', () => {
    const { ui } = keys(['L', 'l']);
    expect(logFunctionAt(kinesis, ui.view!.subject)).toBe('processor');
    expect(logFunctionAt(kinesis, keys(['h'], ui).ui.view!.subject)).toBeUndefined();
    expect(keys(['space', 'n', 'b', ']', '+'], ui).commands.map((x) => x.type)).toEqual(['togglePause', 'step', 'back', 'jumpNotable', 'faster']);
    expect(keys(['q'], ui).commands).toEqual([{ type: 'quit' }]);
  });

  it('draws the lines, the selection and the honest note on Max Memory Used', async () => {
    const short = { ...kinesis, durationMs: 20_000 };
    const { finalFrame } = await playScript(short, { columns: 100, rows: 30, speed: 10, presses: parseKeysScript('1500ms:space 100ms:L 100ms:k') });
    const text = finalFrame.replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toMatch(/\[0 Logs\]=+ all functions {2}\d+ lines {2}scrolled 1 /);
    expect(text).toMatch(/\| \d\d:\d\d\.\d processor START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(text).toMatch(/REPORT RequestId: [0-9a-f-]{36} {2}Duration: \d+\.\d\d ms/);
    expect(text).toMatch(/^\|>\d\d:\d\d\.\d processor /m);
    expect(text).toContain(MAX_MEMORY_NOTE);
  });
});

describe('the Metrics view (m)', () => {
  it('opens on the selected row\'s subject: shard-3 from its Sources row, the function from Concurrency', () => {
    const rows = paneRows(viewOf(initialUiState()), 'sources');
    const shard3 = rows.findIndex((r) => r.subject?.includes('0003'));
    expect(shard3).toBeGreaterThan(0);
    const down = Array.from({ length: shard3 }, () => 'j');
    const { ui } = keys([...down, 'm']);
    const subjects = metricSubjects(c.metrics, c.snapshot);
    expect(subjects[ui.view!.subject].id).toBe(rows[shard3].subject);
    expect(subjects[keys(['2', 'j', 'm']).ui.view!.subject].id).toBe('function/processor');
    const next = keys(['l'], ui).ui.view!.subject;
    expect(next).toBe((ui.view!.subject + 1) % subjects.length);
    expect(keys(['m'], ui).ui.view).toBeUndefined();
  });

  it('charts shard-3\'s iterator age up to the cursor with its peak and when', async () => {
    const short = { ...kinesis, durationMs: 60_000 };
    const { finalFrame } = await playScript(short, { columns: 100, rows: 30, speed: 10, presses: parseKeysScript('6s:space 100ms:j j j j 100ms:m') });
    const text = finalFrame.replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toMatch(/Metrics -+ orders shard-3 \(processor\) {2}\(\d of \d, h\/l\) {2}up to 01:00\.0/);
    const peak = /IteratorAge {2}now \S+ {2}peak (\S+) at (\d\d:\d\d\.\d)/.exec(text);
    expect(peak).not.toBeNull();
    expect(text).toMatch(/[\u2801-\u28ff]/);
    expect(text).toMatch(/00:00\.0 -+ 01:00\.0/);
  });
});

describe('the Cost view (c) and the header\'s cost', () => {
  it('shows the total at the cursor in the header and a breakdown whose causes add up to it', async () => {
    const cost = snapshotCost(kinesis, c.snapshot, { prices: US_EAST_1 });
    const rows = costRows(cost, c.snapshot.t).map((r) => r.text);
    expect(rows[0]).toContain(`${formatUsd(cost.totalUsd)} so far`);
    expect(rows).toContainEqual(expect.stringMatching(/^ {2}processor \(x86_64, 128 MB\) {2}\d+ requests/));
    for (const cause of ['firstAttempts', 'retries', 'redrives', 'coldStarts', 'provisionedIdle', 'polling']) expect(rows.some((r) => r.trim().startsWith(cause))).toBe(true);
    // kinesis-error has no bus: the default one, always there and unused, is not listed (as in the summary).
    expect(rows.some((r) => r.includes('default (bus)'))).toBe(false);
    const causes = Object.values(cost.causes).reduce((a, b) => a + b, 0);
    expect(Math.abs(causes - cost.totalUsd)).toBeLessThan(1e-9);
    const { finalFrame } = await playScript({ ...kinesis, durationMs: 10_000 }, { columns: 100, rows: 30, speed: 10, presses: parseKeysScript('500ms:space 100ms:c') });
    const text = finalFrame.replace(/\x1b\[[0-9;]*m/g, '');
    const header = /cost (\$[\d.]+)/.exec(text);
    expect(header).not.toBeNull();
    expect(text).toContain(`${header![1]} so far`);
    expect(text).toMatch(/\[?0 Cost\]?/);
  });
});

describe('navigation people\'s habits expect', () => {
  it('Shift-Tab and h go to the previous pane, l to the next', () => {
    expect(keys(['shift-tab']).ui.focus).toBe('log');
    expect(keys(['h']).ui.focus).toBe('log');
    expect(keys(['l']).ui.focus).toBe('concurrency');
    expect(keys(['l', 'h']).ui.focus).toBe('sources');
  });

  it('g/G go to the first and last row, PgDn/PgUp by a page; on the log they scroll to its ends', () => {
    const rows = paneRows(viewOf(initialUiState()), 'sources');
    const last = keys(['G']).ui;
    expect(rows[last.selected.sources]).toBeDefined();
    expect(last.selected.sources).toBeGreaterThan(0);
    expect(keys(['G', 'g']).ui.selected.sources).toBe(0);
    expect(keys(['pagedown']).ui.selected.sources).toBeGreaterThan(1);
    expect(keys(['pagedown', 'pageup']).ui.selected.sources).toBe(0);
    const log = keys(['5', 'g']).ui;
    expect(log.logScroll).toBeGreaterThan(0);
    expect(keys(['G'], log).ui.logScroll).toBe(0);
  });

  it('z zooms the focused pane to the whole body and back (z or esc); its rows are laid out at that size', () => {
    const zoomed = keys(['z']).ui;
    expect(zoomed.zoom).toBe(true);
    const l = layout({ columns: 100, rows: 30 })!;
    expect(paneBox(viewOf(zoomed), 'sources')).toEqual({ width: 100, height: l.bodyHeight });
    expect(paneBox(viewOf(initialUiState()), 'sources')).toEqual({ width: l.leftWidth, height: l.topHeight });
    // Wider, the ledger rows stop wrapping.
    expect(paneRows(viewOf(zoomed), 'sources').length).toBeLessThan(paneRows(viewOf(initialUiState()), 'sources').length);
    expect(keys(['z'], zoomed).ui.zoom).toBe(false);
    expect(keys(['esc'], zoomed).ui.zoom).toBe(false);
  });
});
