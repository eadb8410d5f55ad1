/**
 * CloudWatch-style metrics of a run in a bounded ring, for the dashboard's Metrics view (docs/dashboard.md,
 * "Metrics"). Counts come from trace events at their own millisecond (an invocation counts in the period
 * its `invoke.start` happened, an error in the period its `invoke.end` happened); levels (concurrency,
 * queue depth, iterator age, alias weights) come from the snapshot at the end of each step and keep the
 * period's maximum. There is no per-record work: record puts are not looked at.
 *
 * Memory is bounded: the ring has at most MAX_PERIODS periods. When a run outgrows them, neighbouring
 * periods are merged (sums added, maxima kept) and the period doubles, so the whole run stays readable.
 *
 * @example
 * const metrics = new MetricsRing(model.tickMs);
 * const sim = createSimulation(model, { onTrace: (e) => metrics.observe(e) });
 * await sim.step();
 * metrics.sample(sim.state);
 * metrics.read('function/processor/Invocations', sim.state.t).values
 */
import type { StreamViewState } from './sources/stream/view.js';
import type { SqsViewState } from './sources/sqs.js';
import type { SimState } from './state.js';
import type { TraceEvent } from './trace.js';

/**
 * How a metric's samples within one period combine: `sum` for counts, `max` for levels.
 *
 * @example const stat: MetricStat = 'sum';
 */
export type MetricStat = 'sum' | 'max';

/**
 * What a metric counts, for axis labels.
 *
 * @example const unit: MetricUnit = 'ms';
 */
export type MetricUnit = 'count' | 'ms' | 'percent';

/**
 * A metric's values, one per period from `startMs`; a period with no sample is `undefined` for levels
 * (nothing was measured) and 0 for counts.
 *
 * @example const s: MetricSeries = { key: 'queue/orders/Visible', unit: 'count', stat: 'max', startMs: 0, periodMs: 100, values: [0, 3, 7] };
 */
export interface MetricSeries {
  key: string;
  unit: MetricUnit;
  stat: MetricStat;
  startMs: number;
  periodMs: number;
  values: ReadonlyArray<number | undefined>;
}

/**
 * What the dashboard reads: the keys there are, and a metric up to a time.
 *
 * Keys: `function/<fn>/{ConcurrentExecutions,Invocations,Errors,Throttles,ColdStarts}`,
 * `queue/<queue>/{Visible,InFlight,OldestMessageAge}`, `shard/<source>/<shardId>/<fn>/IteratorAge`,
 * `alias/<fn>:<alias>/Weight/<version>`.
 *
 * @example reader.read('function/processor/Errors', 42_000)?.values
 */
export interface MetricsReader {
  /** The length of one period now (it doubles as the run grows). */
  readonly periodMs: number;
  keys(): string[];
  /** The metric's periods that start at or before `untilMs`; undefined for an unknown key. */
  read(key: string, untilMs: number): MetricSeries | undefined;
}

/**
 * Periods kept at most: more than a wide terminal's chart has columns (braille draws two per cell).
 *
 * @example new MetricsRing(100) // 100 ms periods until 51.2 s, then 200 ms, ...
 */
export const MAX_PERIODS = 512;

interface Track {
  unit: MetricUnit;
  stat: MetricStat;
  values: Array<number | undefined>;
}

/**
 * See the module comment.
 *
 * @example const ring = new MetricsRing(model.tickMs);
 */
export class MetricsRing implements MetricsReader {
  private period: number;
  private readonly tracks = new Map<string, Track>();
  private readonly maxPeriods: number;

  constructor(periodMs: number, maxPeriods = MAX_PERIODS) {
    this.period = Math.max(1, Math.round(periodMs));
    this.maxPeriods = Math.max(4, maxPeriods);
  }

  get periodMs(): number {
    return this.period;
  }

  keys(): string[] {
    return [...this.tracks.keys()];
  }

  read(key: string, untilMs: number): MetricSeries | undefined {
    const track = this.tracks.get(key);
    if (!track) return undefined;
    const last = Math.floor(Math.max(0, untilMs) / this.period);
    const values = track.values.slice(0, last + 1);
    while (values.length < last + 1) values.push(track.stat === 'sum' ? 0 : undefined);
    if (track.stat === 'sum') for (let i = 0; i < values.length; i++) values[i] ??= 0;
    return { key, unit: track.unit, stat: track.stat, startMs: 0, periodMs: this.period, values };
  }

