/**
 * The views that cover the panes (docs/dashboard.md, "Views"): Logs (`L`, the handlers' CloudWatch
 * lines), Metrics (`m`, charts of the run up to the cursor) and Cost (`c`, the cost so far by function,
 * source and cause). Each is drawn from the DashboardView and the UI state's `view`; the time keys keep
 * working while one is open, and the charts and lines follow the cursor.
 */
import { Box, Text } from 'ink';
import type { CostSummary } from '../cost/price.js';
import type { MetricsReader } from '../engine/metrics.js';
import type { SimState } from '../engine/state.js';
import { formatUsd } from '../output/format-summary.js';
import type { Model } from '../scenario/model.js';
import { type ChartInput, drawChart, axisLabel } from './chart.js';
import type { HandlerLogLine } from './controller.js';
import { fit, formatClock, shardLabel } from './format.js';
import { wrapWords } from './LogPane.js';
import { Pane } from './Pane.js';
import type { PaneRow } from './pane-row.js';
import { concurrencyLimit } from './selectors.js';

/**
 * The views, as data for the help and the README's "Reading the dashboard" (reading-guide.ts).
 *
 * @example VIEWS.map((v) => v.key) // ['L', 'm', 'c']
 */
export const VIEWS: ReadonlyArray<{ key: string; title: string; legend: string }> = [
  {
    key: 'L',
    title: 'Logs',
    legend:
      "the handlers' CloudWatch lines up to the cursor: `START`, the handler's console lines (timestamp, request id, level), `END` and `REPORT` (Duration, Billed Duration, Memory Size, Max Memory Used, Init Duration on cold starts); h/l: all functions or one, enter: only the selected line's invocation (from an In-flight row, `L` opens on it). Max Memory Used is the configured memorySize, not a measurement",
  },
  {
    key: 'm',
    title: 'Metrics',
    legend:
      'braille line charts from t=0 to the cursor, for the selected row\'s subject (h/l: the next one): per function ConcurrentExecutions against its limit (the dotted line), Invocations, Errors, Throttles and ColdStarts (counts per the time one dot column covers, said in the title); per queue visible, in-flight and oldest message age; per shard the IteratorAge (the oldest unfinished record\'s age, as Sources shows it); per alias the weight of each version. Each title gives the value now and the peak with its time',
  },
  {
    key: 'c',
    title: 'Cost',
    legend: 'the cost so far at the cursor (also at the right of the header), the month at this rate, per function requests and GB-seconds, per source its requests, and per cause (firstAttempts, retries, redrives, coldStarts, provisionedIdle, polling, ...); docs/cost.md',
  },
];

/**
 * Which view covers the panes, and where it stands: `subject` picks the function (Logs: 0 is all of
 * them) or the Metrics subject; `scroll` counts lines back from the newest (Logs) or rows down (Metrics,
 * Cost); `requestId` narrows the Logs to one invocation.
 *
 * @example const v: ViewState = { kind: 'logs', subject: 0, scroll: 0 };
 */
export interface ViewState {
  kind: 'logs' | 'metrics' | 'cost';
  subject: number;
  scroll: number;
  requestId?: string;
}

/**
 * The functions the Logs view moves between with h/l, after "all": those that run real code (only they
 * write log lines), or every function when none does.
 *
 * @example logFunctions(model) // ['processor']
 */
export function logFunctions(model: Model): string[] {
  const all = Object.values(model.functions);
  const withCode = all.filter((fn) => fn.handler !== undefined || fn.handlerSource !== undefined).map((fn) => fn.name);
  return withCode.length > 0 ? withCode : all.map((fn) => fn.name);
}

/**
 * The function the Logs view shows for a subject index (undefined: all functions).
 *
 * @example logFunctionAt(model, 0) // undefined
 */
export function logFunctionAt(model: Model, subject: number): string | undefined {
  const fns = logFunctions(model);
  const i = ((subject % (fns.length + 1)) + fns.length + 1) % (fns.length + 1);
  return i === 0 ? undefined : fns[i - 1];
}

const TAB = /\t/g;

/**
 * The Logs view's rows: one item per log line (its continuation lines share its id), the simulated time
 * first, the function's name when several are shown.
 *
 * @example handlerLogRows(lines, 96, true)[0].text // '00:00.3 processor START RequestId: 5c1f... Version: $LATEST'
 */
