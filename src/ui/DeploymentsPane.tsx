/**
 * The Deployments pane (docs/versions.md): per alias its routing now and the new version's weight over
 * time, per version its invocations, errors and cold starts, each alarm's state and how many of its
 * periods breach, the hooks, and the moment of a rollback. Enter on an alias row shows the alias as
 * GetAlias returns it.
 */
import { DEPLOYMENTS, type DeploymentsViewState, type DeploymentView } from '../engine/deployments.js';
import type { SimState } from '../engine/state.js';
import { formatClock, formatCount, sparkline } from './format.js';
import { Pane } from './Pane.js';
import type { PaneRow } from './pane-row.js';
import { lastCall } from './last-call.js';

const OPS: Record<string, string> = { GreaterThanOrEqualToThreshold: '>=', GreaterThanThreshold: '>', LessThanThreshold: '<', LessThanOrEqualToThreshold: '<=' };

function weightsText(a: SimState['aliases'][string]): string {
  const extra = Object.entries(a.additionalVersionWeights);
  if (extra.length === 0) return `v${a.version} 100%`;
  const [v, w] = extra[0];
  return `v${a.version} ${Math.round((1 - w) * 100)}%  v${v} ${Math.round(w * 100)}%`;
}

function statusText(d: DeploymentView): string {
  if (d.status === 'Shifting') return `shifting ${d.step}/${d.steps}`;
  if (d.status === 'Scheduled') return `starts ${formatClock(d.startsAtMs)}`;
  return d.status;
}

/** The weight of the new version over the view's history, as a sparkline of `width` cells. */
function weightLine(d: DeploymentView, width: number): string {
  if (d.weights.length === 0 || width < 4) return '';
  // One cell per weight change, the latest held to the right edge, so the steps read as a staircase.
  const values = d.weights.map((w) => Math.round(w.weight * 100));
  const cells: number[] = [];
  const per = Math.max(1, Math.floor(width / Math.max(1, values.length)));
  for (const v of values) for (let i = 0; i < per && cells.length < width; i++) cells.push(v);
  while (cells.length < width) cells.push(values[values.length - 1]);
  return sparkline(cells, width, 100);
}

/**
 * The pane's rows: per alias (with or without a deployment) its routing, then each deployment of it.
 *
 * @example deploymentRows(state, 40)[0].text // 'checkout:live  v1 90%  v2 10%'
 */
export const deploymentRows = lastCall(function deploymentRows(state: SimState, width: number): PaneRow[] {
  const rows: PaneRow[] = [];
  const view = state.modules[DEPLOYMENTS] as DeploymentsViewState | undefined;
  const deployments = view?.deployments ?? [];
  for (const [key, a] of Object.entries(state.aliases)) {
    const mine = deployments.filter((d) => d.alias === key);
    // The deployment that matters now: the running one, else the latest that started, else the next.
    const current = mine.find((d) => d.status !== 'Scheduled' && d.endedAtMs === undefined) ?? [...mine].reverse().find((d) => d.startedAtMs !== undefined) ?? mine[0];
    const status = current ? `  ${current.config.replace('CodeDeployDefault.Lambda', '')} ${statusText(current)}` : '';
    const tone: PaneRow['tone'] = current?.status === 'Stopped' || current?.status === 'Failed' ? 'bad' : current?.status === 'Succeeded' ? 'ok' : 'title';
    rows.push({ text: `${key}  ${weightsText(a)}${a.provisioned ? ` prov ${a.provisioned}` : ''}${status}`, tone, target: { title: `GetAlias ${key}`, module: DEPLOYMENTS, key }, subject: `alias/${key}` });
    const fn = state.functions[a.fn];
    const versions = [...new Set([a.version, ...Object.keys(a.additionalVersionWeights), ...mine.flatMap((d) => [d.from, d.to])])];
    const parts = versions
      .map((v) => [v, fn?.versions[v]] as const)
      .filter(([, vs]) => vs !== undefined)
      .map(([v, vs]) => `v${v} inv ${formatCount(vs!.invocations)} err ${formatCount(vs!.errors)} cold ${formatCount(vs!.coldStarts)}`);
    if (parts.length > 0) rows.push({ text: `  ${parts.join('   ')}`, tone: 'dim' });
    for (const d of mine) {
      if (d !== current) rows.push({ text: `  ${d.id} v${d.from}->v${d.to} ${d.config.replace('CodeDeployDefault.Lambda', '')} ${statusText(d)}`, tone: 'dim' });
    }
    if (!current) continue;
    for (const al of current.alarms) {
      const value = al.value === null ? '-' : String(al.value);
      rows.push({
        text: `  alarm ${al.name} ${al.state}  ${al.metric}${al.executedVersion ? ` v${al.executedVersion}` : ''} ${al.statistic} ${value} ${OPS[al.comparisonOperator] ?? '?'} ${al.threshold} (${al.breaching}/${al.datapointsToAlarm})`,
        tone: al.state === 'ALARM' ? 'bad' : al.state === 'OK' ? 'ok' : 'dim',
      });
    }
    if (current.rolledBackAtMs !== undefined) rows.push({ text: `  rolled back at ${formatClock(current.rolledBackAtMs)}${current.reason ? `: ${current.reason}` : ''}`, tone: 'bad' });
    const spark = weightLine(current, Math.min(20, Math.max(0, width - 40)));
    const hooks = Object.entries(current.hooks).map(([hook, h]) => `${hook} ${h.fn} ${h.status}`);
    rows.push({ text: `  weight v${current.to} ${spark} ${Math.round((current.weights[current.weights.length - 1]?.weight ?? 0) * 100)}%${hooks.length ? `  hooks: ${hooks.join(', ')}` : ''}`, tone: 'dim' });
    if (current.reason && current.rolledBackAtMs === undefined) rows.push({ text: `  ${current.reason}`, tone: 'dim' });
  }
  if (rows.length === 0) rows.push({ text: 'no aliases', tone: 'dim' });
  return rows;
});

/**
 * Props of the Deployments pane.
 *
 * @example <DeploymentsPane number={6} state={snapshot} width={40} height={10} focused={false} />
 */
export interface DeploymentsPaneProps {
  number: number;
  state: SimState;
  width: number;
  height: number;
  focused: boolean;
  selected?: number;
}

/** The Deployments pane. */
export function DeploymentsPane({ number, state, width, height, focused, selected }: DeploymentsPaneProps) {
  return <Pane number={number} title="Deployments" width={width} height={height} focused={focused} rows={deploymentRows(state, width - 3)} selected={selected} />;
}
