/**
 * The dashboard's update: a pure function from the UI state, an action and what is on screen to the
 * next UI state and the commands the shell runs (docs/dashboard.md). Nothing here touches the
 * controller, React or the terminal; App.tsx renders the state and runs the commands (runCommands),
 * whose results come back as actions (`inspected`, `notice`).
 *
 *     key press -> keyName -> { type: 'key' } --update--> { ui, commands } -> render(ui) + run(commands)
 *
 * Panes are known by name (panes.tsx), never by position; the keymap (keymap.ts) says which action a key
 * has in which context.
 *
 * @example
 * const { ui, commands } = update(initialUiState(), { type: 'key', key: 'space' }, view);
 * commands // [{ type: 'togglePause' }]
 */
import type { TraceEvent } from '../engine/trace.js';
import type { FaultPreset } from './controller.js';
import { type Action, bindingFor, type KeyContext } from './keymap.js';
import type { KeyName } from './keys-script.js';
import { FAULT_MENU, type HelpAbout, helpRows, inspectLines } from './Overlays.js';
import { type PaneRow, rowId } from './pane-row.js';
import { logLineShown, logRows } from './LogPane.js';
import type { MouseReport } from './key-input.js';
import { type DashboardView, paneAt, paneBox, paneRows, panesFor } from './panes.js';
import { timelineTickAt } from './Timeline.js';
import { costRows, logFunctionAt, logFunctions, metricSubjects, metricsLines, subjectIndex, VIEWS, type ViewState } from './views.js';

export type { ViewState };

/**
 * What covers the panes for a moment.
 *
 * @example const overlay: Overlay = { kind: 'help', scroll: 0 };
 */
export type Overlay =
  | ({ kind: 'help'; scroll: number; about?: HelpAbout } & OverlaySearch)
  | ({ kind: 'inspect'; title: string; lines: string[]; scroll: number; value?: unknown; /** The width `lines` were wrapped to (fitOverlay). */ width?: number } & OverlaySearch)
  | { kind: 'fault'; item: number; fnIndex: number };

/**
 * A search inside the help or the inspector (`/`): what is being typed, what was searched for, and the
 * line of the current match.
 *
 * @example const found: OverlaySearch = { query: 'bisect', match: 12 };
 */
export interface OverlaySearch {
  /** Set while the search is being typed. */
  findDraft?: string;
  query?: string;
  match?: number;
}

/**
 * The dashboard's own state: nothing about the simulation. Panes are keyed by name.
 *
 * @example const ui: UiState = initialUiState();
 */
export interface UiState {
  /** The focused pane's name. */
  focus: string;
  /** The selected row per pane name (missing: 0). */
  selected: Readonly<Record<string, number>>;
  /** What the selected row is about, per pane (rowId): the selection follows it when rows move. */
  selectedId?: Readonly<Record<string, string | undefined>>;
  /** Lines the log is scrolled back from its newest line (0 follows it). */
  logScroll: number;
  filter: string;
  /** Set while the log filter is being typed. */
  filterDraft?: string;
  /** Set while a time to go to is being typed (`:`). */
  gotoDraft?: string;
  overlay?: Overlay;
  message?: { text: string; tone: 'info' | 'bad' };
  /** The Logs, Metrics or Cost view when one covers the panes (`L`, `m`, `c`). */
  view?: ViewState;
  /** The focused pane fills the body (`z`). */
  zoom?: boolean;
}

/**
 * A fresh UI state: Sources focused, first rows selected, log following.
 *
 * @example initialUiState().focus // 'sources'
 */
export function initialUiState(): UiState {
  return { focus: 'sources', selected: {}, logScroll: 0, filter: '' };
}

/**
 * What can happen to the UI: a key (mapped through the keymap in the current context), a binding's action
 * directly, or the result of a command the shell ran.
 *
 * @example const action: UiAction = { type: 'key', key: 'j' };
 */
