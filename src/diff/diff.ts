/**
 * `lambda-tui diff <a> <b>`: what changed between two runs, per function, source, destination and cost
 * (docs/diff.md). Each input is a `--json` summary or a scenario (run headless here). `--fail-on
 * 'cost>+10%'` thresholds exit 1 when crossed, as diff(1) does when files differ, so a pull request can be
 * gated on it.
 */
import { readFile } from 'node:fs/promises';
import { createSimulation } from '../engine/simulation.js';
import { formatUsd } from '../output/format-summary.js';
import { summarize, type Summary } from '../output/summary.js';
import { formatDuration } from '../lang/duration.js';
import { loadScenario, ScenarioError } from '../scenario/load.js';

/** One compared figure: its dotted name and the two values (undefined where a side lacks it). */
export interface DiffRow {
  metric: string;
  a: number | undefined;
  b: number | undefined;
  /** Set when a threshold is crossed on this row. */
  crossed?: string;
}

export interface Threshold {
  /** A row name; `*` stands for one name segment (`functions.*.errors`). */
  metric: string;
  /** Crossed when b - a exceeds `value` (or, with percent, (b - a) / a x 100 does). */
  value: number;
  percent: boolean;
  text: string;
}

/** A usage error of `diff` (exit 2). */
export class DiffUsageError extends Error {}

/**
 * The figures of a summary under the names diff's rows and thresholds use.
 *
 * @example rowsOf(summary)['cost'] // cost.totalUsd
 */
export function figuresOf(s: Summary): Map<string, number> {
  const out = new Map<string, number>();
  const put = (name: string, v: number | null | undefined) => {
    if (typeof v === 'number') out.set(name, v);
  };
  put('cost', s.cost?.totalUsd);
  put('monthlyCost', s.cost?.monthlyUsd);
  for (const [cause, usd] of Object.entries(s.cost?.causes ?? {})) put(`cost.${cause}`, usd);
  put('endToEnd.p50', s.endToEndMs?.p50);
  put('endToEnd.p99', s.endToEndMs?.p99);
  for (const [name, f] of Object.entries(s.functions)) {
    for (const k of ['invocations', 'errors', 'timeouts', 'throttles', 'coldStarts', 'peakConcurrency'] as const) put(`functions.${name}.${k}`, f[k]);
    put(`functions.${name}.p99`, f.durationMs?.p99);
    put(`functions.${name}.usd`, s.cost?.functions[name]?.usd);
  }
  for (const [name, src] of Object.entries(s.sources)) {
    for (const k of ['put', 'succeeded', 'failed', 'expired', 'peakAgeMs'] as const) put(`sources.${name}.${k}`, src[k]);
    put(`sources.${name}.usd`, s.cost?.sources[name]?.usd);
  }
  for (const [name, d] of Object.entries(s.destinations)) put(`destinations.${name}.deliveries`, d.deliveries);
  return out;
}

/** Every figure of either side, in a's order then b's new ones. */
export function diffRows(a: Summary, b: Summary): DiffRow[] {
  const fa = figuresOf(a);
  const fb = figuresOf(b);
  const names = [...fa.keys(), ...[...fb.keys()].filter((k) => !fa.has(k))];
  return names.map((metric) => ({ metric, a: fa.get(metric), b: fb.get(metric) }));
}

/**
 * Parses `--fail-on '<metric> > +N%'` or `'<metric> > +N'`.
 *
 * @example parseThreshold('cost>+10%') // { metric: 'cost', value: 10, percent: true, text: 'cost>+10%' }
 */
export function parseThreshold(text: string): Threshold {
  const m = /^\s*([^\s<>]+)\s*>\s*\+?(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) throw new DiffUsageError(`--fail-on: '${text}' is not '<metric> > +N%' or '<metric> > +N' (e.g. 'cost>+10%', 'functions.*.errors>+0')`);
  return { metric: m[1], value: Number(m[2]), percent: m[3] === '%', text: text.replace(/\s+/g, '') };
}