  /** Counts a trace event at its own time (invocations, errors, throttles, cold starts). */
  observe(event: TraceEvent): void {
    switch (event.type) {
      case 'invoke.start':
        this.add(`function/${event.fn}/Invocations`, 'count', 'sum', event.t, 1);
        if (event.cold) this.add(`function/${event.fn}/ColdStarts`, 'count', 'sum', event.t, 1);
        break;
      case 'invoke.end':
        // CloudWatch's Errors counts function errors and timeouts.
        if (event.outcome === 'error' || event.outcome === 'timeout') this.add(`function/${event.fn}/Errors`, 'count', 'sum', event.t, 1);
        break;
      case 'throttle':
        this.add(`function/${event.fn}/Throttles`, 'count', 'sum', event.t, 1);
        break;
      default:
        break;
    }
  }

  /** Records the levels a snapshot holds, in the period of its time. */
  sample(state: SimState): void {
    const t = state.t;
    for (const fn of Object.values(state.functions)) {
      this.add(`function/${fn.name}/ConcurrentExecutions`, 'count', 'max', t, fn.concurrency);
      // Counts exist from the start, so a quiet function charts zeros rather than nothing.
      for (const name of ['Invocations', 'Errors', 'Throttles', 'ColdStarts']) this.add(`function/${fn.name}/${name}`, 'count', 'sum', t, 0);
    }
    const sqs = state.modules.sqs as SqsViewState | undefined;
    for (const q of Object.values(sqs?.queues ?? {})) {
      this.add(`queue/${q.name}/Visible`, 'count', 'max', t, q.visible);
      // ApproximateNumberOfMessagesNotVisible: received and not deleted, until the visibility timeout ends,
      // so a message whose batch failed counts until it is visible again.
      this.add(`queue/${q.name}/InFlight`, 'count', 'max', t, q.inFlight + q.invisibleAfterFailure);
      this.add(`queue/${q.name}/OldestMessageAge`, 'ms', 'max', t, q.oldestAgeMs);
    }
    const streams = state.modules.stream as StreamViewState | undefined;
    for (const source of Object.values(streams?.sources ?? {})) {
      for (const shard of source.shards) {
        for (const c of shard.consumers) this.add(`shard/${source.name}/${shard.shardId}/${c.fn}/IteratorAge`, 'ms', 'max', t, c.iteratorAgeMs);
      }
    }
    for (const [key, alias] of Object.entries(state.aliases)) {
      const extra = Object.values(alias.additionalVersionWeights).reduce((sum, w) => sum + w, 0);
      this.add(`alias/${key}/Weight/${alias.version}`, 'percent', 'max', t, Math.round((1 - extra) * 1000) / 10);
      for (const [version, w] of Object.entries(alias.additionalVersionWeights)) this.add(`alias/${key}/Weight/${version}`, 'percent', 'max', t, Math.round(w * 1000) / 10);
    }
  }

  /**
   * Forgets the period holding `ms` and every later one (the dashboard starts a new future at `ms`, and
   * samples its state there again). Counts in that period from before `ms` are lost with it: a few
   * events at one tick's boundary, or more once periods are coarser than a tick.
   *
   * @example ring.truncate(5_000); ring.sample(state);
   */
  truncate(ms: number): void {
    const last = Math.floor(Math.max(0, ms) / this.period);
    for (const track of this.tracks.values()) if (track.values.length > last) track.values.length = last;
  }

  private add(key: string, unit: MetricUnit, stat: MetricStat, t: number, value: number): void {
    let track = this.tracks.get(key);
    if (!track) {
      track = { unit, stat, values: [] };
      this.tracks.set(key, track);
    }
    let i = Math.floor(Math.max(0, t) / this.period);
    while (i >= this.maxPeriods) {
      this.coarsen();
      i = Math.floor(Math.max(0, t) / this.period);
    }
    const values = track.values;
    while (values.length <= i) values.push(undefined);
    const old = values[i];
    values[i] = old === undefined ? value : stat === 'sum' ? old + value : Math.max(old, value);
  }

  /** Doubles the period: neighbouring periods merge (sums add, maxima keep the larger). */
  private coarsen(): void {
    this.period *= 2;
    for (const track of this.tracks.values()) {
      const merged: Array<number | undefined> = [];
      for (let i = 0; i < track.values.length; i += 2) {
        const a = track.values[i];
        const b = track.values[i + 1];
        merged.push(a === undefined ? b : b === undefined ? a : track.stat === 'sum' ? a + b : Math.max(a, b));
      }
      track.values = merged;
    }
  }
}
