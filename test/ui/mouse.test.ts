/**
 * The mouse (issue 14, item 3): reports are taken out of the input before Ink reads keys, the wheel
 * scrolls what is under the pointer, a click focuses a pane or goes to a time on the timeline, and the
 * terminal's mouse mode is turned on only in a terminal and always off again.
 */
import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Model } from '../../src/scenario/model.js';
import { loadScenario } from '../../src/scenario/load.js';
import { Controller } from '../../src/ui/controller.js';
import { holdSplitEscapes, type MouseReport, takeMouseReports } from '../../src/ui/key-input.js';
import { layout } from '../../src/ui/layout.js';
import { type DashboardView, paneAt, paneBoxes, panesFor } from '../../src/ui/panes.js';
import { DISABLE_MOUSE, ENABLE_MOUSE, enableMouse, installRestore, type ProcessLike, restoreTerminal } from '../../src/ui/terminal.js';
import { timelineTickAt } from '../../src/ui/Timeline.js';
import { initialUiState, type UiState, update, WHEEL_LINES } from '../../src/ui/update.js';

let model: Model;
let view: DashboardView;

beforeAll(async () => {
  model = (await loadScenario('scenarios/kinesis-error.ts')).model;
  const c = new Controller(model, { paused: true, historySize: 10 });
  await c.seek(300);
  view = { state: c.snapshot, model, layout: layout({ columns: 100, rows: 30 }), logLines: c.logLines(), timelineEnd: 1800 };
});

const press = (x: number, y: number, button = 0): MouseReport => ({ button, x, y, release: false });
const mouse = (ui: UiState, report: MouseReport, v: DashboardView = view) => update(ui, { type: 'mouse', report }, v);

describe('mouse reports in the input', () => {
  it('are taken out of the keys, in order, 0-based; legacy X10 reports are dropped', () => {
    expect(takeMouseReports('j\x1b[<65;10;5Mk\x1b[<0;1;1m')).toEqual([
      'jk',
      [
        { button: 65, x: 9, y: 4, release: false },
        { button: 0, x: 0, y: 0, release: true },
      ],
    ]);
    expect(takeMouseReports('\x1b[M !!q')).toEqual(['q', []]);
    expect(takeMouseReports('\x1b[Aq')).toEqual(['\x1b[Aq', []]);
  });

  it('never reach Ink as keys, also when a report is split across reads', async () => {
    const source = Object.assign(new EventEmitter(), {
      chunks: [] as string[],
      isTTY: true,
      setEncoding() {},
      read(): string | null {
        return source.chunks.shift() ?? null;
      },
    });
    const held = holdSplitEscapes(source, { timeoutMs: 20 });
    const keys: string[] = [];
    const reports: MouseReport[] = [];
    held.on('readable', () => {
      let chunk: string | null;
      while ((chunk = held.read()) !== null) keys.push(chunk);
    });
    held.on('mouse', (r: MouseReport) => reports.push(r));
    source.chunks.push('\x1b[<64;12;');
    source.emit('readable');
    source.chunks.push('7Mq');
    source.emit('readable');
    await new Promise((r) => setTimeout(r, 40));
    expect(keys.join('')).toBe('q');
    expect(reports).toEqual([{ button: 64, x: 11, y: 6, release: false }]);
  });
});

describe('mouse mode of the terminal', () => {
  const stdout = (isTTY: boolean) => ({ isTTY, written: '', write(chunk: string) { this.written += chunk; return true; } });

  it('is turned on only when both ends are a terminal', () => {
    const pipe = stdout(false);
    expect(enableMouse(pipe, { isTTY: true })).toBe(false);
    const noInput = stdout(true);
    expect(enableMouse(noInput, { isTTY: false })).toBe(false);
    expect(pipe.written + noInput.written).toBe('');
    const tty = stdout(true);
    expect(enableMouse(tty, { isTTY: true })).toBe(true);
    expect(tty.written).toBe(ENABLE_MOUSE);
  });

  it('is turned off by the restore, on a crash as on a quit, once', () => {
    const tty = stdout(true);
    const proc = Object.assign(new EventEmitter(), { pid: 1, kill: vi.fn() }) as EventEmitter & ProcessLike;
    enableMouse(tty, { isTTY: true });
    installRestore(tty, { isTTY: true }, { process: proc });
    proc.emit('uncaughtExceptionMonitor', new Error('boom'));
    expect(tty.written.split(DISABLE_MOUSE).length - 1).toBe(1);
    restoreTerminal(tty);
    expect(tty.written.split(DISABLE_MOUSE).length - 1).toBe(1);
    // A stream that never had it is never sent the sequence.
    const other = stdout(true);
    restoreTerminal(other);
    expect(other.written).not.toContain(DISABLE_MOUSE);
  });
});