export type UiAction =
  /** A key by its --keys name. `modified`: it came with Alt/Meta, so it is never text for the filter. */
  | { type: 'key'; key: KeyName; modified?: boolean }
  | { type: 'binding'; action: Action; key?: KeyName }
  /** The JSON an `inspect` command found. */
  | { type: 'inspected'; title: string; value: unknown }
  /** A line for the header (a fault injected, or why not). */
  | { type: 'notice'; text: string; tone: 'info' | 'bad' }
  /** A mouse report from the terminal (key-input.ts): the wheel scrolls, a click focuses. */
  | { type: 'mouse'; report: MouseReport };

/**
 * What the shell does for an update: calls on the controller, or leaving.
 *
 * @example const command: Command = { type: 'injectFault', preset: { kind: 'failNext', fn: 'processor', count: 3 }, label: 'fail the next 3 invocations' };
 */
export type Command =
  /** Leave the dashboard; `interrupted` when it was Ctrl-C (the CLI exits 130, as for SIGINT). */
  | { type: 'quit'; interrupted?: true }
  | { type: 'togglePause' }
  | { type: 'step' }
  | { type: 'back' }
  | { type: 'faster' }
  | { type: 'slower' }
  | { type: 'restart' }
  /** Ask the engine for the AWS-shaped JSON of a module's key; the answer comes back as `inspected`. */
  | { type: 'inspect'; title: string; module: string; key: string }
  /**
   * A Log line that tells an invocation: ask the engine for the event its handler received (a batch's
   * records, a message, a payload); `inspected` comes back with it and the line's trace events
   * (inspectedInvocation).
   */
  | { type: 'inspectInvocation'; title: string; start: Extract<TraceEvent, { type: 'invoke.start' }>; trace: readonly TraceEvent[] }
  /** Inject a fault; the outcome comes back as a `notice`. */
  | { type: 'injectFault'; preset: FaultPreset; label: string }
  /** Go to the next / previous notable event; where it landed comes back as a `notice`. */
  | { type: 'jumpNotable'; direction: 1 | -1 }
  /** Go to a simulated time, in ms. */
  | { type: 'seekTime'; ms: number }
  /** Write an inspected value to a file as JSON; where it went (or why not) comes back as a `notice`. */
  | { type: 'save'; title: string; value: unknown };

/**
 * What the inspector shows for an invocation's Log line: the stream batch's shard and checkpoint when it
 * has them, the event its handler received, then the line's trace events. When the engine no longer keeps
 * the event (a dashboard keeps an invocation's event while it is among the last few of its mapping or
 * module: docs/dashboard.md), `event` is null and `note` says so.
 *
 * @example inspectedInvocation({ event: { Records: [] } }, [start]) // { event: { Records: [] }, trace: [start] }
 */
export function inspectedInvocation(found: { event: unknown; batch?: Record<string, unknown> } | undefined, trace: readonly TraceEvent[]): unknown {
  if (found === undefined) return { event: null, note: 'no longer kept: the dashboard keeps the events of the last invocations of each mapping and caller', trace };
  return { ...(found.batch ? { batch: found.batch } : {}), event: found.event, trace };
}

/**
 * The result of one update.
 *
 * @example const { ui, commands }: UpdateResult = update(state, action, view);
 */
export interface UpdateResult {
  ui: UiState;
  commands: Command[];
}

/**
 * Which keymap context a UI state is in.
 *
 * @example contextOf(initialUiState()) // 'dashboard'
 */
export function contextOf(ui: UiState): KeyContext {
  if (ui.overlay) return ui.overlay.kind === 'fault' ? 'fault menu' : ui.overlay.findDraft !== undefined ? 'search' : 'overlay';
  if (ui.gotoDraft !== undefined) return 'go to';
  if (ui.filterDraft !== undefined) return 'filter';
  return ui.view ? 'view' : 'dashboard';
}

/**
 * The selected row of pane `name`, clamped to the rows it has now.
 *
 * @example selectedRow(ui, view, 'sources') // 0
 */
export function selectedRow(ui: UiState, view: DashboardView, name: string, rows: readonly PaneRow[] = paneRows(view, name)): number {
  const id = ui.selectedId?.[name];
  if (id !== undefined) {
    const at = rows.findIndex((r) => rowId(r) === id);
    if (at >= 0) return at;
  }
  return Math.max(0, Math.min(ui.selected[name] ?? 0, rows.length - 1));
}

