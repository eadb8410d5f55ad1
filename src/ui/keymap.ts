/**
 * The dashboard's keys, as data (STYLE.md, "Keybindings are data"): this one table drives input
 * handling, the help overlay (?) and the README's key table (renderKeyTable), so they cannot drift apart.
 * Key names are those of `--keys` scripts (keys-script.ts): `space`, `enter`, `esc`, `tab`, arrows,
 * `ctrl-c`, or one printable character.
 */
import type { Key } from 'ink';
import type { KeyName } from './keys-script.js';

/**
 * What a key does. The App maps each action to a controller call or a change of UI state.
 *
 * @example const action: Action = 'togglePause';
 */
export type Action =
  | 'togglePause'
  | 'step'
  | 'back'
  | 'faster'
  | 'slower'
  | 'nextPane'
  | 'focusPane'
  | 'down'
  | 'up'
  | 'inspect'
  | 'close'
  | 'faultMenu'
  | 'restart'
  | 'help'
  | 'filter'
  | 'quit'
  | 'menuDown'
  | 'menuUp'
  | 'menuPrevFunction'
  | 'menuNextFunction'
  | 'menuChoose'
  | 'filterApply'
  | 'filterCancel'
  | 'filterErase'
  | 'nextNotable'
  | 'prevNotable'
  | 'goto'
  | 'gotoApply'
  | 'gotoCancel'
  | 'gotoErase'
  | 'prevPane'
  | 'pageDown'
  | 'pageUp'
  | 'top'
  | 'bottom'
  | 'zoom'
  | 'logsView'
  | 'metricsView'
  | 'costView'
  | 'prevSubject'
  | 'nextSubject'
  | 'viewEnter'
  | 'viewBack'
  | 'find'
  | 'findNext'
  | 'findPrev'
  | 'findApply'
  | 'findCancel'
  | 'findErase'
  | 'save';

/**
 * Where a binding applies. 'dashboard' is the main screen; an overlay's context takes precedence over
 * it while the overlay is open ('overlay' for help and inspect, 'fault menu', 'filter' while typing a
 * log filter and 'go to' while typing a time, which take every printable key as text). 'view' is the
 * Logs, Metrics and Cost views, which cover the panes; the dashboard's time keys (VIEW_PASSTHROUGH) work
 * there too. 'search' is typing what `/` looks for in an open overlay (help, inspect).
 *
 * @example const context: KeyContext = 'fault menu';
 */
export type KeyContext = 'dashboard' | 'view' | 'overlay' | 'fault menu' | 'filter' | 'go to' | 'search';

/**
 * One row of the keymap.
 *
 * @example const row: Binding = { keys: ['space'], action: 'togglePause', description: 'pause / resume', context: 'dashboard' };
 */
export interface Binding {
  /** Key names, as in --keys scripts; the first is the one hints show. */
  keys: readonly KeyName[];
  action: Action;
  description: string;
  context: KeyContext;
  /** Shown in the footer's hint line while this binding's context is active, in this short form. */
  hint?: string;
  /** How the hint names the keys when not by the first key alone (e.g. `j/k` for a pair of bindings). */
  hintKeys?: string;
}

const PANE_DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * The keymap. Order is the order of the help overlay and the README table.
 *
 * @example KEYMAP.find((b) => b.action === 'quit')!.keys // ['q', 'ctrl-c']
 */
