/**
 * Pane 1, Sources: per source its ledger (where every record is, where failed ones went), per queue its
 * visible / in-flight / delayed / redriven messages and pollers, per stream a row per shard with its
 * checkpoint against the tip, iterator age and state, per function its async queue and retries.
 * The rows come from source-rows.ts, one renderer per kind of source.
 */
import type { SimState } from '../engine/state.js';
import type { Model } from '../scenario/model.js';
import { Pane } from './Pane.js';
import { sourcesRows } from './source-rows.js';

export { sourcesRows };

/**
 * Props of the Sources pane.
 *
 * @example <SourcesPane state={snapshot} model={model} width={52} height={10} focused selected={0} />
 */
export interface SourcesPaneProps {
  /** The pane's number (its digit key); default 1. */
  number?: number;
  state: SimState;
  model: Model;
  width: number;
  height: number;
  focused: boolean;
  selected?: number;
}

/** The Sources pane. */
export function SourcesPane({ number = 1, state, model, width, height, focused, selected }: SourcesPaneProps) {
  return <Pane number={number} title="Sources" width={width} height={height} focused={focused} rows={sourcesRows(state, model, width - 3, height - 2)} selected={selected} />;
}