/**
 * The row `delta` items away from `from`: the lines of one wrapped row (same rowId) count as one item.
 *
 * @example moveSelection(rows, 0, 1) // the first row of the next item
 */
export function moveSelection(rows: readonly PaneRow[], from: number, delta: 1 | -1): number {
  if (rows.length === 0) return 0;
  const id = rowId(rows[from]);
  let i = from + delta;
  while (i >= 0 && i < rows.length && id !== undefined && rowId(rows[i]) === id) i += delta;
  if (i < 0 || i >= rows.length) return from;
  // Land on the first line of the item.
  const landed = rowId(rows[i]);
  while (landed !== undefined && i > 0 && rowId(rows[i - 1]) === landed) i--;
  return i;
}

const none: Command[] = [];

/** Quitting with Ctrl-C is an interrupt; with q (or anything else) a plain quit. */
function quitCommand(key: KeyName | undefined): Command {
  return key === 'ctrl-c' ? { type: 'quit', interrupted: true } : { type: 'quit' };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A time as a person types it for `:`: a clock (`0:05`, `1:30.5`, `1:02:03`), durations with units
 * (`1m30s`, `90s`, `2m`, `500ms`, `1h5m`), or a bare number of seconds. Undefined when it is none.
 *
 * @example parseTimeInput('1m30s') // 90_000
 * @example parseTimeInput('0:05') // 5_000
 */
export function parseTimeInput(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  const clock = /^(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(t);
  if (clock) return Math.round(((Number(clock[1] ?? 0) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000);
  if (/^\d+(?:\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const parts = t.replace(/\s+/g, '').match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g);
  if (!parts || parts.join('') !== t.replace(/\s+/g, '')) return undefined;
  let ms = 0;
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part)!;
    ms += Number(m[1]) * UNIT_MS[m[2]];
  }
  return Math.round(ms);
}

/**
 * See the module comment. Pure: the same arguments always give the same result.
 *
 * @example update(initialUiState(), { type: 'key', key: 'tab' }, view).ui.focus // 'concurrency'
 */
export function update(ui: UiState, action: UiAction, view: DashboardView): UpdateResult {
  switch (action.type) {
    case 'key': {
      if (!view.layout) {
        // Too small: only quitting makes sense.
        return action.key === 'q' || action.key === 'ctrl-c' ? { ui, commands: [quitCommand(action.key)] } : { ui, commands: none };
      }
      const context = contextOf(ui);
      const binding = bindingFor(action.key, context);
      if (binding) return onBinding(ui, binding.action, action.key, view);
      if (context === 'filter' && !action.modified && (action.key.length === 1 || action.key === 'space')) {
        return { ui: { ...ui, filterDraft: ui.filterDraft + (action.key === 'space' ? ' ' : action.key) }, commands: none };
      }
      if (context === 'go to' && !action.modified && action.key.length === 1) {
        return { ui: { ...ui, gotoDraft: ui.gotoDraft + action.key }, commands: none };
      }
      if (context === 'search' && ui.overlay && ui.overlay.kind !== 'fault' && !action.modified && (action.key.length === 1 || action.key === 'space')) {
        return { ui: { ...ui, overlay: { ...ui.overlay, findDraft: (ui.overlay.findDraft ?? '') + (action.key === 'space' ? ' ' : action.key) } }, commands: none };
      }
      return { ui, commands: none };
    }
    case 'binding':
      return onBinding(ui, action.action, action.key, view);
    case 'inspected':
      return { ui: { ...ui, overlay: { kind: 'inspect', title: action.title, lines: inspectLines(action.value, inspectWidth(view.layout?.columns)), scroll: 0, value: action.value, width: inspectWidth(view.layout?.columns) } }, commands: none };
    case 'notice':
      return { ui: { ...ui, message: { text: action.text, tone: action.tone } }, commands: none };
    case 'mouse':
      return onMouse(ui, action.report, view);
  }
}

/** Lines one notch of the wheel scrolls text by (the log, an overlay, a view); a row pane's selection moves one row. */
export const WHEEL_LINES = 3;

/**
 * The wheel and the left button (docs/dashboard.md, "Mouse"): the wheel scrolls what is under the
 * pointer (an overlay or a view when one is open, else the pane there, which takes the focus); a click
 * focuses the pane under it, and a click on the timeline strip goes to that time. Releases, drags,
 * the other buttons and anything while a filter or a time is typed do nothing.
 */
function onMouse(ui: UiState, report: MouseReport, view: DashboardView): UpdateResult {
  const l = view.layout;
  const context = contextOf(ui);
  if (!l || report.release || context === 'filter' || context === 'go to') return { ui, commands: none };
  const button = report.button & ~(4 | 8 | 16);
  const wheel = button === 64 ? 'up' : button === 65 ? 'down' : undefined;
  if (wheel) {
    if (context === 'fault menu') return onBinding(ui, wheel === 'up' ? 'menuUp' : 'menuDown', undefined, view);
    let s = ui;
    let times = WHEEL_LINES;
    if (context === 'dashboard') {
      const pane = paneAt(view, report.x, report.y);
      if (!pane) return { ui, commands: none };
      s = { ...s, focus: pane };
      if (panesFor(view.model).find((p) => p.name === pane)?.rows !== undefined) times = 1;
    }
    for (let i = 0; i < times; i++) s = onBinding(s, wheel, undefined, view).ui;
    return { ui: s, commands: none };
  }
  if (button !== 0 || context !== 'dashboard') return { ui, commands: none };
  if (l.timelineHeight && report.y === l.headerLines + l.bodyHeight && view.timelineEnd !== undefined) {
    const tick = timelineTickAt(report.x, view.timelineEnd, view.model.tickMs, l.columns);
    return tick === undefined ? { ui, commands: none } : { ui, commands: [{ type: 'seekTime', ms: tick * view.model.tickMs }] };
  }
  const pane = paneAt(view, report.x, report.y);
  return pane && pane !== ui.focus ? { ui: { ...ui, focus: pane }, commands: none } : { ui, commands: none };
}

function onBinding(ui: UiState, action: Action, key: KeyName | undefined, view: DashboardView): UpdateResult {
  // A message stays until the next key, except the one that explains why there was nothing to inspect.
  const s: UiState = ui.message && action !== 'inspect' ? { ...ui, message: undefined } : ui;
  const only = (next: UiState): UpdateResult => ({ ui: next, commands: none });
  const run = (command: Command): UpdateResult => ({ ui: s, commands: [command] });
  const panes = panesFor(view.model);
  const functions = Object.keys(view.model.functions);
  const l = view.layout!;
  if (s.view && contextOf(s) === 'view') {
    const handled = onViewBinding(s, s.view, action, view);
    if (handled) return handled;
  }
  switch (action) {
    case 'quit':
      return run(quitCommand(key));
    case 'togglePause':
    case 'step':
    case 'back':
    case 'faster':
    case 'slower':
      return run({ type: action });
    case 'restart':
      return {
        ui: { ...s, selected: {}, selectedId: {}, logScroll: 0, message: { text: 'restarted from t=0 with the same seed; live faults cleared', tone: 'info' } },
        commands: [{ type: 'restart' }],
      };
    case 'nextPane':
    case 'prevPane': {
      const i = panes.findIndex((p) => p.name === s.focus);
      const step = action === 'nextPane' ? 1 : panes.length - 1;
      return only({ ...s, focus: panes[(Math.max(0, i) + step) % panes.length].name });
    }
    case 'zoom':
      return only({ ...s, zoom: !s.zoom });
    case 'pageDown':
    case 'pageUp':
    case 'top':
    case 'bottom':
      if (s.overlay && s.overlay.kind !== 'fault') {
        // The help or the inspector: a page (the body less its borders) or to an end.
        const total = overlayLines(s.overlay, view).length;
        const page = Math.max(1, l.bodyHeight - 3);
        const max = Math.max(0, total - (l.bodyHeight - 2));
        const to = action === 'top' ? 0 : action === 'bottom' ? max : s.overlay.scroll + (action === 'pageDown' ? page : -page);
        return only({ ...s, overlay: { ...s.overlay, scroll: Math.max(0, Math.min(max, to)) } });
      }
      return only(movePane(s, action, view));
    case 'logsView':
    case 'metricsView':
    case 'costView':
      return only(openView(s, action, view));
    case 'focusPane': {
      const pane = panes[Number(key) - 1];
      return only(pane ? { ...s, focus: pane.name } : s);
    }
    case 'down':
    case 'up': {
      const delta = action === 'down' ? 1 : -1;
      if (s.overlay && s.overlay.kind !== 'fault') {
        const total = s.overlay.kind === 'help' ? helpRows(view.model, s.overlay.about, l.columns - 3).length : s.overlay.lines.length;
        const max = Math.max(0, total - (l.bodyHeight - 2));
        return only({ ...s, overlay: { ...s.overlay, scroll: Math.max(0, Math.min(max, s.overlay.scroll + delta)) } });
      }
      if (panes.find((p) => p.name === s.focus)?.rows === undefined) return only({ ...s, logScroll: Math.max(0, s.logScroll - delta) });
      const rows = paneRows(view, s.focus);
      const next = moveSelection(rows, selectedRow(s, view, s.focus, rows), delta);
      return only({ ...s, selected: { ...s.selected, [s.focus]: next }, selectedId: { ...s.selectedId, [s.focus]: rowId(rows[next]) } });
    }
    case 'inspect': {
      if (panes.find((p) => p.name === s.focus)?.rows === undefined) {
        // The Log: the line its marker is on (the newest shown), as the trace events it tells.
        const box = paneBox(view, s.focus);
        const shown = box ? logLineShown(view.logLines, box.width, box.height, s.logScroll) : undefined;
        if (!shown) return only({ ...s, message: { text: 'the log has no line to inspect yet', tone: 'info' } });
        const events = shown.line.events;
        if (!events || events.length === 0) return only({ ...s, message: { text: 'this line sums up many events (record puts): nothing single to inspect', tone: 'info' } });
        const title = `log ${shown.line.text.split(' ')[0]} ${shown.line.type}`;
        // An invocation's line: the shell asks the engine for the event its handler received.
        const start = events.find((e) => e.type === 'invoke.start');
        if (start?.type === 'invoke.start') return run({ type: 'inspectInvocation', title, start, trace: events });
        return update(s, { type: 'inspected', title, value: events.length === 1 ? events[0] : events }, view);
      }
      const rows = paneRows(view, s.focus);
      const row = rows[selectedRow(s, view, s.focus, rows)];
      const target = row?.target;
      if (!target) return only({ ...s, message: { text: 'nothing to inspect on this row', tone: 'info' } });
      if ('value' in target) return update(s, { type: 'inspected', title: target.title, value: target.value }, view);
      return run({ type: 'inspect', title: target.title, module: target.module, key: target.key });
    }
    case 'close':
      return only(s.overlay ? { ...s, overlay: undefined } : { ...s, zoom: false });
    case 'find':
    case 'findApply':
    case 'findCancel':
    case 'findErase':
    case 'findNext':
    case 'findPrev':
      return only(onFind(s, action, view));
    case 'save':
      if (s.overlay?.kind !== 'inspect') return only({ ...s, message: { text: 'only an inspected value can be saved: enter on a row, then s', tone: 'info' } });
      return { ui: s, commands: [{ type: 'save', title: s.overlay.title, value: s.overlay.value }] };
    case 'help': {
      // ? explains what is focused first: the open view, else the focused pane (its glyphs, its numbers).
      const viewDef = s.view ? VIEWS.find((v) => v.title.toLowerCase() === s.view!.kind) : undefined;
      const pane = panes.find((p) => p.name === s.focus);
      const about = viewDef ? { title: `the ${viewDef.title} view`, legend: viewDef.legend } : pane ? { title: pane.title, legend: pane.legend } : undefined;
      return only({ ...s, overlay: { kind: 'help', scroll: 0, about } });
    }
    case 'faultMenu': {
      const inFlight = view.state.inFlight;
      const fromInFlight = s.focus === 'inFlight' ? inFlight[Object.keys(inFlight)[0]]?.fn : undefined;
      // The Concurrency pane's rows say which function they are about.
      const selectedFn = s.focus === 'concurrency' ? /^function (.+)$/.exec(rowId(paneRows(view, 'concurrency')[selectedRow(s, view, 'concurrency')]) ?? '')?.[1] : undefined;
      const fromConcurrency = selectedFn ?? (s.focus === 'concurrency' ? functions[0] : undefined);
      const fnIndex = Math.max(0, functions.indexOf(fromConcurrency ?? fromInFlight ?? functions[0]));
      return only({ ...s, overlay: { kind: 'fault', item: 0, fnIndex } });
    }
    case 'menuDown':
    case 'menuUp': {
      if (s.overlay?.kind !== 'fault') return only(s);
      const item = (s.overlay.item + (action === 'menuDown' ? 1 : FAULT_MENU.length - 1)) % FAULT_MENU.length;
      return only({ ...s, overlay: { ...s.overlay, item } });
    }
    case 'menuNextFunction':
    case 'menuPrevFunction': {
      if (s.overlay?.kind !== 'fault' || functions.length === 0) return only(s);
      const fnIndex = (s.overlay.fnIndex + (action === 'menuNextFunction' ? 1 : functions.length - 1)) % functions.length;
      return only({ ...s, overlay: { ...s.overlay, fnIndex } });
    }
    case 'menuChoose': {
      if (s.overlay?.kind !== 'fault') return only(s);
      const fn = functions[s.overlay.fnIndex];
      const closed = { ...s, overlay: undefined };
      if (!fn) return only(closed);
      const entry = FAULT_MENU[s.overlay.item];
      return { ui: closed, commands: [{ type: 'injectFault', preset: entry.preset(fn), label: entry.label }] };
    }
    case 'filter':
      return only({ ...s, filterDraft: s.filter, focus: 'log' });
    case 'filterApply':
      return only({ ...s, filter: s.filterDraft ?? s.filter, filterDraft: undefined, logScroll: 0 });
    case 'filterCancel':
      return only({ ...s, filter: '', filterDraft: undefined, logScroll: 0 });
    case 'filterErase':
      return only({ ...s, filterDraft: (s.filterDraft ?? '').slice(0, -1) });
    case 'nextNotable':
    case 'prevNotable':
      return run({ type: 'jumpNotable', direction: action === 'nextNotable' ? 1 : -1 });
    case 'goto':
      return only({ ...s, gotoDraft: '' });
    case 'gotoErase':
      return only({ ...s, gotoDraft: (s.gotoDraft ?? '').slice(0, -1) });
    case 'gotoCancel':
      return only({ ...s, gotoDraft: undefined });
    case 'gotoApply': {
      const text = (s.gotoDraft ?? '').trim();
      const ms = parseTimeInput(text);
      const closed = { ...s, gotoDraft: undefined };
      if (ms === undefined) return only({ ...closed, message: { text: `not a time: '${text}'; type 1m30s, 0:05 or 90s`, tone: 'bad' } });
      return { ui: closed, commands: [{ type: 'seekTime', ms }] };
    }
    default:
      return only(s);
  }
}

/** The width the inspector wraps its lines to in a terminal of `columns` (0: no wrapping). */
function inspectWidth(columns: number | undefined): number {
  return columns ? columns - 3 : 0;
}

/**
 * The UI state for a terminal of `columns`: an open inspector whose lines were wrapped to another width
 * (the terminal was resized) gets them wrapped again, so that long values still wrap instead of being
 * cut at the pane's edge. The same state when nothing changes.
 *
 * @example ui = fitOverlay(ui, size.columns)
 */
export function fitOverlay(ui: UiState, columns: number, bodyHeight: number): UiState {
  const o = ui.overlay;
  if (o?.kind !== 'inspect' || o.width === undefined || o.width === inspectWidth(columns)) return ui;
  const lines = inspectLines(o.value, inspectWidth(columns));
  const scroll = Math.max(0, Math.min(Math.max(0, lines.length - (bodyHeight - 2)), o.scroll));
  return { ...ui, overlay: { ...o, lines, width: inspectWidth(columns), scroll, match: undefined } };
}

/** The lines of the open help or inspect overlay, as they are drawn. */
export function overlayLines(overlay: Overlay, view: DashboardView): string[] {
  if (overlay.kind === 'inspect') return overlay.lines;
  if (overlay.kind === 'help') return helpRows(view.model, overlay.about, (view.layout?.columns ?? 0) - 3).map((r) => r.text);
  return [];
}

/**
 * `/` in the help or the inspector: type, enter goes to the first line that contains it (case does not
 * matter), n / N to the next and previous (round the end), esc stops.
 */
function onFind(s: UiState, action: 'find' | 'findApply' | 'findCancel' | 'findErase' | 'findNext' | 'findPrev', view: DashboardView): UiState {
  const o = s.overlay;
  if (!o || o.kind === 'fault') return s;
  switch (action) {
    case 'find':
      return { ...s, overlay: { ...o, findDraft: '' } };
    case 'findErase':
      return { ...s, overlay: { ...o, findDraft: (o.findDraft ?? '').slice(0, -1) } };
    case 'findCancel':
      return { ...s, overlay: { ...o, findDraft: undefined, query: undefined, match: undefined } };
    default: {
      const query = action === 'findApply' ? (o.findDraft ?? '').trim() : o.query;
      const closed = { ...o, findDraft: undefined };
      if (!query) return { ...s, overlay: { ...closed, query: undefined, match: undefined } };
      const needle = query.toLowerCase();
      const lines = overlayLines(o, view);
      const hits = lines.flatMap((line, i) => (line.toLowerCase().includes(needle) ? [i] : []));
      if (hits.length === 0) return { ...s, overlay: { ...closed, query, match: undefined }, message: { text: `no match for '${query}'`, tone: 'info' } };
      const at = o.match ?? -1;
      const match =
        action === 'findApply' ? hits[0] : action === 'findNext' ? (hits.find((i) => i > at) ?? hits[0]) : ([...hits].reverse().find((i) => i < at) ?? hits[hits.length - 1]);
      const max = Math.max(0, lines.length - (view.layout!.bodyHeight - 2));
      const scroll = Math.max(0, Math.min(max, match - 2));
      return { ...s, overlay: { ...closed, query, match, scroll }, message: { text: `'${query}': match ${hits.indexOf(match) + 1} of ${hits.length}`, tone: 'info' } };
    }
  }
}

/** Lines a page key moves: the body less the borders. */
function pageOf(view: DashboardView, name?: string): number {
  const box = name ? paneBox(view, name) : undefined;
  return Math.max(1, (box?.height ?? view.layout!.bodyHeight) - 3);
}

/** PgUp/PgDn, g/G on the panes: the focused pane's selection by a page or to an end; the log's scroll likewise. */
function movePane(s: UiState, action: 'pageDown' | 'pageUp' | 'top' | 'bottom', view: DashboardView): UiState {
  const panes = panesFor(view.model);
  const page = pageOf(view, s.focus);
  if (panes.find((p) => p.name === s.focus)?.rows === undefined) {
    const box = paneBox(view, s.focus);
    const width = (box?.width ?? view.layout!.columns) - 3;
    const max = Math.max(0, logRows(view.logLines, width).length - Math.max(0, (box?.height ?? 0) - 2));
    const scroll = action === 'top' ? max : action === 'bottom' ? 0 : s.logScroll + (action === 'pageUp' ? page : -page);
    return { ...s, logScroll: Math.max(0, Math.min(max, scroll)) };
  }
  const rows = paneRows(view, s.focus);
  if (rows.length === 0) return s;
  let next = selectedRow(s, view, s.focus, rows);
  if (action === 'top') next = 0;
  else if (action === 'bottom') next = firstOfItem(rows, rows.length - 1);
  else for (let i = 0; i < page; i++) next = moveSelection(rows, next, action === 'pageDown' ? 1 : -1);
  return { ...s, selected: { ...s.selected, [s.focus]: next }, selectedId: { ...s.selectedId, [s.focus]: rowId(rows[next]) } };
}

/** The first line of the item (wrapped row) that line `i` belongs to. */
function firstOfItem(rows: readonly PaneRow[], i: number): number {
  const id = rowId(rows[i]);
  while (id !== undefined && i > 0 && rowId(rows[i - 1]) === id) i--;
  return i;
}

/**
 * Opens (or, when it is the one shown, closes) a view. It starts where the selection is: Logs on the
 * selected invocation (an In-flight row) or its function, Metrics on the selected row's function, queue,
 * shard or alias.
 */
function openView(s: UiState, action: 'logsView' | 'metricsView' | 'costView', view: DashboardView): UiState {
  const kind = action === 'logsView' ? 'logs' : action === 'metricsView' ? 'metrics' : 'cost';
  if (s.view?.kind === kind) return { ...s, view: undefined };
  const row = s.view ? undefined : paneRows(view, s.focus)[selectedRow(s, view, s.focus)];
  if (kind === 'logs') {
    const fns = logFunctions(view.model);
    const fn = row?.subject?.startsWith('function/') ? row.subject.slice('function/'.length) : undefined;
    const subject = fn !== undefined && fns.includes(fn) ? fns.indexOf(fn) + 1 : 0;
    return { ...s, view: { kind, subject, scroll: 0, requestId: row?.requestId } };
  }
  if (kind === 'metrics') {
    const subject = view.metrics ? subjectIndex(metricSubjects(view.metrics, view.state), row?.subject) : 0;
    return { ...s, view: { kind, subject, scroll: 0 } };
  }
  return { ...s, view: { kind, subject: 0, scroll: 0 } };
}

/** The keys of the 'view' context; undefined for those that act as on the panes (time, help, quit). */
function onViewBinding(s: UiState, v: ViewState, action: Action, view: DashboardView): UpdateResult | undefined {
  const only = (next: ViewState | undefined): UpdateResult => ({ ui: { ...s, view: next }, commands: none });
  const page = pageOf(view);
  if (v.kind === 'logs') {
    const n = view.handlerLogs?.length ?? 0;
    const clamp = (scroll: number) => ({ ...v, scroll: Math.max(0, Math.min(Math.max(0, n - 1), scroll)) });
    switch (action) {
      case 'down':
        return only(clamp(v.scroll - 1));
      case 'up':
        return only(clamp(v.scroll + 1));
      case 'pageDown':
        return only(clamp(v.scroll - page));
      case 'pageUp':
        return only(clamp(v.scroll + page));
      case 'top':
        return only(clamp(n - 1));
      case 'bottom':
        return only(clamp(0));
      case 'prevSubject':
      case 'nextSubject': {
        const count = logFunctions(view.model).length + 1;
        const subject = (((v.subject + (action === 'nextSubject' ? 1 : -1)) % count) + count) % count;
        return only({ kind: 'logs', subject, scroll: 0 });
      }
      case 'viewEnter': {
        const line = view.handlerLogs?.[n - 1 - v.scroll];
        if (!line) return only(v);
        const fns = logFunctions(view.model);
        return only({ kind: 'logs', subject: logFunctionAt(view.model, v.subject) === undefined ? 0 : Math.max(0, fns.indexOf(line.fn) + 1), scroll: 0, requestId: line.requestId });
      }
      case 'viewBack':
        return only(v.requestId ? { ...v, requestId: undefined, scroll: 0 } : undefined);
      default:
        return undefined;
    }
  }
  const inner = Math.max(1, view.layout!.bodyHeight - 2);
  const total =
    v.kind === 'cost'
      ? view.cost
        ? costRows(view.cost, view.state.t).length
        : 0
      : view.metrics
        ? metricsLines(view.metrics, view.state, v, view.layout!.columns - 3, inner).total
        : 0;
  const max = Math.max(0, total - inner);
  const clamp = (scroll: number) => ({ ...v, scroll: Math.max(0, Math.min(max, scroll)) });
  switch (action) {
    case 'down':
      return only(clamp(v.scroll + 1));
    case 'up':
      return only(clamp(v.scroll - 1));
    case 'pageDown':
      return only(clamp(v.scroll + page));
    case 'pageUp':
      return only(clamp(v.scroll - page));
    case 'top':
      return only(clamp(0));
    case 'bottom':
      return only(clamp(max));
    case 'prevSubject':
    case 'nextSubject': {
      if (v.kind !== 'metrics') return only(v);
      const count = Math.max(1, view.metrics ? metricSubjects(view.metrics, view.state).length : 1);
      const subject = (((v.subject + (action === 'nextSubject' ? 1 : -1)) % count) + count) % count;
      return only({ ...v, subject, scroll: 0 });
    }
    case 'viewEnter':
      return only(v);
    case 'viewBack':
      return only(undefined);
    default:
      return undefined;
  }
}
