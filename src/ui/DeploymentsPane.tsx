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
export function deploymentRows(state: SimState, width: number): PaneRow[] {
  const rows: PaneRow[] = [];
  const view = state.modules[DEPLOYMENTS] as DeploymentsViewState | undefined;
  const deployments = view?.deployments ?? [];
  for (const [key, a] of Object.entries(state.aliases)) {
    rows.push({ text: `${key}  ${weightsText(a)}${a.provisioned ? `  prov ${a.provisioned}` : ''}`, tone: 'title', target: { title: `GetAlias ${key}`, module: DEPLOYMENTS, key } });
    const fn = state.functions[a.fn];
    const versions = [...new Set([a.version, ...Object.keys(a.additionalVersionWeights), ...deployments.filter((d) => d.alias === key).flatMap((d) => [d.from, d.to])])];
    for (const v of versions) {
      const vs = fn?.versions[v];
      if (!vs) continue;
      rows.push({
        text: `  v${v}  inv ${formatCount(vs.invocations)}  err ${formatCount(vs.errors)}  cold ${formatCount(vs.coldStarts)}  warm ${vs.envs.onDemand + vs.envs.provisioned}`,
        tone: vs.errors > 0 ? 'warn' : 'dim',
      });
    }
    for (const d of deployments.filter((x) => x.alias === key)) {
      const tone: PaneRow['tone'] = d.status === 'Stopped' || d.status === 'Failed' ? 'bad' : d.status === 'Succeeded' ? 'ok' : undefined;
      const head = `  ${d.id} v${d.from}->v${d.to} ${d.config.replace('CodeDeployDefault.Lambda', '')}  ${statusText(d)}`;
      rows.push({ text: head, tone });
      const spark = weightLine(d, Math.min(24, width - 14));
      if (spark) rows.push({ text: `    weight v${d.to} ${spark} ${Math.round((d.weights[d.weights.length - 1]?.weight ?? 0) * 100)}%`, tone: 'dim' });
      for (const [hook, h] of Object.entries(d.hooks)) {
        rows.push({ text: `    hook ${hook} ${h.fn}: ${h.status}`, tone: h.status === 'Failed' ? 'bad' : h.status === 'Succeeded' ? 'ok' : 'dim' });
      }
      for (const al of d.alarms) {
        const value = al.value === null ? '-' : String(al.value);
        rows.push({
          text: `    alarm ${al.name} ${al.state}  ${al.metric}${al.executedVersion ? ` v${al.executedVersion}` : ''} ${al.statistic} ${value} (>= ${al.threshold})  ${al.breaching}/${al.datapointsToAlarm}`,
          tone: al.state === 'ALARM' ? 'bad' : al.state === 'OK' ? 'ok' : 'dim',
        });
      }
      if (d.rolledBackAtMs !== undefined) rows.push({ text: `    rolled back at ${formatClock(d.rolledBackAtMs)}${d.reason ? `: ${d.reason}` : ''}`, tone: 'bad' });
      else if (d.reason && d.endedAtMs !== undefined) rows.push({ text: `    ${d.reason}`, tone: 'dim' });
    }
  }
  if (rows.length === 0) rows.push({ text: 'no aliases', tone: 'dim' });
  return rows;
}

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
