import { beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/scenario/model.js';
import { loadScenario } from '../../src/scenario/load.js';
import { Controller } from '../../src/ui/controller.js';
import { footerHints, KEYMAP } from '../../src/ui/keymap.js';
import { layout } from '../../src/ui/layout.js';
import { FAULT_MENU, helpRows } from '../../src/ui/Overlays.js';
import { type DashboardView, PANE_REGISTRY, type PaneDef, paneBoxes, paneListLine, paneRows, panesFor } from '../../src/ui/panes.js';
import { initialUiState, type UiAction, type UiState, update } from '../../src/ui/update.js';

let kinesis: Model;
let view: DashboardView;

beforeAll(async () => {
  kinesis = (await loadScenario('scenarios/kinesis-error.ts')).model;
  const c = new Controller(kinesis, { paused: true, historySize: 10 });
  while (!(c.snapshot.destinations['orders-failed'] && Object.keys(c.snapshot.inFlight).length > 0)) {
    if (c.snapshot.tick > 3000) throw new Error('kinesis-error never delivered to orders-failed');
    await c.seek(c.snapshot.tick + 5);
  }
  view = { state: c.snapshot, model: kinesis, layout: layout({ columns: 100, rows: 30 }), logLines: c.logLines() };
});

/** Applies keys in order, collecting every command. */
function keys(names: string[], from: UiState = initialUiState(), v: DashboardView = view) {
  let ui = from;
  const commands = [];
  for (const key of names) {
    const result = update(ui, { type: 'key', key } satisfies UiAction, v);
    ui = result.ui;
    commands.push(...result.commands);
  }
  return { ui, commands };
}

describe('update: a pure function of UI state, action and view', () => {
  it('gives the same result for the same arguments and never changes its input', () => {
    const ui = initialUiState();
    const frozen = JSON.stringify(ui);
    expect(update(ui, { type: 'key', key: 'tab' }, view)).toEqual(update(ui, { type: 'key', key: 'tab' }, view));
    expect(JSON.stringify(ui)).toBe(frozen);
  });

  it('focuses panes by name: tab in registry order, digits by number', () => {
    expect(keys(['tab']).ui.focus).toBe('concurrency');
    expect(keys(['tab', 'tab', 'tab', 'tab', 'tab']).ui.focus).toBe('sources');
    expect(keys(['3']).ui.focus).toBe('inFlight');
    expect(keys(['5']).ui.focus).toBe('log');
    expect(keys(['9']).ui.focus).toBe('sources');
  });

  it('keeps a selection per pane name, clamped to the rows there are', () => {
    const { ui } = keys(['j', 'j', '4', 'j']);
    expect(ui.selected).toEqual({ sources: 2, destinations: 1 });
    const many = keys(Array.from({ length: 100 }, () => 'j')).ui;
    expect(many.selected.sources).toBe(paneRows(view, 'sources').length - 1);
  });

  it('scrolls a pane without rows (the log) instead of selecting', () => {
    const { ui } = keys(['5', 'k', 'k', 'j']);
    expect(ui.logScroll).toBe(1);
    expect(ui.selected).toEqual({});
  });

  it('quits with q, and with Ctrl-C as an interrupt (the CLI exits 130)', () => {
    expect(keys(['q']).commands).toEqual([{ type: 'quit' }]);
    expect(keys(['ctrl-c']).commands).toEqual([{ type: 'quit', interrupted: true }]);
  });

  it('turns controller work into commands, not calls', () => {
    expect(keys(['space', 'n', 'b', '+', '-', 'q']).commands).toEqual([
      { type: 'togglePause' },
      { type: 'step' },
      { type: 'back' },
      { type: 'faster' },
      { type: 'slower' },
      { type: 'quit' },
    ]);
    const restarted = keys(['j', 'r']);
    expect(restarted.commands).toEqual([{ type: 'restart' }]);
    expect(restarted.ui.selected).toEqual({});
  });

  it('inspects a value the snapshot holds at once, and asks the shell for a module key', () => {
    const destination = keys(['4', 'enter']).ui;
    expect(destination.overlay?.kind).toBe('inspect');
    const batch = keys(['3', 'enter']);
    expect(batch.commands).toEqual([{ type: 'inspect', title: expect.stringMatching(/^processor batch /), module: 'stream', key: expect.any(String) }]);
    const shown = update(batch.ui, { type: 'inspected', title: 't', value: { a: 1 } }, view).ui;
    expect(shown.overlay).toEqual({ kind: 'inspect', title: 't', lines: ['{', '  "a": 1', '}'], scroll: 0, value: { a: 1 }, width: view.layout!.columns - 3 });
  });

  it('injects the fault menu entry chosen, with its own preset and label', () => {
    const { ui, commands } = keys(['f', 'j', 'enter']);
    expect(ui.overlay).toBeUndefined();
    expect(commands).toEqual([{ type: 'injectFault', preset: FAULT_MENU[1].preset('processor'), label: FAULT_MENU[1].label }]);
    expect(FAULT_MENU[1].preset('processor')).toEqual({ kind: 'throttle', fn: 'processor', forMs: 10_000 });
  });

  it('takes printable keys as filter text while typing one, and focuses the log', () => {
    const { ui } = keys(['/', 's', 'space', 'x', 'backspace', 'enter']);
    expect(ui).toMatchObject({ filter: 's ', filterDraft: undefined, focus: 'log' });
    expect(update(keys(['/']).ui, { type: 'key', key: 'x', modified: true }, view).ui.filterDraft).toBe('');
  });

  it('only quits when the terminal is too small for a layout', () => {
    const small = { ...view, layout: undefined };
    expect(keys(['tab', 'space'], initialUiState(), small)).toEqual({ ui: initialUiState(), commands: [] });
    expect(keys(['q'], initialUiState(), small).commands).toEqual([{ type: 'quit' }]);
  });
});

describe('the pane registry', () => {
  it('lists the panes in focus order with their places', () => {
    expect(panesFor(kinesis).map((p) => [p.name, p.title, p.place])).toEqual([
      ['sources', 'Sources', 'top-left'],
      ['concurrency', 'Concurrency', 'top-right'],
      ['inFlight', 'In flight', 'mid-left'],
      ['destinations', 'Destinations', 'mid-right'],
      ['log', 'Log', 'bottom'],
    ]);
    expect(new Set(PANE_REGISTRY.map((p) => p.name)).size).toBe(PANE_REGISTRY.length);
    for (const p of PANE_REGISTRY) expect(p.legend.length).toBeGreaterThan(20);
  });

  it('names the panes in the help from the registry', () => {
    expect(paneListLine(kinesis)).toBe('panes: 1 Sources  2 Concurrency  3 In flight  4 Destinations  5 Log');
    expect(helpRows(kinesis).at(-1)?.text).toBe(paneListLine(kinesis));
  });

  it('gives a new entry in an occupied cell a share of its height, and the layout stays whole', () => {
    const l = layout({ columns: 100, rows: 30 })!;
    // The registry's own Deployments pane sits top-left too; the check is on the five panes plus a new one.
    const extra: PaneDef = { ...PANE_REGISTRY[0], name: 'extra', title: 'Extra', place: 'top-left' };
    const boxes = paneBoxes(l, [...PANE_REGISTRY.filter((p) => p.name !== 'deployments'), extra]);
    expect(boxes.get('sources')!.height + boxes.get('extra')!.height).toBe(l.topHeight);
    expect(boxes.get('concurrency')).toEqual({ width: l.rightWidth, height: l.topHeight });
  });
});

describe('footer hints come from the bindings of the active context', () => {
  it('reads the same as the hand-written hints did', () => {
    expect(footerHints(200, 'fault menu')).toBe('j/k fault  h/l function  enter inject  esc close');
    expect(footerHints(200, 'overlay')).toBe('j/k scroll  / search  s save  esc close');
    expect(footerHints(200, 'filter')).toBe('enter keep  esc clear');
    expect(footerHints(200)).toContain('+/- speed');
  });

  it('hints only keys that the context really binds', () => {
    for (const b of KEYMAP.filter((k) => k.hint)) {
      const shown = b.hintKeys?.split('/') ?? [b.keys[0]];
      for (const key of shown) {
        expect(KEYMAP.some((k) => k.context === b.context && k.keys.includes(key))).toBe(true);
      }
    }
  });
});
