/**
 * Pane 3, In flight: each running invocation or batch: its function, source and shard, how many records
 * it carries, its attempt or label (e.g. `bisect 2/6`), and the time it has used against its timeout.
 */
import type { SimState } from '../engine/state.js';
import { formatDuration, usageBar } from './format.js';
import { Pane } from './Pane.js';
import type { PaneRow } from './pane-row.js';
import { inspectModuleOf, shardLabelIn, sortedInFlight } from './selectors.js';
import { lastCall } from './last-call.js';

/**
 * The pane's rows, oldest invocation first.
 *
 * @example inFlightRows(state, 50)[0].text // 'processor shard-1 b7  32 rec  bisect 2/6  0.8s of 3s'
 */
export const inFlightRows = lastCall(function inFlightRows(state: SimState, width: number): PaneRow[] {
  const list = sortedInFlight(state);
  if (list.length === 0) return [{ text: 'nothing running', tone: 'dim' }];
  const hidden = runningCount(state) - list.length;
  const more: PaneRow[] = hidden > 0 ? [{ text: `+${hidden} more running (the oldest ${list.length} are listed)`, tone: 'dim' }] : [];
  return list.map((inv): PaneRow => {
    const where = [inv.version === undefined ? inv.fn : `${inv.fn}:${inv.alias ? `${inv.alias}->` : ''}v${inv.version}`];
    if (inv.shard) where.push(shardLabelIn(state, inv.shard));
    else if (inv.source && !inv.source.startsWith('async:')) where.push(inv.source);
    if (inv.batchId) where.push(inv.batchId);
    const initialising = state.t < inv.runStartsAtMs;
    const usedMs = Math.max(0, state.t - inv.runStartsAtMs);
    const label = inv.label ?? (inv.attempt > 1 ? `attempt ${inv.attempt}` : inv.trigger);
    const time = initialising ? 'cold start' : `${formatDuration(usedMs)} of ${formatDuration(inv.timeoutMs)}`;
    const text = `${where.join(' ')}  ${inv.records} rec  ${label}  ${time}`;
    const barWidth = Math.min(12, width - text.length - 2);
    const bar = barWidth >= 5 ? `  ${usageBar(usedMs, inv.timeoutMs, barWidth)}` : '';
    const key = inv.batchId ?? inv.requestId;
    return {
      text: text + bar,
      tone: usedMs > inv.timeoutMs * 0.8 ? 'warn' : inv.attempt > 1 ? 'warn' : undefined,
      target: { title: `${inv.fn} ${inv.batchId ? `batch ${inv.batchId}` : inv.requestId}: event`, module: inspectModuleOf(state, inv), key },
      requestId: inv.requestId,
      subject: `function/${inv.fn}`,
    };
  }).concat(more);
});

/**
 * How many invocations run now: the snapshot lists at most IN_FLIGHT_VIEW of them, the account's
 * concurrency counts them all.
 *
 * @example runningCount(state) // 100 while 100 batches run
 */
export function runningCount(state: SimState): number {
  return Math.max(Object.keys(state.inFlight).length, state.account.concurrency);
}

/**
 * Props of the In flight pane.
 *
 * @example <InFlightPane state={snapshot} width={52} height={6} focused={false} />
 */
export interface InFlightPaneProps {
  /** The pane's number (its digit key); default 3. */
  number?: number;
  state: SimState;
  width: number;
  height: number;
  focused: boolean;
  selected?: number;
}

/** The In flight pane. */
export function InFlightPane({ number = 3, state, width, height, focused, selected }: InFlightPaneProps) {
  const n = runningCount(state);
  return <Pane number={number} title="In flight" note={n > 0 ? String(n) : undefined} width={width} height={height} focused={focused} rows={inFlightRows(state, width - 3)} selected={selected} />;
}