export function handlerLogRows(lines: readonly HandlerLogLine[], width: number, showFn: boolean): PaneRow[] {
  const rows: PaneRow[] = [];
  for (const line of lines) {
    const text = `${formatClock(line.t)} ${showFn ? `${line.fn} ` : ''}${line.line.replace(TAB, '  ').trimEnd()}`;
    const tone: PaneRow['tone'] = /\t(ERROR|FATAL)\t|Task timed out/.test(line.line)
      ? 'bad'
      : /\tWARN\t/.test(line.line)
        ? 'warn'
        : /^(START|END) RequestId/.test(line.line)
          ? 'dim'
          : /^REPORT RequestId/.test(line.line)
            ? 'title'
            : undefined;
    for (const part of wrapWords(text, width, 8)) rows.push({ text: part, tone, id: `log ${line.seq}`, requestId: line.requestId });
  }
  return rows;
}

/**
 * Props of the Logs view.
 *
 * @example <LogsView lines={controller.handlerLogs({ fn })} model={model} view={ui.view} width={100} height={26} />
 */
export interface LogsViewProps {
  lines: readonly HandlerLogLine[];
  model: Model;
  view: ViewState;
  width: number;
  height: number;
}

/** What the Logs view says about Max Memory Used: the engine does not measure it (docs/sandbox.md, "Limits"). */
export const MAX_MEMORY_NOTE = 'Max Memory Used is the configured memorySize: not measured (docs/sandbox.md, Memory)';

/** The Logs view. */
export function LogsView({ lines, model, view, width, height }: LogsViewProps) {
  const fn = logFunctionAt(model, view.subject);
  const rows = handlerLogRows(lines, width - 3, fn === undefined);
  const inner = Math.max(0, height - 3);
  const item = Math.max(0, lines.length - 1 - view.scroll);
  const id = lines[item] ? `log ${lines[item].seq}` : undefined;
  const first = rows.findIndex((r) => r.id === id);
  let last = first;
  while (last + 1 < rows.length && rows[last + 1].id === id) last++;
  const top = first < 0 ? 0 : Math.min(first, Math.max(0, last - inner + 1));
  const which = view.requestId ? `invocation ${view.requestId}` : fn ? `function ${fn}` : 'all functions';
  const noReal = logFunctions(model).every((name) => model.functions[name].handler === undefined && model.functions[name].handlerSource === undefined);
  const empty = noReal
    ? "no log lines: this scenario's functions run no real code (only handler code writes CloudWatch lines)"
    : 'no log lines yet up to the cursor';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Pane
        number={0}
        title="Logs"
        note={`${which}  ${lines.length} lines${view.scroll > 0 ? `  scrolled ${view.scroll}` : ''}`}
        width={width}
        height={height - 1}
        focused
        rows={rows.length ? rows : [{ text: empty, tone: 'dim' }]}
        selected={rows.length ? first : undefined}
        top={top}
      />
      <Text color="gray" wrap="truncate">
        {fit(` ${MAX_MEMORY_NOTE}`, width)}
      </Text>
    </Box>
  );
}

/**
 * One chart of a Metrics subject: the metric's key, its title, and the reference level if any.
 *
 * @example const c: ChartSpec = { key: 'function/processor/Errors', title: 'Errors' };
 */
export interface ChartSpec {
  key: string;
  title: string;
  limit?: number;
}

/**
 * Something the Metrics view charts: a function, a queue, a shard (per consumer) or an alias.
 *
 * @example const s: MetricSubject = { id: 'queue/orders', title: 'queue orders', charts: [...] };
 */
export interface MetricSubject {
  id: string;
  title: string;
  charts: ChartSpec[];
}

const FUNCTION_METRICS = ['ConcurrentExecutions', 'Invocations', 'Errors', 'Throttles', 'ColdStarts'];
const QUEUE_METRICS = ['Visible', 'InFlight', 'OldestMessageAge'];

/**
 * The Metrics view's subjects, in the order the engine first sampled them (functions, queues, shards,
 * aliases), each with its charts.
 *
 * @example metricSubjects(reader, state).map((s) => s.title) // ['function processor', 'shard-1 (processor)', ...]
 */
