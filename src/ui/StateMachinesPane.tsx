/**
 * The State machines pane (docs/callers.md, "Step Functions"): per state machine its executions (running,
 * succeeded, failed), the retries and catches so far and the newest error, then per state how many
 * executions are in it now and how many entered it.
 */
import { STEP_FUNCTIONS, type StepFunctionsViewState } from '../engine/sources/stepfunctions.js';
import type { SimState } from '../engine/state.js';
import { formatCount } from './format.js';
import { Pane } from './Pane.js';
import type { PaneRow } from './pane-row.js';
import { lastCall } from './last-call.js';

/**
 * The pane's rows.
 *
 * @example stateMachineRows(state)[0].text // 'orders  run 3  ok 12  failed 1  retries 9  catches 2'
 */
export const stateMachineRows = lastCall(function stateMachineRows(state: SimState): PaneRow[] {
  const view = state.modules[STEP_FUNCTIONS] as StepFunctionsViewState | undefined;
  const rows: PaneRow[] = [];
  for (const m of Object.values(view?.machines ?? {})) {
    rows.push({
      id: `machine ${m.name}`,
      text: `${m.name}  run ${formatCount(m.running)}  ok ${formatCount(m.succeeded)}  failed ${formatCount(m.failed)}  retries ${formatCount(m.retries)}  catches ${formatCount(m.catches)}`,
      tone: m.failed > 0 ? 'warn' : 'title',
    });
    for (const st of m.states) {
      rows.push({ id: `state ${m.name} ${st.name}`, text: `  ${st.name} (${st.type})  now ${formatCount(st.now)}  entered ${formatCount(st.entered)}`, tone: st.now > 0 ? undefined : 'dim' });
    }
    if (m.lastError) rows.push({ text: `  last error ${m.lastError}`, tone: 'bad' });
  }
  if (rows.length === 0) rows.push({ text: 'no state machines', tone: 'dim' });
  return rows;
});

export interface StateMachinesPaneProps {
  number?: number;
  state: SimState;
  width: number;
  height: number;
  focused: boolean;
  selected?: number;
}

/** The State machines pane. */
export function StateMachinesPane({ number = 6, state, width, height, focused, selected }: StateMachinesPaneProps) {
  return <Pane number={number} title="State machines" width={width} height={height} focused={focused} rows={stateMachineRows(state)} selected={selected} />;
}
