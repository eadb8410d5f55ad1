/**
 * The pane registry: every pane of the dashboard is one entry here, known by its name. Focus, selection,
 * the help's pane list, the digit keys and the layout all read this list, so adding a pane is adding an
 * entry (docs/dashboard.md, "Adding a pane"): a name, a title, a place on the screen, a legend for `?`,
 * its rows (what is selectable and what `enter` inspects) and how it draws.
 *
 * Panes are numbered in registry order among those shown for the scenario (`when`), which is also the
 * order of `tab`. New panes go after the existing ones so that the numbers people know stay the same.
 */
import type { ReactElement } from 'react';
import type { CostSummary } from '../cost/price.js';
import type { MetricsReader } from '../engine/metrics.js';
import type { SimState } from '../engine/state.js';
import type { Model } from '../scenario/model.js';
import { ConcurrencyPane, concurrencyRows } from './ConcurrencyPane.js';
import { DeploymentsPane, deploymentRows } from './DeploymentsPane.js';
import { DestinationsPane, destinationsRows } from './DestinationsPane.js';
import { InFlightPane, inFlightRows } from './InFlightPane.js';
import type { Layout } from './layout.js';
import { LogPane } from './LogPane.js';
import type { HandlerLogLine } from './controller.js';
import type { PaneRow } from './pane-row.js';
import { SourcesPane, sourcesRows } from './SourcesPane.js';
import { StateMachinesPane, stateMachineRows } from './StateMachinesPane.js';
import type { LogLine } from './trace-lines.js';

/**
 * Where a pane sits: one of the four cells of the two upper bands, or the full-width band at the bottom.
 * Several panes in one cell share its height, in registry order.
 *
 * @example const place: PanePlace = 'top-left';
 */
export type PanePlace = 'top-left' | 'top-right' | 'mid-left' | 'mid-right' | 'bottom';

/**
 * What a pane is drawn from: the snapshot at the cursor, the model, and the log lines up to the cursor
 * (already filtered), all data; the UI state a pane needs comes in PaneDrawProps.
 *
 * @example const view: DashboardView = { state: controller.snapshot, model, layout, logLines: [] };
 */
export interface DashboardView {
  state: SimState;
  model: Model;
  /** Undefined when the terminal is below MIN_SIZE. */
  layout: Layout | undefined;
  /** The log up to the cursor, with the active filter applied. */
  logLines: readonly LogLine[];
  /** The handlers' CloudWatch lines up to the cursor, for the Logs view (as its function / invocation choice narrows them). */
  handlerLogs?: readonly HandlerLogLine[];
  /** The run's metrics, for the Metrics view. */
  metrics?: MetricsReader;
  /** The cost at the cursor, for the header and the Cost view. */
  cost?: CostSummary;
  /** The pane zoomed to the whole body (`z`), if any. */
  zoomed?: string;
  /** The last tick the timeline strip spans (see Timeline), for a click on it. */
  timelineEnd?: number;
}

/**
 * The box a pane gets, in cells, borders included.
 *
 * @example const box: PaneBox = { width: 60, height: 12 };
 */
export interface PaneBox {
  width: number;
  height: number;
}

/**
 * What a pane's draw function gets.
 *
 * @example def.draw({ view, box, number: 1, focused: true, selected: 0, scroll: 0, filter: '', editing: false })
 */
export interface PaneDrawProps {
  view: DashboardView;
  box: PaneBox;
  /** The pane's number (its digit key). */
  number: number;
  focused: boolean;
  /** The selected row, clamped to the rows there are. */
  selected: number;
  /** Lines scrolled back from the newest (scrolling panes). */
  scroll: number;
  /** The log filter, as typed so far while editing. */
  filter: string;
  editing: boolean;
}

/**
 * One entry of the registry.
 *
 * @example PANE_REGISTRY.find((p) => p.name === 'log')!.title // 'Log'
 */
export interface PaneDef {
  /** The stable name UI state uses (focus, selection); never shown. */
  name: string;
  /** The title on the border, and in the help's pane list. */
  title: string;
  place: PanePlace;
  /** What the pane shows and how to read it: one line, for the help overlay and the README. */
  legend: string;
  /**
   * Selectable rows, in the pane's inner width and height: what j/k move over and enter inspects. A pane
   * without rows scrolls instead (j/k move its view back through its lines).
   */
  rows?: (view: DashboardView, inner: PaneBox) => PaneRow[];
  draw: (props: PaneDrawProps) => ReactElement;
  /** Shown only for scenarios where this holds (default: always). */
  when?: (model: Model) => boolean;
}