export function metricSubjects(reader: MetricsReader, state: SimState): MetricSubject[] {
  const subjects = new Map<string, MetricSubject>();
  for (const key of reader.keys()) {
    const parts = key.split('/');
    if (parts[0] === 'function') {
      const name = parts.slice(1, -1).join('/');
      const id = `function/${name}`;
      if (subjects.has(id)) continue;
      const fn = state.functions[name];
      const limit = fn ? concurrencyLimit(state, fn).limit : undefined;
      subjects.set(id, {
        id,
        title: `function ${name}`,
        charts: FUNCTION_METRICS.map((m) => ({ key: `${id}/${m}`, title: m === 'ConcurrentExecutions' ? `ConcurrentExecutions (limit ${limit ?? '?'})` : m, limit: m === 'ConcurrentExecutions' ? limit : undefined })),
      });
    } else if (parts[0] === 'queue') {
      const id = `queue/${parts[1]}`;
      if (!subjects.has(id)) subjects.set(id, { id, title: `queue ${parts[1]}`, charts: QUEUE_METRICS.map((m) => ({ key: `${id}/${m}`, title: m === 'Visible' ? 'ApproximateNumberOfMessagesVisible' : m === 'InFlight' ? 'ApproximateNumberOfMessagesNotVisible' : 'ApproximateAgeOfOldestMessage' })) });
    } else if (parts[0] === 'shard') {
      const id = parts.slice(0, 4).join('/');
      if (!subjects.has(id)) subjects.set(id, { id, title: `${parts[1]} ${shardLabel(parts[2])} (${parts[3]})`, charts: [{ key: `${id}/IteratorAge`, title: 'IteratorAge' }] });
    } else if (parts[0] === 'alias') {
      const id = `alias/${parts[1]}`;
      const subject = subjects.get(id) ?? { id, title: `alias ${parts[1]}`, charts: [] };
      subject.charts.push({ key, title: `weight of version ${parts[3]}` });
      subjects.set(id, subject);
    }
  }
  return [...subjects.values()];
}

/**
 * The subject index for `id` (a row's `subject`), or for the nearest subject it belongs to (a shard
 * row names the shard), else 0.
 *
 * @example subjectIndex(subjects, 'queue/orders') // 1
 */
export function subjectIndex(subjects: readonly MetricSubject[], id: string | undefined): number {
  if (id === undefined) return 0;
  const i = subjects.findIndex((s) => s.id === id || s.id.startsWith(`${id}/`));
  return Math.max(0, i);
}

/**
 * The lines of one chart: a title line (metric, now, peak and when, per how long counts are) and the
 * plot.
 *
 * @example chartBlock(reader, spec, 42_000, 48, 7)
 */
export function chartBlock(reader: MetricsReader, spec: ChartSpec, untilMs: number, width: number, height: number): string[] {
  const series = reader.read(spec.key, untilMs);
  if (!series) return [fit(`${spec.title}: nothing sampled`, width, true), ...Array.from({ length: height - 1 }, () => ' '.repeat(width))];
  const input: ChartInput = { values: series.values, periodMs: series.periodMs, unit: series.unit, stat: series.stat, limit: spec.limit, endMs: untilMs };
  const chart = drawChart(input, width, height - 1);
  const per = series.stat === 'sum' ? ` per ${axisLabel(chart.binMs, 'ms')}` : '';
  const now = chart.last === undefined ? '' : `  now ${axisLabel(chart.last, series.unit)}`;
  const peak = chart.peak ? `  peak ${axisLabel(chart.peak.value, series.unit)} at ${formatClock(chart.peak.atMs)}` : '';
  return [fit(`${spec.title}${per}${now}${peak}`, width, true), ...chart.lines.map((l) => fit(l, width, true))];
}

/**
 * Props of the Metrics view.
 *
 * @example <MetricsView reader={controller.metrics} state={snapshot} view={ui.view} width={100} height={26} />
 */
export interface MetricsViewProps {
  reader: MetricsReader;
  state: SimState;
  view: ViewState;
  width: number;
  height: number;
}

/** Rows a chart gets at least (title, plot, axis). */
const MIN_CHART_ROWS = 5;

/**
 * The Metrics view's lines: its subject's charts in one or two columns, scrolled by `view.scroll` rows.
 *
 * @example metricsLines(reader, state, view, 100, 24)
 */
