/**
 * Pane 5, Log: the trace as short lines, newest at the bottom, bounded by the controller's log; `/`
 * filters it, j/k scroll back through it.
 */
import { Pane } from './Pane.js';
import type { PaneRow } from './pane-row.js';
import type { LogLine } from './trace-lines.js';

/**
 * The pane's rows from log lines: errors and failures stand out.
 *
 * @example logRows(controller.logLines('shard-1'))
 */
export function logRows(lines: readonly LogLine[]): PaneRow[] {
  return lines.map((line) => ({
    text: line.text,
    tone:
      line.type === 'deliver' || line.type === 'sqs.redrive' || line.type === 'record.expired'
        ? 'bad'
        : line.type === 'throttle' || line.type === 'batch.bisect' || line.type === 'fault.injected' || / (failed|timed out|partial) /.test(line.text)
          ? 'warn'
          : line.type === 'record.put' || line.type === 'checkpoint'
            ? 'dim'
            : undefined,
  }));
}

/**
 * Props of the Log pane. `scroll` counts lines up from the newest (0 follows the log).
 *
 * @example <LogPane lines={controller.logLines(filter)} width={100} height={8} focused={false} scroll={0} filter="" />
 */
export interface LogPaneProps {
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
export function LogPane({ lines, width, height, focused, scroll, filter, editing }: LogPaneProps) {
  const rows = logRows(lines);
  const inner = Math.max(0, height - 2);
  const top = Math.max(0, rows.length - inner - scroll);
  const note = editing ? `/${filter}_` : filter ? `/${filter}` : scroll > 0 ? `scrolled ${scroll}` : undefined;
  return <Pane number={5} title="Log" note={note} width={width} height={height} focused={focused} rows={rows.length ? rows : [{ text: filter ? `no lines match "${filter}"` : 'no events yet', tone: 'dim' }]} top={top} />;
}