/**
 * The registry, in focus order.
 *
 * @example PANE_REGISTRY.map((p) => p.title) // ['Sources', 'Concurrency', 'In flight', 'Destinations', 'Log']
 */
export const PANE_REGISTRY: readonly PaneDef[] = [
  {
    name: 'sources',
    title: 'Sources',
    place: 'top-left',
    legend:
      'per source its ledger (put, ok, failed -> where); per queue visible / in flight / delayed and its pollers; per shard a position bar [###|..] (# done up to the checkpoint |, . records waiting up to the tip), iterator age (the oldest unfinished record) and state (ok, behind, retrying with attempt n of m, bisecting, blocked); lanes n/m: busy lanes of a parallelization factor',
    rows: (view, inner) => sourcesRows(view.state, view.model, inner.width, inner.height),
    draw: (p) => <SourcesPane number={p.number} state={p.view.state} model={p.view.model} width={p.box.width} height={p.box.height} focused={p.focused} selected={p.selected} />,
  },
  {
    name: 'concurrency',
    title: 'Concurrency',
    place: 'top-right',
    legend: 'per function concurrent executions / limit (res: reserved concurrency, else the account\'s unreserved pool), warm environments (prov: provisioned), cold starts, thr: throttles, and a sparkline of the last 60 ticks\' concurrency, low to high " ._-=+*#"; the account line: all functions against the account limit',
    rows: (view, inner) => concurrencyRows(view.state, inner.width),
    draw: (p) => <ConcurrencyPane number={p.number} state={p.view.state} width={p.box.width} height={p.box.height} focused={p.focused} selected={p.selected} />,
  },
  {
    name: 'inFlight',
    title: 'In flight',
    place: 'mid-left',
    legend: 'each running invocation or batch: function, shard or source, batch id, records, attempt or bisect label, time used of the timeout [##..] (# used, . left; yellow past 80% of it, or on a retry)',
    rows: (view, inner) => inFlightRows(view.state, inner.width),
    draw: (p) => <InFlightPane number={p.number} state={p.view.state} width={p.box.width} height={p.box.height} focused={p.focused} selected={p.selected} />,
  },
  {
    name: 'destinations',
    title: 'Destinations',
    place: 'mid-right',
    legend: 'deliveries per destination and condition (onSuccess, onFailure, DLQ) with the time of the newest; enter shows its payload',
    rows: (view, inner) => destinationsRows(view.state, inner.width),
    draw: (p) => <DestinationsPane number={p.number} state={p.view.state} width={p.box.width} height={p.box.height} focused={p.focused} selected={p.selected} />,
  },
  {
    name: 'log',
    title: 'Log',
    place: 'bottom',
    legend: 'the trace as lines, newest at the bottom: failures and deliveries stand out; / filters it, j/k scroll back',
    draw: (p) => (
      <LogPane number={p.number} lines={p.view.logLines} width={p.box.width} height={p.box.height} focused={p.focused} scroll={p.scroll} filter={p.filter} editing={p.editing} />
    ),
  },
  {
    name: 'deployments',
    title: 'Deployments',
    place: 'top-left',
    legend:
      'per alias its weights now, per version invocations, errors, cold starts and warm environments, each deployment: status, the new version\'s weight over time, hooks, alarms (state, value, breaching periods of those needed) and the rollback; enter on an alias shows GetAlias',
    rows: (view, inner) => deploymentRows(view.state, inner.width),
    draw: (p) => <DeploymentsPane number={p.number} state={p.view.state} width={p.box.width} height={p.box.height} focused={p.focused} selected={p.selected} />,
    when: (model) => Object.values(model.functions).some((fn) => Object.keys(fn.aliases).length > 0),
  },
  {
    name: 'stateMachines',
    title: 'State machines',
    place: 'mid-right',
    legend: 'per state machine its executions (run, ok, failed), retries and catches so far and the newest error; per state how many executions are in it now and how many entered it',
    rows: (view) => stateMachineRows(view.state),
    draw: (p) => <StateMachinesPane number={p.number} state={p.view.state} width={p.box.width} height={p.box.height} focused={p.focused} selected={p.selected} />,
    when: (model) => Object.keys(model.stateMachines ?? {}).length > 0,
  },
];

/**
 * The panes shown for a model, in focus order; a pane's number is its position here plus one.
 *
 * @example panesFor(model).map((p) => p.name) // ['sources', 'concurrency', 'inFlight', 'destinations', 'log']
 */