function matches(pattern: string, metric: string): boolean {
  if (!pattern.includes('*')) return pattern === metric;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]+')}$`);
  return re.test(metric);
}

/** The increase of a row, absolute or in percent of a (infinite when a is 0 and b is not). */
export function increase(row: DiffRow, percent: boolean): number {
  const a = row.a ?? 0;
  const b = row.b ?? 0;
  if (!percent) return b - a;
  if (a === 0) return b === 0 ? 0 : b > 0 ? Infinity : -Infinity;
  return ((b - a) / Math.abs(a)) * 100;
}

/**
 * Marks the rows whose increase crosses a threshold; returns how many are crossed. A threshold that
 * names no row is a usage error: a typo must not pass a gate silently.
 */
export function applyThresholds(rows: DiffRow[], thresholds: Threshold[]): number {
  let crossed = 0;
  for (const t of thresholds) {
    const hit = rows.filter((r) => matches(t.metric, r.metric));
    if (hit.length === 0) {
      throw new DiffUsageError(`--fail-on: '${t.metric}' names no row; rows are e.g. cost, cost.retries, endToEnd.p99, functions.<name>.errors, sources.<name>.failed`);
    }
    for (const r of hit) {
      // Cost figures carry 12 significant digits; a change below that is float noise, not a change.
      if (increase(r, t.percent) > t.value + (t.percent ? 1e-9 : 1e-12)) {
        r.crossed = r.crossed ? `${r.crossed}, ${t.text}` : t.text;
        crossed++;
      }
    }
  }
  return crossed;
}

function show(metric: string, v: number | undefined): string {
  if (v === undefined) return '-';
  if (metric === 'cost' || metric === 'monthlyCost' || metric.startsWith('cost.') || metric.endsWith('.usd')) return formatUsd(v);
  if (metric.startsWith('endToEnd.') || metric.endsWith('.p99') || metric.endsWith('peakAgeMs')) return formatDuration(v);
  return String(v);
}

/** The rows as a table: changed rows only unless `all`; `!` marks a crossed threshold. */
export function formatDiff(rows: DiffRow[], labels: [string, string], all = false): string {
  const shown = rows.filter((r) => all || r.a !== r.b || r.crossed);
  if (shown.length === 0) return `no differences between ${labels[0]} and ${labels[1]}\n`;
  const body = shown.map((r) => {
    const pct = increase(r, true);
    const change = r.a === undefined ? 'new' : r.b === undefined ? 'gone' : r.a === r.b ? '' : `${r.b - r.a > 0 ? '+' : ''}${show(r.metric, r.b - r.a).replace('$-', '-$')}`;
    const percent = r.a === undefined || r.b === undefined || r.a === r.b ? '' : Number.isFinite(pct) ? `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%` : '';
    return [r.crossed ? '!' : '', r.metric, show(r.metric, r.a), show(r.metric, r.b), change, percent, r.crossed ? `crosses ${r.crossed}` : ''];
  });
  const head = ['', 'metric', 'a', 'b', 'change', '%', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [`a: ${labels[0]}`, `b: ${labels[1]}`, '', line(head), ...body.map(line)].join('\n') + '\n';
}

/** Reads a `--json` summary, or runs a scenario and summarizes it. */
export async function summaryOf(file: string): Promise<Summary> {
  if (/\.json$/i.test(file)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new DiffUsageError(`${file}: no such file`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (isSummary(value)) return value;
    // Not a summary: maybe a JSON scenario or template; the loader says what is wrong with it.
  }
  const { model } = await loadScenario(file);
  const sim = createSimulation(model);
  while (!sim.done) await sim.advance();
  return summarize(sim);
}

function isSummary(v: unknown): v is Summary {
  return typeof v === 'object' && v !== null && 'functions' in v && 'sources' in v && 'simulatedMs' in v && 'accounting' in v;
}

export { ScenarioError };