export const KEYMAP: readonly Binding[] = [
  { keys: ['space'], action: 'togglePause', description: 'pause / resume', context: 'dashboard', hint: 'pause' },
  { keys: ['n', 'right'], action: 'step', description: 'step one tick forward (pauses)', context: 'dashboard', hint: 'step' },
  { keys: ['b', 'left'], action: 'back', description: 'step one tick back (pauses; past the history, from the nearest checkpoint)', context: 'dashboard', hint: 'back' },
  { keys: ['+', '='], action: 'faster', description: 'faster (simulated seconds per wall second)', context: 'dashboard', hint: 'speed', hintKeys: '+/-' },
  { keys: ['-', '_'], action: 'slower', description: 'slower', context: 'dashboard' },
  { keys: [']'], action: 'nextNotable', description: 'go to the next notable event (a failure, retry, bisect or delivery)', context: 'dashboard', hint: 'next event', hintKeys: '[/]' },
  { keys: ['['], action: 'prevNotable', description: 'go back to the previous notable event', context: 'dashboard' },
  { keys: [':', 't'], action: 'goto', description: 'go to a time: type 1m30s, 0:05 or 90s, then enter', context: 'dashboard', hint: 'go to' },
  { keys: ['tab', 'l'], action: 'nextPane', description: 'focus the next pane', context: 'dashboard', hint: 'pane' },
  { keys: [...PANE_DIGITS], action: 'focusPane', description: 'focus pane 1..9', context: 'dashboard' },
  { keys: ['j', 'down'], action: 'down', description: 'select the next row / scroll down', context: 'dashboard' },
  { keys: ['k', 'up'], action: 'up', description: 'select the previous row / scroll up', context: 'dashboard' },
  { keys: ['enter'], action: 'inspect', description: 'inspect the selection as AWS-shaped JSON (the Log: its marked line\'s events)', context: 'dashboard', hint: 'inspect' },
  { keys: ['f'], action: 'faultMenu', description: 'inject a fault: poison a record, throttle, fail next N, service error', context: 'dashboard', hint: 'fault' },
  { keys: ['r'], action: 'restart', description: 'restart with the same seed (live faults cleared)', context: 'dashboard' },
  { keys: ['/'], action: 'filter', description: 'filter the log (enter keeps it, esc clears it)', context: 'dashboard', hint: 'filter' },
  { keys: ['?'], action: 'help', description: 'this help', context: 'dashboard', hint: 'help' },
  { keys: ['q', 'ctrl-c'], action: 'quit', description: 'quit (the terminal is restored)', context: 'dashboard', hint: 'quit' },
  { keys: ['m'], action: 'metricsView', description: 'Metrics view: charts up to the cursor for the selected row\'s subject', context: 'dashboard', hint: 'metrics' },
  { keys: ['L'], action: 'logsView', description: 'Logs view: the handlers\' CloudWatch lines (on an In-flight row: its own)', context: 'dashboard', hint: 'logs' },
  { keys: ['c'], action: 'costView', description: 'Cost view: cost so far by function, source and cause', context: 'dashboard', hint: 'cost' },
  { keys: ['shift-tab', 'h'], action: 'prevPane', description: 'focus the previous pane', context: 'dashboard' },
  { keys: ['z'], action: 'zoom', description: 'zoom: the focused pane fills the screen (z or esc: back)', context: 'dashboard', hint: 'zoom' },
  { keys: ['pagedown'], action: 'pageDown', description: 'a page down', context: 'dashboard' },
  { keys: ['pageup'], action: 'pageUp', description: 'a page up', context: 'dashboard' },
  { keys: ['g', 'home'], action: 'top', description: 'the first row (the log: its oldest line)', context: 'dashboard' },
  { keys: ['G', 'end'], action: 'bottom', description: 'the last row (the log: its newest line, followed again)', context: 'dashboard' },
  { keys: ['esc'], action: 'close', description: 'back from zoom', context: 'dashboard' },
  { keys: ['j', 'down'], action: 'down', description: 'next line / scroll down (the time keys work here too)', context: 'view', hint: 'scroll', hintKeys: 'j/k' },
  { keys: ['k', 'up'], action: 'up', description: 'select the previous line / scroll up', context: 'view' },
  { keys: ['pagedown'], action: 'pageDown', description: 'a page down', context: 'view' },
  { keys: ['pageup'], action: 'pageUp', description: 'a page up', context: 'view' },
  { keys: ['g', 'home'], action: 'top', description: 'the first line', context: 'view' },
  { keys: ['G', 'end'], action: 'bottom', description: 'the newest line (followed again)', context: 'view' },
  { keys: ['h', 'shift-tab'], action: 'prevSubject', description: 'the previous function (Logs) or subject (Metrics)', context: 'view', hint: 'which', hintKeys: 'h/l' },
  { keys: ['l', 'tab'], action: 'nextSubject', description: 'the next one', context: 'view' },
  { keys: ['enter'], action: 'viewEnter', description: "Logs: only the selected line's invocation", context: 'view', hint: 'invocation' },
  { keys: ['esc'], action: 'viewBack', description: 'back: from one invocation to its function, else to the panes', context: 'view', hint: 'back' },
  { keys: ['?'], action: 'help', description: 'help', context: 'view', hint: 'help' },
  { keys: ['q', 'ctrl-c'], action: 'quit', description: 'quit', context: 'view', hint: 'quit' },
  { keys: ['j', 'down'], action: 'down', description: 'scroll down', context: 'overlay', hint: 'scroll', hintKeys: 'j/k' },
  { keys: ['k', 'up'], action: 'up', description: 'scroll up', context: 'overlay' },
  { keys: ['pagedown'], action: 'pageDown', description: 'a page down', context: 'overlay' },
  { keys: ['pageup'], action: 'pageUp', description: 'a page up', context: 'overlay' },
  { keys: ['g', 'home'], action: 'top', description: 'the first line', context: 'overlay' },
  { keys: ['G', 'end'], action: 'bottom', description: 'the last line', context: 'overlay' },
  { keys: ['/'], action: 'find', description: 'search it (enter: the first match; n / N: next, previous)', context: 'overlay', hint: 'search' },
  { keys: ['n'], action: 'findNext', description: 'the next match', context: 'overlay' },
  { keys: ['N'], action: 'findPrev', description: 'the previous match', context: 'overlay' },
  { keys: ['s'], action: 'save', description: 'save the inspected JSON to a file (its path is shown)', context: 'overlay', hint: 'save' },
  { keys: ['esc', 'q', 'enter', '?'], action: 'close', description: 'close the overlay', context: 'overlay', hint: 'close' },
  { keys: ['ctrl-c'], action: 'quit', description: 'quit', context: 'overlay' },
  { keys: ['j', 'down'], action: 'menuDown', description: 'next fault', context: 'fault menu', hint: 'fault', hintKeys: 'j/k' },
  { keys: ['k', 'up'], action: 'menuUp', description: 'previous fault', context: 'fault menu' },
  { keys: ['h', 'left'], action: 'menuPrevFunction', description: 'previous function', context: 'fault menu', hint: 'function', hintKeys: 'h/l' },
  { keys: ['l', 'right', 'tab'], action: 'menuNextFunction', description: 'next function', context: 'fault menu' },
  { keys: ['enter'], action: 'menuChoose', description: 'inject the fault', context: 'fault menu', hint: 'inject' },
  { keys: ['esc', 'q', 'f'], action: 'close', description: 'close the menu', context: 'fault menu', hint: 'close' },
  { keys: ['ctrl-c'], action: 'quit', description: 'quit', context: 'fault menu' },
  { keys: ['enter'], action: 'filterApply', description: 'keep the filter', context: 'filter', hint: 'keep' },
  { keys: ['esc'], action: 'filterCancel', description: 'clear the filter', context: 'filter', hint: 'clear' },
  { keys: ['backspace'], action: 'filterErase', description: 'erase a character', context: 'filter' },
  { keys: ['ctrl-c'], action: 'quit', description: 'quit', context: 'filter' },
  { keys: ['enter'], action: 'gotoApply', description: 'go there (pauses)', context: 'go to', hint: 'go' },
  { keys: ['esc'], action: 'gotoCancel', description: 'stay where you are', context: 'go to', hint: 'cancel' },
  { keys: ['backspace'], action: 'gotoErase', description: 'erase a character', context: 'go to' },
  { keys: ['ctrl-c'], action: 'quit', description: 'quit', context: 'go to' },
  { keys: ['enter'], action: 'findApply', description: 'go to the first match', context: 'search', hint: 'find' },
  { keys: ['esc'], action: 'findCancel', description: 'stop searching', context: 'search', hint: 'cancel' },
  { keys: ['backspace'], action: 'findErase', description: 'erase a character', context: 'search' },
  { keys: ['ctrl-c'], action: 'quit', description: 'quit', context: 'search' },
];

