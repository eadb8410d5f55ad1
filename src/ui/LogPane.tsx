/**
 * Pane 5, Log: the trace as short lines, newest at the bottom, bounded by the controller's log; `/`
 * filters it, j/k scroll back through it.
 */
import { Pane } from './Pane.js';
import type { PaneRow } from './pane-row.js';
import type { LogLine } from './trace-lines.js';

/** A log line's rows at one width (see rowsOf). */
const rowCache = new WeakMap<LogLine, { width: number; rows: readonly PaneRow[] }>();

/**
 * One log line's rows at `width`, made once per line and width: a log line does not change, and the
 * pane draws the same few hundred lines frame after frame (the live dashboard's CPU, docs/architecture.md).
 *
 * @example rowsOf(line, 97) // [{ text: '00:42.1 processor shard-1 ...', tone: 'warn' }]
 */
function rowsOf(line: LogLine, width: number): readonly PaneRow[] {
  const cached = rowCache.get(line);
  if (cached !== undefined && cached.width === width) return cached.rows;
  const tone: PaneRow['tone'] =
    line.type === 'deliver' || line.type === 'sqs.redrive' || line.type === 'record.expired' || line.type === 'deployment.rollback' || / -> ALARM/.test(line.text)
      ? 'bad'
      : line.type === 'throttle' || line.type === 'batch.bisect' || line.type === 'fault.injected' || / (failed|timed out|partial) /.test(line.text)
        ? 'warn'
        : line.type === 'record.put' || line.type === 'checkpoint'
          ? 'dim'
          : undefined;
  const rows = wrapWords(line.text, width, LOG_INDENT).map((text) => ({ text, tone }));
  rowCache.set(line, { width, rows });
  return rows;
}

/**
 * The pane's rows from log lines: errors and failures stand out.
 *
 * @example logRows(controller.logLines('shard-1'))
 */
export function logRows(lines: readonly LogLine[], width = 0): PaneRow[] {
  const out: PaneRow[] = [];
  for (const line of lines) for (const row of rowsOf(line, width)) out.push(row);
  return out;
}

/**
 * The line `enter` opens on the Log pane: the newest one shown (the bottom of the pane, as scrolled),
 * and the row its `>` marker goes on (its first row, unless that is scrolled off the top).
 *
 * @example logLineShown(controller.logLines(), 100, 8, 0)!.line.text // the newest line
 */
export function logLineShown(lines: readonly LogLine[], width: number, height: number, scroll: number): { line: LogLine; row: number } | undefined {
  const inner = Math.max(0, height - 2);
  const starts: number[] = [];
  let total = 0;
  for (const line of lines) {
    starts.push(total);
    total += rowsOf(line, width - 3).length;
  }
  if (total === 0 || inner === 0) return undefined;
  const top = Math.max(0, total - inner - scroll);
  const bottom = Math.min(total - 1, top + inner - 1);
  let at = starts.length - 1;
  while (at > 0 && starts[at] > bottom) at--;
  return { line: lines[at], row: starts[at] >= top ? starts[at] : bottom };
}

/** Continuation lines of a long log line start under its text, past the clock (`00:42.1 `). */
const LOG_INDENT = 10;

/**
 * `text` broken between words into lines of at most `width` cells, the continuations indented by
 * `indent`; a single word longer than a line is left for the pane to cut. `width` 0 keeps one line.
 *
 * @example wrapWords('00:42.1 processor failed (Error: cannot parse order 200)', 30, 10) // ['00:42.1 processor failed', '          (Error: cannot parse order 200)']
 */
export function wrapWords(text: string, width: number, indent: number): string[] {
  if (width <= 0 || text.length <= width) return [text];
  const pad = ' '.repeat(Math.min(indent, Math.floor(width / 2)));
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line === '' || line === pad) line += word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      out.push(line);
      line = pad + word;
    }
  }
  out.push(line);
  return out;
}

/**
 * Props of the Log pane. `scroll` counts lines up from the newest (0 follows the log).
 *
 * @example <LogPane lines={controller.logLines(filter)} width={100} height={8} focused={false} scroll={0} filter="" />
 */
export interface LogPaneProps {
  /** The pane's number (its digit key); default 5. */
  number?: number;
  lines: readonly LogLine[];
  width: number;
  height: number;
  focused: boolean;
  scroll: number;
  filter: string;
  /** True while the filter is being typed. */
  editing: boolean;
}

/** The Log pane. */
export function LogPane({ number = 5, lines, width, height, focused, scroll, filter, editing }: LogPaneProps) {
  const rows = logRows(lines, width - 3);
  const inner = Math.max(0, height - 2);
  const top = Math.max(0, rows.length - inner - scroll);
  const note = editing ? `/${filter}_` : filter ? `/${filter}` : scroll > 0 ? `scrolled ${scroll}` : undefined;
  // Focused, the line enter opens is marked.
  const selected = focused && !editing ? logLineShown(lines, width, height, scroll)?.row : undefined;
  return <Pane number={number} title="Log" note={note} width={width} height={height} focused={focused} rows={rows.length ? rows : [{ text: filter ? `no lines match "${filter}"` : 'no events yet', tone: 'dim' }]} top={top} selected={selected} />;
}
