/**
 * The dashboard: header, five panes, log and key hints, laid out for the terminal's size; overlays for
 * help, inspect and the fault menu. It renders the controller's snapshot and keeps only UI state
 * (focus, selection, scroll, filter, overlay). Keys go through the keymap (keymap.ts). Time does not
 * move here: the shell (run-dashboard.ts, or a scripted run) calls controller.advanceWall.
 */
import { Box, type Key, Text, useInput } from 'ink';
import { useEffect, useReducer, useRef } from 'react';
import { ConcurrencyPane, concurrencyRows } from './ConcurrencyPane.js';
import type { Controller } from './controller.js';
import { DestinationsPane, destinationsRows } from './DestinationsPane.js';
import { fit } from './format.js';
import { Header } from './Header.js';
import { InFlightPane, inFlightRows } from './InFlightPane.js';
import { type Action, bindingFor, footerHints, keyName } from './keymap.js';
import { type Layout, layout, MIN_SIZE } from './layout.js';
import { LogPane } from './LogPane.js';
import { FAULT_MENU, FaultMenu, HelpOverlay, helpRows, InspectOverlay, inspectLines } from './Overlays.js';
import type { PaneRow } from './pane-row.js';
import { SourcesPane, sourcesRows } from './SourcesPane.js';
import { TooSmall } from './TooSmall.js';
import type { KeyName } from './keys-script.js';

/**
 * The panes in focus order (tab, and the digit keys 1..5).
 *
 * @example PANES[4] // 'Log'
 */
export const PANES = ['Sources', 'Concurrency', 'In flight', 'Destinations', 'Log'] as const;
const LOG = 4;

/** An Ink Key with no flags: a plain character. */
const PLAIN_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** Lines of the log the Log pane asks the controller for: enough to scroll back through. */
const LOG_LINES_SHOWN = 500;

type Overlay =
  | { kind: 'help'; scroll: number }
  | { kind: 'inspect'; title: string; lines: string[]; scroll: number }
  | { kind: 'fault'; item: number; fnIndex: number };

/**
 * The dashboard's own state: nothing about the simulation.
 *
 * @example const ui: UiState = initialUiState();
 */
export interface UiState {
  focus: number;
  selected: number[];
  logScroll: number;
  filter: string;
  filterDraft?: string;
  overlay?: Overlay;
  message?: { text: string; tone: 'info' | 'bad' };
}

/**
 * A fresh UI state: Sources focused, first rows selected, log following.
 *
 * @example initialUiState().focus // 0
 */
export function initialUiState(): UiState {
  return { focus: 0, selected: [0, 0, 0, 0, 0], logScroll: 0, filter: '' };
}

/**
 * Props of the App.
 *
 * @example <App controller={controller} size={{ columns: 100, rows: 30 }} onQuit={() => app.unmount()} />
 */
export interface AppProps {
  controller: Controller;
  /** The terminal size; the shell follows 'resize' and passes the new one. */
  size: { columns: number; rows: number };
  onQuit: () => void;
}