export function panesFor(model: Model): readonly PaneDef[] {
  return PANE_REGISTRY.filter((p) => p.when === undefined || p.when(model));
}

/**
 * A pane by name, or undefined.
 *
 * @example paneNamed('log')!.title // 'Log'
 */
export function paneNamed(name: string): PaneDef | undefined {
  return PANE_REGISTRY.find((p) => p.name === name);
}

/**
 * The box of every pane in a layout: each cell's height shared by the panes placed in it (the first gets
 * the remainder), the left and right widths from the layout.
 *
 * @example paneBoxes(layout, panesFor(model)).get('sources') // { width: 60, height: 12 }
 */
export function paneBoxes(l: Layout, panes: readonly PaneDef[]): Map<string, PaneBox> {
  const boxes = new Map<string, PaneBox>();
  const cell: Record<PanePlace, PaneBox> = {
    'top-left': { width: l.leftWidth, height: l.topHeight },
    'top-right': { width: l.rightWidth, height: l.topHeight },
    'mid-left': { width: l.leftWidth, height: l.midHeight },
    'mid-right': { width: l.rightWidth, height: l.midHeight },
    bottom: { width: l.columns, height: l.logHeight },
  };
  for (const place of Object.keys(cell) as PanePlace[]) {
    const here = panes.filter((p) => p.place === place);
    const each = Math.floor(cell[place].height / Math.max(1, here.length));
    here.forEach((p, i) => boxes.set(p.name, { width: cell[place].width, height: i === 0 ? cell[place].height - each * (here.length - 1) : each }));
  }
  return boxes;
}

/**
 * The box pane `name` has on screen: the whole body when it is zoomed, else its cell's share.
 *
 * @example paneBox(view, 'log') // { width: 100, height: 7 }
 */
export function paneBox(view: DashboardView, name: string): PaneBox | undefined {
  if (!view.layout) return undefined;
  if (view.zoomed === name) return { width: view.layout.columns, height: view.layout.bodyHeight };
  return paneBoxes(view.layout, panesFor(view.model)).get(name);
}

/**
 * The selectable rows of a pane as laid out (empty for scrolling panes and when there is no layout).
 *
 * @example paneRows(view, 'sources').length
 */
export function paneRows(view: DashboardView, name: string): PaneRow[] {
  const def = paneNamed(name);
  if (!def?.rows || !view.layout) return [];
  const box = paneBox(view, name);
  if (!box) return [];
  return def.rows(view, { width: box.width - 3, height: box.height - 2 });
}

/**
 * The help's line naming the panes by number.
 *
 * @example paneListLine(model) // 'panes: 1 Sources  2 Concurrency  3 In flight  4 Destinations  5 Log'
 */
export function paneListLine(model?: Model): string {
  const panes = model ? panesFor(model) : PANE_REGISTRY;
  return `panes: ${panes.map((p, i) => `${i + 1} ${p.title}`).join('  ')}`;
}

/**
 * The pane drawn at cell (`x`, `y`) of the screen (0-based, the header's first line is y 0), or
 * undefined for the header, the timeline, the footer and when there is no layout: where a mouse click
 * or the wheel lands. Follows the App's drawing: the header, the two upper bands split at `leftWidth`,
 * the bottom band; the panes of a cell stacked in registry order (paneBoxes); a zoomed pane fills the body.
 *
 * @example paneAt(view, 5, 3) // 'sources' at 100x30
 */
export function paneAt(view: DashboardView, x: number, y: number): string | undefined {
  const l = view.layout;
  if (!l) return undefined;
  const row = y - l.headerLines;
  if (x < 0 || x >= l.columns || row < 0 || row >= l.bodyHeight) return undefined;
  if (view.zoomed) return view.zoomed;
  const panes = panesFor(view.model);
  const boxes = paneBoxes(l, panes);
  let place: PanePlace;
  let top: number;
  if (row < l.topHeight) [place, top] = [x < l.leftWidth ? 'top-left' : 'top-right', 0];
  else if (row < l.topHeight + l.midHeight) [place, top] = [x < l.leftWidth ? 'mid-left' : 'mid-right', l.topHeight];
  else [place, top] = ['bottom', l.topHeight + l.midHeight];
  for (const p of panes.filter((q) => q.place === place)) {
    const height = boxes.get(p.name)!.height;
    if (row < top + height) return p.name;
    top += height;
  }
  return undefined;
}