/**
 * The key name of what Ink's useInput reported, in --keys script spelling, or undefined for keys the
 * dashboard does not know (function keys, mouse reports).
 *
 * @example keyName(' ', inkKey) // 'space'
 * @example keyName('c', { ...inkKey, ctrl: true }) // 'ctrl-c'
 */
export function keyName(input: string, key: Key): KeyName | undefined {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab && !key.shift) return 'tab';
  if (key.tab && key.shift) return 'shift-tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.ctrl && input.length === 1 && /[a-z]/i.test(input)) return `ctrl-${input.toLowerCase()}`;
  if (input === '\x03') return 'ctrl-c';
  if (input === ' ') return 'space';
  if (input.length === 1 && input >= ' ') return input;
  return undefined;
}

/**
 * The dashboard's keys that keep working in the Logs, Metrics and Cost views: moving through time, and
 * switching between the views.
 *
 * @example VIEW_PASSTHROUGH.includes('togglePause') // true
 */
export const VIEW_PASSTHROUGH: readonly Action[] = ['togglePause', 'step', 'back', 'faster', 'slower', 'nextNotable', 'prevNotable', 'goto', 'restart', 'logsView', 'metricsView', 'costView'];

/**
 * The binding a key triggers in `context`, if any.
 *
 * @example bindingFor('n', 'dashboard')!.action // 'step'
 */
export function bindingFor(key: KeyName, context: KeyContext): Binding | undefined {
  const own = KEYMAP.find((b) => b.context === context && b.keys.includes(key));
  if (own || context !== 'view') return own;
  return KEYMAP.find((b) => b.context === 'dashboard' && b.keys.includes(key) && VIEW_PASSTHROUGH.includes(b.action));
}

/** How a key name reads in the help overlay and the README. */
function displayKey(key: KeyName): string {
  if (key === 'ctrl-c') return 'Ctrl-C';
  if (key === 'shift-tab') return 'Shift-Tab';
  const arrows: Record<string, string> = { left: '←', right: '→', up: '↑', down: '↓' };
  return arrows[key] ?? key;
}