/** The dashboard. */
export function App({ controller, size, onQuit }: AppProps) {
  const ui = useRef<UiState>(initialUiState());
  const [, repaint] = useReducer((n: number) => n + 1, 0);
  useEffect(() => controller.onChange(repaint), [controller]);
  const frame = layout(size, { longDescription: controller.model.description.length > size.columns - 1 });

  const rowsFor = (pane: number, l: Layout): PaneRow[] => {
    const state = controller.snapshot;
    if (pane === 0) return sourcesRows(state, controller.model, l.leftWidth - 3, l.topHeight - 2);
    if (pane === 1) return concurrencyRows(state, l.rightWidth - 3);
    if (pane === 2) return inFlightRows(state, l.leftWidth - 3);
    if (pane === 3) return destinationsRows(state, l.rightWidth - 3);
    return [];
  };

  useInput((input, key) => {
    // Presses that reach stdin in one read (fast typing, a paste, tmux send-keys) arrive as one string:
    // take them one character at a time, as the keys they are.
    if (input.length > 1 && !key.ctrl && !key.meta && !input.startsWith('\x1b')) {
      for (const ch of input) onKey(ch, PLAIN_KEY);
      return;
    }
    onKey(input, key);
  });

  const onKey = (input: string, key: Key): void => {
    const name = keyName(input, key);
    if (name === undefined) return;
    const s = ui.current;
    const context = s.overlay ? (s.overlay.kind === 'fault' ? 'fault menu' : 'overlay') : s.filterDraft !== undefined ? 'filter' : 'dashboard';
    if (!frame) {
      // Too small: only quitting makes sense.
      if (name === 'q' || name === 'ctrl-c') onQuit();
      return;
    }
    const binding = bindingFor(name, context);
    if (!binding) {
      if (context === 'filter' && (input.length === 1 || name === 'space') && !key.ctrl && !key.meta) {
        ui.current = { ...s, filterDraft: s.filterDraft + (name === 'space' ? ' ' : input) };
        repaint();
      }
      return;
    }
    const next = act(binding.action, name, s, frame);
    if (next !== s) {
      ui.current = next;
      repaint();
    }
  };

  const act = (action: Action, name: KeyName, s: UiState, l: Layout): UiState => {
    const s1: UiState = s.message && action !== 'inspect' ? { ...s, message: undefined } : s;
    const functions = Object.keys(controller.model.functions);
    switch (action) {
      case 'quit':
        onQuit();
        return s1;
      case 'togglePause':
        controller.togglePause();
        return s1;
      case 'step':
        void controller.step();
        return s1;
      case 'back':
        void controller.back();
        return s1;
      case 'faster':
        controller.faster();
        return s1;
      case 'slower':
        controller.slower();
        return s1;
      case 'restart':
        void controller.restart();
        return { ...s1, selected: [0, 0, 0, 0, 0], logScroll: 0, message: { text: 'restarted from t=0 with the same seed; live faults cleared', tone: 'info' } };
      case 'nextPane':
        return { ...s1, focus: (s1.focus + 1) % PANES.length };
      case 'focusPane': {
        const pane = Number(name) - 1;
        return pane >= 0 && pane < PANES.length ? { ...s1, focus: pane } : s1;
      }
      case 'down':
      case 'up': {
        const delta = action === 'down' ? 1 : -1;
        if (s1.overlay && s1.overlay.kind !== 'fault') {
          const total = s1.overlay.kind === 'help' ? helpRows().length : s1.overlay.lines.length;
          const max = Math.max(0, total - (l.bodyHeight - 2));
          return { ...s1, overlay: { ...s1.overlay, scroll: Math.max(0, Math.min(max, s1.overlay.scroll + delta)) } };
        }
        if (s1.focus === LOG) return { ...s1, logScroll: Math.max(0, s1.logScroll - delta) };
        const count = rowsFor(s1.focus, l).length;
        const selected = [...s1.selected];
        selected[s1.focus] = Math.max(0, Math.min(count - 1, selected[s1.focus] + delta));
        return { ...s1, selected };
      }
      case 'inspect': {
        if (s1.focus === LOG) return { ...s1, message: { text: 'the log has nothing to inspect: select a row in panes 1-4', tone: 'info' } };
        const rows = rowsFor(s1.focus, l);
        const row = rows[Math.min(s1.selected[s1.focus], rows.length - 1)];
        const target = row?.target;
        if (!target) return { ...s1, message: { text: 'nothing to inspect on this row', tone: 'info' } };
        const value = 'value' in target ? target.value : controller.inspect(target.module, target.key);
        return { ...s1, overlay: { kind: 'inspect', title: target.title, lines: inspectLines(value), scroll: 0 } };
      }
      case 'close':
        return { ...s1, overlay: undefined };
      case 'help':
        return { ...s1, overlay: { kind: 'help', scroll: 0 } };
      case 'faultMenu': {
        const fn = s1.focus === 2 ? controller.snapshot.inFlight[Object.keys(controller.snapshot.inFlight)[0]]?.fn : undefined;
        const fromConcurrency = s1.focus === 1 ? functions[Math.max(0, s1.selected[1] - 1)] : undefined;
        const fnIndex = Math.max(0, functions.indexOf(fromConcurrency ?? fn ?? functions[0]));
        return { ...s1, overlay: { kind: 'fault', item: 0, fnIndex } };
      }
      case 'menuDown':
      case 'menuUp': {
        if (s1.overlay?.kind !== 'fault') return s1;
        const item = (s1.overlay.item + (action === 'menuDown' ? 1 : FAULT_MENU.length - 1)) % FAULT_MENU.length;
        return { ...s1, overlay: { ...s1.overlay, item } };
      }
      case 'menuNextFunction':
      case 'menuPrevFunction': {
        if (s1.overlay?.kind !== 'fault' || functions.length === 0) return s1;
        const fnIndex = (s1.overlay.fnIndex + (action === 'menuNextFunction' ? 1 : functions.length - 1)) % functions.length;
        return { ...s1, overlay: { ...s1.overlay, fnIndex } };
      }
      case 'menuChoose': {
        if (s1.overlay?.kind !== 'fault') return s1;
        const fn = functions[s1.overlay.fnIndex];
        if (!fn) return { ...s1, overlay: undefined };
        const item = s1.overlay.item;
        const preset = item === 0 ? ({ kind: 'poison', fn } as const) : item === 1 ? ({ kind: 'throttle', fn, forMs: 10_000 } as const) : ({ kind: 'failNext', fn, count: 3 } as const);
        controller.injectPreset(preset).then(
          (fault) => {
            ui.current = { ...ui.current, message: { text: `fault ${fault.index} injected: ${FAULT_MENU[item].label} -> ${fn}`, tone: 'info' } };
            repaint();
          },
          (error: unknown) => {
            ui.current = { ...ui.current, message: { text: `no fault injected: ${error instanceof Error ? error.message : String(error)}`, tone: 'bad' } };
            repaint();
          },
        );
        return { ...s1, overlay: undefined };
      }
      case 'filter':
        return { ...s1, filterDraft: s1.filter, focus: LOG };
      case 'filterApply':
        return { ...s1, filter: s1.filterDraft ?? s1.filter, filterDraft: undefined, logScroll: 0 };
      case 'filterCancel':
        return { ...s1, filter: '', filterDraft: undefined, logScroll: 0 };
      case 'filterErase':
        return { ...s1, filterDraft: (s1.filterDraft ?? '').slice(0, -1) };
      default:
        return s1;
    }
  };

  if (!frame) return <TooSmall min={MIN_SIZE} now={size} />;
  const s = ui.current;
  const state = controller.snapshot;
  const l = frame;
  const clamp = (pane: number) => {
    const n = rowsFor(pane, l).length;
    return Math.max(0, Math.min(s.selected[pane], n - 1));
  };
  const error = controller.error;
  const message = error ? { text: `error: ${error instanceof Error ? error.message : String(error)}`, tone: 'bad' as const } : s.message;
  const filter = s.filterDraft ?? s.filter;
  const footer =
    s.overlay?.kind === 'fault'
      ? 'j/k fault  h/l function  enter inject  esc close'
      : s.overlay
        ? 'j/k scroll  esc close'
        : s.filterDraft !== undefined
          ? `filter: ${s.filterDraft}_   enter keep  esc clear`
          : footerHints(l.columns - 1);
  return (
    <Box flexDirection="column" width={l.columns} height={l.height}>
      <Header
        name={controller.model.name}
        description={controller.model.description}
        t={state.t}
        tick={state.tick}
        speed={controller.speed}
        achievedSpeed={controller.achievedSpeed}
        paused={controller.paused}
        seed={controller.seed}
        width={l.columns}
        lines={l.headerLines}
        headTick={controller.inPast ? controller.headTick : undefined}
        ended={state.t >= controller.model.durationMs}
        message={message}
      />
      {s.overlay?.kind === 'help' ? (
        <HelpOverlay width={l.columns} height={l.bodyHeight} scroll={s.overlay.scroll} />
      ) : s.overlay?.kind === 'inspect' ? (
        <InspectOverlay title={s.overlay.title} lines={s.overlay.lines} width={l.columns} height={l.bodyHeight} scroll={s.overlay.scroll} />
      ) : s.overlay?.kind === 'fault' ? (
        <FaultMenu functions={Object.keys(controller.model.functions)} fnIndex={s.overlay.fnIndex} item={s.overlay.item} width={l.columns} height={l.bodyHeight} />
      ) : (
        <>
          <Box height={l.topHeight}>
            <SourcesPane state={state} model={controller.model} width={l.leftWidth} height={l.topHeight} focused={s.focus === 0} selected={clamp(0)} />
            <ConcurrencyPane state={state} width={l.rightWidth} height={l.topHeight} focused={s.focus === 1} selected={clamp(1)} />
          </Box>
          <Box height={l.midHeight}>
            <InFlightPane state={state} width={l.leftWidth} height={l.midHeight} focused={s.focus === 2} selected={clamp(2)} />
            <DestinationsPane state={state} width={l.rightWidth} height={l.midHeight} focused={s.focus === 3} selected={clamp(3)} />
          </Box>
          <LogPane
            lines={controller.logLines(filter, LOG_LINES_SHOWN)}
            width={l.columns}
            height={l.logHeight}
            focused={s.focus === LOG}
            scroll={s.logScroll}
            filter={filter}
            editing={s.filterDraft !== undefined}
          />
        </>
      )}
      <Text wrap="truncate" color="gray">
        {fit(` ${footer}`, l.columns)}
      </Text>
    </Box>
  );
}
