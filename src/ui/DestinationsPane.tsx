/**
 * Pane 4, Destinations: deliveries per destination and condition (onSuccess, onFailure, DLQ); selecting
 * one and pressing enter shows the newest payload, exactly as AWS would deliver it.
 */
import type { Delivery, SimState } from '../engine/state.js';
import { formatClock, formatCount } from './format.js';
import { Pane } from './Pane.js';
import { type PaneRow, wrapRow } from './pane-row.js';
import { destinationRows } from './selectors.js';
import { lastCall } from './last-call.js';

/**
 * The pane's rows: a row per destination, then one per condition with its count and the time of the
 * newest delivery; a condition row inspects to that delivery's payload.
 *
 * @example destinationsRows(state).map((r) => r.text) // ['orders-failed (queue)  1', '  onFailure RetryAttemptsExhausted  1  at 00:42.1']
 */
export const destinationsRows = lastCall(function destinationsRows(state: SimState, width: number = 0): PaneRow[] {
  const rows = destinationRows(state);
  if (rows.length === 0) return [{ text: 'no deliveries yet', tone: 'dim' }];
  const out: PaneRow[] = [];
  let current = '';
  for (const r of rows) {
    if (r.to !== current) {
      current = r.to;
      out.push({ id: `destination ${r.to}`, text: `${r.to} (${r.resourceKind})  ${formatCount(state.destinations[r.to].total)}`, tone: 'title', target: r.latest ? { title: `${r.to} ${r.kind} ${r.condition}: newest payload`, value: inspectValue(r.latest) } : undefined });
    }
    out.push(
      ...wrapRow(
        {
          id: `destination ${r.to} ${r.kind} ${r.condition}`,
          text: `  ${r.kind || '?'} ${r.condition}  ${formatCount(r.count)}${r.latest ? `  at ${formatClock(r.latest.t)}` : ''}`,
          tone: r.kind === 'onSuccess' ? undefined : 'warn',
          target: r.latest ? { title: `${r.to} ${r.kind} ${r.condition}: newest payload`, value: inspectValue(r.latest) } : undefined,
        },
        width,
        4,
      ),
    );
  }
  return out;
});

/**
 * Props of the Destinations pane.
 *
 * @example <DestinationsPane state={snapshot} width={46} height={6} focused selected={0} />
 */
export interface DestinationsPaneProps {
  /** The pane's number (its digit key); default 4. */
  number?: number;
  state: SimState;
  width: number;
  height: number;
  focused: boolean;
  selected?: number;
}

/** The Destinations pane. */
export function DestinationsPane({ number = 4, state, width, height, focused, selected }: DestinationsPaneProps) {
  return <Pane number={number} title="Destinations" width={width} height={height} focused={focused} rows={destinationsRows(state, width - 3)} selected={selected} />;
}

/** What enter shows: the payload as delivered; for a DLQ, the message with the attributes AWS adds. */
function inspectValue(delivery: Delivery): unknown {
  return delivery.messageAttributes ? { body: delivery.payload, messageAttributes: delivery.messageAttributes } : delivery.payload;
}
