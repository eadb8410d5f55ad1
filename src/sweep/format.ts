/**
 * What `lambda-tui sweep` prints: the objective parser, the table of rows, and a bar chart of one metric
 * against one axis.
 */
import { formatDuration, parseDuration } from '../lang/duration.js';
import { formatUsd } from '../output/format-summary.js';
import type { PointMetrics } from './point.js';
import { METRIC_NAMES, type Objective, type SweepRow } from './sweep.js';
import { SetUsageError, type JsonValue } from './set.js';

const TIME_METRICS = new Set<keyof PointMetrics>(['p50', 'p99', 'peakAge']);

/**
 * Parses `--objective 'p99<2s'`: a metric (cost, p50, p99, peakAge, failures, throttles, coldStarts), an
 * operator (<, <=, >, >=) and a value (a duration for latencies and ages, dollars for cost).
 *
 * @example parseObjective('p99<2s') // { metric: 'p99', op: '<', value: 2000, text: 'p99<2s' }
 */
export function parseObjective(text: string): Objective {
  const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(<=|>=|<|>)\s*(.+?)\s*$/.exec(text);
  const metric = m?.[1] as keyof PointMetrics | undefined;
  if (!m || !metric || !METRIC_NAMES.includes(metric)) {
    throw new SetUsageError(`--objective: '${text}' is not <metric><op><value>; metrics: ${METRIC_NAMES.join(', ')}; ops: < <= > >= (e.g. 'p99<2s', 'cost<0.01')`);
  }
  const raw = m[3];
  const value = TIME_METRICS.has(metric) ? parseDuration(raw) : Number(raw.replace(/^\$/, ''));
  if (value === undefined || !Number.isFinite(value)) {
    throw new SetUsageError(`--objective: '${raw}' is not a ${TIME_METRICS.has(metric) ? 'duration (e.g. 2s, 500ms)' : 'number'} for ${metric}`);
  }
  return { metric, op: m[2] as Objective['op'], value, text: text.trim() };
}

/** A metric's value as the table shows it. */
export function formatMetric(metric: keyof PointMetrics, value: number | null): string {
  if (value === null) return '-';
  if (metric === 'cost') return formatUsd(value);
  if (TIME_METRICS.has(metric)) return formatDuration(Math.round(value));
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function showValue(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The last name of a path, for a column heading: `eventSourceMappings[0].batchSize` -> `batchSize`. */
function heading(path: string): string {
  return path.split('.').pop()!.replace(/\[\d+\]$/, '');
}

/** The rows as a table; `*` marks the cheapest point meeting the objective. */
export function formatTable(rows: SweepRow[], paths: string[], objectives: Objective[]): string {
  const head = ['', '#', ...paths.map(heading), 'cost', 'p50', 'p99', 'peak age', 'failures', 'throttles', 'cold'];
  const body = rows.map((r) => [
    r.best ? '*' : '',
    String(r.index),
    ...paths.map((p) => showValue(r.set[p])),
    formatMetric('cost', r.metrics.cost),
    formatMetric('p50', r.metrics.p50),
    formatMetric('p99', r.metrics.p99),
    formatMetric('peakAge', r.metrics.peakAge),
    formatMetric('failures', r.metrics.failures),
    formatMetric('throttles', r.metrics.throttles),
    formatMetric('coldStarts', r.metrics.coldStarts),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 + paths.length || i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(head), ...body.map(line)];
  const best = rows.find((r) => r.best);
  const goal = objectives.length ? `meeting ${objectives.map((o) => o.text).join(' and ')}` : '';
  out.push('');
  out.push(best ? `* cheapest point${goal ? ` ${goal}` : ''}: #${best.index} (${paths.map((p) => `${heading(p)}=${showValue(best.set[p])}`).join(', ')}) at ${formatUsd(best.metrics.cost)}` : `no point ${goal || 'ran'}`);
  return out.join('\n') + '\n';
}

/**
 * A bar chart of `metric` for each value of `axis`; over the other axes' points, the mean.
 *
 * @example formatChart(rows, 'eventSourceMappings[0].batchSize', 'p99', 40)
 */
export function formatChart(rows: SweepRow[], axis: string, metric: keyof PointMetrics, width = 40): string {
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const v = r.metrics[metric];
    if (v === null) continue;
    const key = showValue(r.set[axis]);
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const entries = [...groups.entries()].map(([k, vs]) => [k, vs.reduce((a, b) => a + b, 0) / vs.length] as const);
  const max = Math.max(0, ...entries.map(([, v]) => v));
  const label = Math.max(...entries.map(([k]) => k.length), heading(axis).length);
  const multi = rows.length > groups.size;
  const out = [`${metric}${multi ? ' (mean over the other settings)' : ''} by ${heading(axis)}`];
  for (const [k, v] of entries) {
    const n = max > 0 ? Math.round((v / max) * width) : 0;
    out.push(`  ${k.padStart(label)} |${'#'.repeat(n)}${' '.repeat(width - n)}| ${formatMetric(metric, v)}`);
  }
  return out.join('\n') + '\n';
}
