/**
 * Pane 2, Concurrency: per function its concurrent executions against its limit (reserved, else the
 * account's unreserved pool), warm and provisioned environments, cold starts, throttles, and a sparkline
 * of its recent concurrency.
 */
import type { SimState } from '../engine/state.js';
import { fit, formatCount, sparkline } from './format.js';
import { Pane } from './Pane.js';
import { type PaneRow, wrapRow } from './pane-row.js';
import { concurrencyLimit } from './selectors.js';
import { lastCall } from './last-call.js';

/**
 * The pane's rows: the account first, then one or two rows per function (two when narrow).
 *
 * @example concurrencyRows(state, 40)[1].text // 'processor  4/1000 reserved ...'
 */
export const concurrencyRows = lastCall(function concurrencyRows(state: SimState, width: number): PaneRow[] {
  const a = state.account;
  const rows: PaneRow[] = wrapRow({ id: 'account', text: `account ${a.concurrency}/${a.limit}  unreserved ${a.unreservedConcurrency}/${a.unreservedPool}  peak ${a.peak}`, tone: 'dim' }, width);
  const names = Object.keys(state.functions);
  const nameWidth = Math.min(14, Math.max(4, ...names.map((n) => n.length)));
  for (const name of names) {
    const fn = state.functions[name];
    const { limit, kind } = concurrencyLimit(state, fn);
    const warm = fn.envs.onDemand + fn.envs.provisioned;
    const used = `${fn.concurrency}/${limit}${kind === 'reserved' ? ' res' : ''}`;
    const head = `${fit(name, nameWidth, true)} ${used.padEnd(10)}`;
    const stats = `warm ${warm}${fn.envs.provisioned ? ` (prov ${fn.envs.provisioned})` : ''}  cold ${formatCount(fn.coldStarts)}  thr ${formatCount(fn.throttles)}`;
    const tone: PaneRow['tone'] = fn.throttles > 0 && fn.concurrency >= limit ? 'bad' : fn.concurrency >= limit && limit > 0 ? 'warn' : undefined;
    const spark = (w: number) => sparkline(fn.history, w, limit > 0 && limit < 10_000 ? Math.min(limit, Math.max(...fn.history, 1)) : undefined);
    const oneLine = `${head} ${stats}`;
    if (oneLine.length + 10 <= width) {
      const w = Math.min(20, width - oneLine.length - 2);
      rows.push({ id: `function ${name}`, subject: `function/${name}`, text: `${oneLine}  ${spark(w)}`, tone });
    } else {
      const w = Math.max(0, Math.min(20, width - head.length - 1));
      rows.push({ id: `function ${name}`, subject: `function/${name}`, text: `${head} ${spark(w)}`, tone });
      rows.push({ id: `function ${name}`, subject: `function/${name}`, text: `${' '.repeat(Math.min(nameWidth, 2))} ${stats}`, tone: fn.throttles > 0 ? 'warn' : 'dim' });
    }
    // docs/versions.md: environments belong to one version; a function with versions gets a row for each
    // version that has run or holds environments.
    const versions = Object.values(fn.versions ?? {});
    if (versions.length > 1) {
      for (const v of versions) {
        if (v.invocations === 0 && v.envs.onDemand + v.envs.provisioned === 0) continue;
        const warmV = v.envs.onDemand + v.envs.provisioned;
        rows.push({
          text: `  ${v.version === '$LATEST' ? '$LATEST' : `v${v.version}`} ${v.concurrency} run  warm ${warmV}${v.envs.provisioned ? ` (prov ${v.envs.provisioned})` : ''}  cold ${formatCount(v.coldStarts)}  err ${formatCount(v.errors)}`,
          tone: 'dim',
        });
      }
    }
  }
  return rows;
});

/**
 * Props of the Concurrency pane.
 *
 * @example <ConcurrencyPane state={snapshot} width={46} height={10} focused={false} />
 */
export interface ConcurrencyPaneProps {
  /** The pane's number (its digit key); default 2. */
  number?: number;
  state: SimState;
  width: number;
  height: number;
  focused: boolean;
  selected?: number;
}

/** The Concurrency pane. */
export function ConcurrencyPane({ number = 2, state, width, height, focused, selected }: ConcurrencyPaneProps) {
  return <Pane number={number} title="Concurrency" width={width} height={height} focused={focused} rows={concurrencyRows(state, width - 3)} selected={selected} />;
}