export function metricsLines(reader: MetricsReader, state: SimState, view: ViewState, width: number, height: number): { title: string; lines: string[]; total: number } {
  const subjects = metricSubjects(reader, state);
  if (subjects.length === 0) return { title: 'nothing sampled yet', lines: [], total: 0 };
  const i = ((view.subject % subjects.length) + subjects.length) % subjects.length;
  const subject = subjects[i];
  const columns = width >= 100 && subject.charts.length > 1 ? 2 : 1;
  const chartRows = Math.ceil(subject.charts.length / columns);
  const each = Math.max(MIN_CHART_ROWS, Math.floor(height / chartRows));
  const colWidth = Math.floor((width - (columns - 1) * 2) / columns);
  const lines: string[] = [];
  for (let r = 0; r < chartRows; r++) {
    const blocks = subject.charts.slice(r * columns, r * columns + columns).map((spec) => chartBlock(reader, spec, state.t, colWidth, each));
    for (let k = 0; k < each; k++) lines.push(blocks.map((b) => b[k] ?? ' '.repeat(colWidth)).join('  '));
  }
  return { title: `${subject.title}  (${i + 1} of ${subjects.length}, h/l)  up to ${formatClock(state.t)}`, lines, total: lines.length };
}

/** The Metrics view. */
export function MetricsView({ reader, state, view, width, height }: MetricsViewProps) {
  const { title, lines } = metricsLines(reader, state, view, width - 3, height - 2);
  const rows: PaneRow[] = lines.length ? lines.map((text) => ({ text })) : [{ text: 'nothing sampled yet', tone: 'dim' }];
  return <Pane number={0} title="Metrics" note={title} width={width} height={height} focused={false} rows={rows} top={view.scroll} />;
}

/**
 * The Cost view's rows: the total and the month at this rate, then per function, per source and per
 * cause, as the summary's `cost` section has them (docs/cost.md).
 *
 * @example costRows(snapshotCost(model, state, { prices: US_EAST_1 }))[0].text
 */
export function costRows(cost: CostSummary, t: number): PaneRow[] {
  const rows: PaneRow[] = [
    { text: `${formatUsd(cost.totalUsd)} so far (${formatClock(t)} simulated), ${formatUsd(cost.monthlyUsd)} a month at this rate`, tone: 'title' },
    { text: `prices: ${cost.prices.region} of ${cost.prices.date}${cost.freeTier ? ', free tier prorated' : ', no free tier'}`, tone: 'dim' },
    { text: 'functions', tone: 'title' },
  ];
  for (const [name, f] of Object.entries(cost.functions)) {
    rows.push({ text: `  ${name} (${f.architecture}, ${f.memorySize} MB)  ${f.requests} requests  ${round(f.gbSeconds)} GB-s${f.provisionedGbSeconds ? `  ${round(f.provisionedGbSeconds)} GB-s provisioned` : ''}  ${formatUsd(f.usd)}` });
  }
  // The default bus always exists; unused, it is noise here as in the summary (format-summary.ts).
  const sources = Object.entries(cost.sources).filter(([name, s]) => !(name === 'default' && s.kind === 'bus' && s.requests === 0));
  if (sources.length) {
    rows.push({ text: 'sources', tone: 'title' });
    for (const [name, s] of sources) {
      const extra = [s.emptyReceives ? `${s.emptyReceives} empty receives` : '', s.shardHours ? `${round(s.shardHours)} shard-hours` : ''].filter(Boolean).join(', ');
      rows.push({ text: `  ${name} (${s.kind})  ${s.requests} requests${extra ? ` (${extra})` : ''}  ${formatUsd(s.usd)}` });
    }
  }
  rows.push({ text: 'causes', tone: 'title' });
  for (const [cause, usd] of Object.entries(cost.causes)) {
    if (usd === 0 && !['firstAttempts', 'retries', 'redrives', 'coldStarts', 'provisionedIdle', 'polling'].includes(cause)) continue;
    rows.push({ text: `  ${cause.padEnd(16)} ${formatUsd(usd)}`, tone: (cause === 'retries' || cause === 'redrives') && usd > 0 ? 'warn' : undefined });
  }
  return rows;
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** The Cost view. */
export function CostView({ cost, t, view, width, height }: { cost: CostSummary; t: number; view: ViewState; width: number; height: number }) {
  return <Pane number={0} title="Cost" note="esc back" width={width} height={height} focused={false} rows={costRows(cost, t)} top={view.scroll} />;
}
