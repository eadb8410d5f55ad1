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
import { wrapWords } from './LogPane.js';

/**
 * What the help explains first: the focused pane's (or the open view's) legend, how to read its glyphs.
 *
 * @example const about: HelpAbout = { title: 'Sources', legend: 'per source its ledger ...' };
 */
export interface HelpAbout {
  title: string;
  legend: string;
}

/**
 * The help overlay's rows: the legend of what is focused (when given), then every binding, grouped by
 * where it applies, then the panes by number.
 *
 * @example helpRows()[0].text // 'keys'
 */
export function helpRows(model?: Model, about?: HelpAbout, width = 0): PaneRow[] {
  const rows: PaneRow[] = [];
  if (about) {
    rows.push({ text: `reading ${about.title}`, tone: 'title' });
    for (const line of wrapWords(about.legend, Math.max(0, width - 2), 0)) rows.push({ text: `  ${line}` });
  }
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
  /** What `/` searched for: lines that contain it stand out, the current match (`match`, a line) is marked. */
  query?: string;
  match?: number;
}

/** Rows with the lines that contain `query` standing out (case does not matter). */
function withMatches(rows: PaneRow[], query: string | undefined): PaneRow[] {
  if (!query) return rows;
  const needle = query.toLowerCase();
  return rows.map((row) => (row.text.toLowerCase().includes(needle) ? { ...row, tone: 'warn' as const } : row));
}

/** The note on an overlay's border while a search is shown. */
function searchNote(query: string | undefined): string | undefined {
  return query ? `/${query}  n/N next, previous` : undefined;
}

/** The help overlay. */
export function HelpOverlay({ width, height, scroll, model, about, query, match }: OverlayProps & { model?: Model; about?: HelpAbout }) {
  return <Pane number={0} title="Help  (esc closes, j/k scroll, / search)" width={width} height={height} focused rows={withMatches(helpRows(model, about, width - 3), query)} top={scroll} selected={match} note={searchNote(query)} />;
}

/**
 * The lines of an inspected value: pretty JSON, or a sentence when there is nothing to show (a queue
 * with no visible message answers null). A Kinesis record's base64 `data` gets its decoded text on the
 * next line when it is readable; lines longer than `width` wrap, their continuations indented under
 * their start, instead of being cut; an EventBridge pattern kept as JSON text shows as JSON.
 *
 * @example inspectLines({ a: 1 }) // ['{', '  "a": 1', '}']
 * @example inspectLines({ data: 'eyJuIjoxfQ==' }) // ['{', '  "data": "eyJuIjoxfQ=="', '  (data decoded: {"n":1})', '}']
 */
export function inspectLines(value: unknown, width = 0): string[] {
  if (value === undefined) return ['(nothing to show: the item has finished or has no payload)'];
  if (value === null) return ['(nothing to show: it is empty now, e.g. a queue with no visible message)'];
  let text: string;
  try {
    text = JSON.stringify(value, patternsAsJson, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  const out: string[] = [];
  for (const line of text.split('\n')) {
    out.push(...wrapLong(line, width));
    const data = /^(\s*)"data": "([A-Za-z0-9+/]+={0,2})",?$/.exec(line);
    const decoded = data ? decodeReadable(data[2]) : undefined;
    if (decoded !== undefined) out.push(...wrapLong(`${data![1]}(data decoded: ${decoded})`, width));
  }
  return out;
}

/** EventBridge patterns held as JSON text show as the JSON they are, not as an escaped string. */
function patternsAsJson(key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !/^(pattern|eventPattern|EventPattern)$/.test(key) || !value.trimStart().startsWith('{')) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Base64 that decodes to printable UTF-8 text, as that text; undefined for binary data. */
function decodeReadable(b64: string): string | undefined {
  if (b64.length % 4 !== 0) return undefined;
  const text = Buffer.from(b64, 'base64').toString('utf8');
  return /^[\x20-\x7e\u00a0-\uffff\t\r\n]*$/.test(text) && !text.includes('\ufffd') ? text.replace(/\s+/g, ' ') : undefined;
}

/** A line cut into pieces of at most `width` cells, each continuation indented under the line's start, two more. */
function wrapLong(line: string, width: number): string[] {
  if (width <= 0 || line.length <= width) return [line];
  const indent = ' '.repeat(Math.min(/^ */.exec(line)![0].length + 2, Math.floor(width / 2)));
  const out = [line.slice(0, width)];
  for (let rest = line.slice(width); rest.length > 0; rest = rest.slice(width - indent.length)) out.push(indent + rest.slice(0, width - indent.length));
  return out;
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
export function InspectOverlay({ title, lines, width, height, scroll, query, match }: InspectOverlayProps) {
  return <Pane number={0} title={`Inspect ${title}  (esc closes, / search, s save)`} width={width} height={height} focused rows={withMatches(lines.map((text) => ({ text })), query)} top={scroll} selected={match} note={searchNote(query)} />;
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
  {
    label: 'Lambda service error for 10s',
    detail: 'Lambda answers 500 ServiceException for 10 simulated seconds: nothing runs, callers retry or fail',
    preset: (fn) => ({ kind: 'serviceError', fn, forMs: 10_000 }),
  },
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