describe('where the mouse lands', () => {
  it('finds each pane by the cells it is drawn in at 100x30', () => {
    const l = view.layout!;
    const boxes = paneBoxes(l, panesFor(model));
    const top = l.headerLines;
    expect(paneAt(view, 0, 0)).toBeUndefined(); // the header
    expect(paneAt(view, 1, top)).toBe('sources');
    expect(paneAt(view, l.leftWidth, top)).toBe('concurrency');
    expect(paneAt(view, 1, top + l.topHeight)).toBe('inFlight');
    expect(paneAt(view, 99, top + l.topHeight + l.midHeight - 1)).toBe('destinations');
    expect(paneAt(view, 50, top + l.topHeight + l.midHeight)).toBe('log');
    expect(paneAt(view, 50, top + l.bodyHeight - 1)).toBe('log');
    expect(paneAt(view, 50, top + l.bodyHeight)).toBeUndefined(); // the timeline
    expect(boxes.get('log')!.height).toBe(l.logHeight);
    expect(paneAt({ ...view, zoomed: 'inFlight' }, 1, top)).toBe('inFlight');
  });

  it('maps a click on the timeline strip to the first tick of its cell', () => {
    expect(timelineTickAt(6, 1800, 100, 100)).toBeUndefined(); // the '['
    expect(timelineTickAt(7, 1800, 100, 100)).toBe(0);
    const cells = 100 - ' 0:00 '.length - ' 03:00.0 '.length - 2;
    expect(timelineTickAt(7 + cells - 1, 1800, 100, 100)).toBe(Math.ceil(((cells - 1) * 1801) / cells));
    expect(timelineTickAt(7 + cells, 1800, 100, 100)).toBeUndefined();
  });
});

describe('the wheel and a click', () => {
  const l = () => view.layout!;
  it('a click focuses the pane under it; a release, another button or the header does nothing', () => {
    const logY = l().headerLines + l().topHeight + l().midHeight + 1;
    expect(mouse(initialUiState(), press(10, logY)).ui.focus).toBe('log');
    expect(mouse(initialUiState(), press(l().leftWidth + 2, l().headerLines + 1)).ui.focus).toBe('concurrency');
    expect(mouse(initialUiState(), { ...press(10, logY), release: true }).ui.focus).toBe('sources');
    expect(mouse(initialUiState(), press(10, logY, 2)).ui.focus).toBe('sources');
    expect(mouse(initialUiState(), press(10, 0)).ui).toEqual(initialUiState());
  });

  it('a click on the timeline goes to that time', () => {
    const { commands } = mouse(initialUiState(), press(7, l().headerLines + l().bodyHeight));
    expect(commands).toEqual([{ type: 'seekTime', ms: 0 }]);
  });

  it('the wheel scrolls the log under the pointer by WHEEL_LINES a notch, and focuses it', () => {
    const logY = l().headerLines + l().topHeight + l().midHeight + 1;
    const up = mouse(initialUiState(), press(10, logY, 64)).ui;
    expect(up.focus).toBe('log');
    expect(up.logScroll).toBe(WHEEL_LINES);
    expect(mouse(up, press(10, logY, 65)).ui.logScroll).toBe(0);
  });

  it('the wheel moves a row pane\'s selection one row, and scrolls an open overlay instead of the panes', () => {
    const down = mouse(initialUiState(), press(2, l().headerLines + 2, 65)).ui;
    expect(down.focus).toBe('sources');
    expect(down.selected.sources).toBe(1);
    const help = update(initialUiState(), { type: 'key', key: '?' }, view).ui;
    const scrolled = mouse(help, press(2, l().headerLines + 2, 65)).ui;
    expect(scrolled.overlay).toMatchObject({ kind: 'help', scroll: WHEEL_LINES });
    expect(scrolled.selected).toEqual({});
  });

  it('does nothing while a filter is typed', () => {
    const typing = update(initialUiState(), { type: 'key', key: '/' }, view).ui;
    expect(mouse(typing, press(2, l().headerLines + 2)).ui).toBe(typing);
  });
});
