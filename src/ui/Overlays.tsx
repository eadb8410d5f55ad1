/**
 * What covers the panes for a moment: the help (generated from the keymap), the inspect view (AWS-shaped
 * JSON of the selection) and the fault menu. Each fills the body area given to it, in a Pane.
 */
import type { FaultPreset } from './controller.js';
import { KEYMAP, keysLabel } from './keymap.js';
import { Pane } from './Pane.js';
import { paneListLine } from './panes.js';
import type { Model } from '../scenario/model.js';
import type { PaneRow } from './pane-row.js';

/**
 * The help overlay's rows: every binding, grouped by where it applies.
 *
 * @example helpRows()[0].text // 'dashboard'
 */
export function helpRows(model?: Model): PaneRow[] {
  const rows: PaneRow[] = [];
  let context = '';
  for (const b of KEYMAP) {
    if (b.context !== context) {
      context = b.context;
      rows.push({ text: context === 'dashboard' ? 'keys' : `in the ${context}`, tone: 'title' });
    }
    rows.push({ text: `  ${keysLabel(b).padEnd(18)} ${b.description}` });
  }
  rows.push({ text: paneListLine(model), tone: 'dim' });
  return rows;
}

/**
 * Props of the help overlay.
 *
 * @example <HelpOverlay width={100} height={26} scroll={0} />
 */
export interface OverlayProps {
  width: number;
  height: number;
  scroll: number;
}

/** The help overlay. */
export function HelpOverlay({ width, height, scroll, model }: OverlayProps & { model?: Model }) {
  return <Pane number={0} title="Help  (esc closes, j/k scroll)" width={width} height={height} focused rows={helpRows(model)} top={scroll} />;
}

/**
 * The lines of an inspected value: pretty JSON, or a sentence when there is nothing to show.
 *
 * @example inspectLines({ a: 1 }) // ['{', '  "a": 1', '}']
 */
export function inspectLines(value: unknown): string[] {
  if (value === undefined) return ['(nothing to show: the item has finished or has no payload)'];
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.split('\n');
}

/**
 * Props of the inspect overlay.
 *
 * @example <InspectOverlay title="orders-failed onFailure" lines={inspectLines(payload)} width={100} height={26} scroll={0} />
 */
export interface InspectOverlayProps extends OverlayProps {
  title: string;
  lines: readonly string[];
}

/** The inspect overlay. */
export function InspectOverlay({ title, lines, width, height, scroll }: InspectOverlayProps) {
  return <Pane number={0} title={`Inspect ${title}  (esc closes)`} width={width} height={height} focused rows={lines.map((text) => ({ text }))} top={scroll} />;
}

/**
 * One entry of the fault menu: what it says and the fault it injects into the chosen function, together.
 *
 * @example FAULT_MENU[1].preset('processor') // { kind: 'throttle', fn: 'processor', forMs: 10_000 }
 */
export interface FaultMenuEntry {
  label: string;
  detail: string;
  preset: (fn: string) => FaultPreset;
}

/**
 * The fault menu's entries, in order.
 *
 * @example FAULT_MENU[0].label // 'poison the next record'
 */
export const FAULT_MENU: readonly FaultMenuEntry[] = [
  {
    label: 'poison the next record',
    detail: 'an error on every invocation holding the next record that reaches the function',
    preset: (fn) => ({ kind: 'poison', fn }),
  },
  { label: 'throttle for 10s', detail: 'every invocation is throttled for 10 simulated seconds', preset: (fn) => ({ kind: 'throttle', fn, forMs: 10_000 }) },
  { label: 'fail the next 3 invocations', detail: 'the next 3 invocations that run end in an error', preset: (fn) => ({ kind: 'failNext', fn, count: 3 }) },
];

/**
 * Props of the fault menu.
 *
 * @example <FaultMenu functions={['processor']} fnIndex={0} item={0} width={100} height={26} />
 */
export interface FaultMenuProps {
  functions: readonly string[];
  fnIndex: number;
  item: number;
  width: number;
  height: number;
}

/** The fault menu. */
export function FaultMenu({ functions, fnIndex, item, width, height }: FaultMenuProps) {
  const rows: PaneRow[] = [
    { text: `function: < ${functions[fnIndex] ?? 'none'} >   (h/l or arrows change it)`, tone: 'title' },
    { text: '' },
    ...FAULT_MENU.map((entry, i) => ({ text: `${i === item ? '*' : ' '} ${entry.label.padEnd(30)} ${entry.detail}`, tone: i === item ? ('warn' as const) : undefined })),
    { text: '' },
    { text: 'enter injects it now (an input: stepping back replays it, r clears it)   esc closes', tone: 'dim' },
  ];
  return <Pane number={0} title="Inject a fault" width={width} height={height} focused rows={rows} selected={item + 2} />;
}