/**
 * The keys of a binding as one label, e.g. `n / →` or `1..9`.
 *
 * @example keysLabel(bindingFor('q', 'dashboard')!) // 'q / Ctrl-C'
 */
export function keysLabel(binding: Binding): string {
  if (binding.action === 'focusPane') return `${binding.keys[0]}..${binding.keys[binding.keys.length - 1]}`;
  return binding.keys.map(displayKey).join(' / ');
}

/**
 * The README's key table (markdown), generated from KEYMAP: one row per binding of the dashboard and
 * its overlays, so the documentation says exactly what the code does.
 *
 * @example
 * renderKeyTable().split('\n')[0] // '| Key | Action | Where |'
 */
export function renderKeyTable(): string {
  const rows = ['| Key | Action | Where |', '| --- | --- | --- |'];
  for (const binding of KEYMAP) {
    const keys = keysLabel(binding).replace(/\|/g, '\\|');
    rows.push(`| ${keys.split(' / ').map((k) => `\`${k}\``).join(' / ')} | ${binding.description} | ${binding.context} |`);
  }
  return rows.join('\n') + '\n';
}

/**
 * The footer's hint line for a context: its bindings with a hint, as `key hint` pairs, cut to `width`.
 * In the dashboard, help and quit are what a newcomer needs most: they stay, and the other hints drop
 * from the end.
 *
 * @example footerHints(100) // 'space pause  n step  b back  +/- speed  tab pane  ...'
 * @example footerHints(100, 'overlay') // 'j/k scroll  esc close'
 */
export function footerHints(width: number, context: KeyContext = 'dashboard'): string {
  const bindings = KEYMAP.filter((b) => b.context === context && b.hint);
  const hint = (b: Binding) => `${b.hintKeys ?? displayKey(b.keys[0])} ${b.hint}`;
  const kept = bindings.filter((b) => b.action === 'help' || b.action === 'quit');
  const shown = bindings.filter((b) => b.action !== 'help' && b.action !== 'quit');
  const join = (parts: Binding[]) => [...parts, ...kept].map(hint).join('  ');
  // When the line is too long, hints go in HINT_DROP_ORDER (the ones a newcomer can live without first),
  // then from the end; the rest keep their order.
  while (shown.length > 0 && join(shown).length > width) {
    const rank = (b: Binding) => {
      const i = HINT_DROP_ORDER.indexOf(b.action);
      return i < 0 ? HINT_DROP_ORDER.length : i;
    };
    let drop = shown.length - 1;
    for (let i = shown.length - 1; i >= 0; i--) if (rank(shown[i]) < rank(shown[drop])) drop = i;
    shown.splice(drop, 1);
  }
  const out = join(shown);
  return out.length <= width ? out : kept.map(hint).join('  ').slice(0, Math.max(0, width));
}

/** Which footer hints give way first on a narrow terminal (the help lists every key). */
const HINT_DROP_ORDER: readonly Action[] = ['slower', 'faster', 'costView', 'zoom', 'back', 'nextPane', 'step', 'logsView', 'inspect', 'metricsView', 'goto', 'nextNotable'];

/**
 * The keys in a run of plain bytes that reached stdin in one read (a paste, fast typing over SSH,
 * `tmux send-keys -l`): Ink hands such a run over as one string, with no key flags, so each character
 * is read here as the key a terminal sends it for: CR or LF is enter, DEL or BS is backspace, TAB is
 * tab, other control bytes are ctrl-letters, a space is space, anything else the character itself.
 *
 * @example plainKeys('shard-3\r') // ['s', 'h', 'a', 'r', 'd', '-', '3', 'enter']
 * @example plainKeys('\x7f\x7f\x7f') // ['backspace', 'backspace', 'backspace']
 */
export function plainKeys(run: string): KeyName[] {
  const keys: KeyName[] = [];
  for (const ch of run) {
    if (ch === '\r' || ch === '\n') keys.push('enter');
    else if (ch === '\x7f' || ch === '\b') keys.push('backspace');
    else if (ch === '\t') keys.push('tab');
    else if (ch === ' ') keys.push('space');
    else if (ch === '\x1b') keys.push('esc');
    else if (ch < ' ') keys.push(`ctrl-${String.fromCharCode(ch.charCodeAt(0) + 0x60)}`);
    else keys.push(ch);
  }
  return keys;
}

/**
 * True for a mouse report as Ink passes it on (its ESC already stripped): SGR `[<b;x;yM` or `m`.
 *
 * @example isMouseReport('[<64;10;5M') // true (wheel up at column 10, row 5)
 */
export function isMouseReport(input: string): boolean {
  return /^\x1b?\[<\d+;\d+;\d+[Mm]$/.test(input);
}
