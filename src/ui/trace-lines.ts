/**
 * The trace as short human-readable lines for the dashboard's Log pane, e.g.
 *
 *     00:42.1 processor shard-1 batch b7 failed (Error: cannot parse order 200) 140ms -> bisect into b8, b9
 *
 * A trace event alone does not say everything a person wants on one line (an invoke.end knows its
 * requestId, not its shard or batch), so this keeps a small, bounded map from running requestIds to what
 * their invoke.start said. Record puts are summarised per simulated second and source instead of one line
 * per record, so that arrivals do not drown what happens to them.
 */
import type { TraceEvent, TraceType } from '../engine/trace.js';
import { formatClock, formatDuration, shardLabel, shortId } from './format.js';

/**
 * One line of the log.
 *
 * @example const line: LogLine = { seq: 7, tick: 421, t: 42_100, type: 'invoke.end', text: '00:42.1 processor ...' };
 */
export interface LogLine {
  /** Position in the run's log, from 0; stable across a re-run of the same inputs. */
  seq: number;
  tick: number;
  t: number;
  /** The trace event type the line came from ('record.put' for a summary of puts). */
  type: TraceType;
  text: string;
  /**
   * The trace events the line tells, for `enter` on the Log pane: an end comes with its start (the
   * batch), a failed batch's end with its bisect; a summary of puts has none.
   */
  events?: readonly TraceEvent[];
}

interface StartInfo {
  fn: string;
  source?: string;
  shard?: string;
  batchId?: string;
  records?: number;
  attempt: number;
  /** 'v2' or 'live->v2' (docs/versions.md); undefined for unqualified $LATEST. */
  version?: string;
  /** The invoke.start event itself. */
  event?: TraceEvent;
}

function pct(w: number): string {
  return `${Math.round(w * 100)}%`;
}

/**
 * Longest error message a log line quotes: enough for "cannot parse order 200", short enough that the
 * duration and a bisect still fit on the line.
 */
export const ERROR_MESSAGE_CHARS = 48;

/**
 * An error as a failure line quotes it: its type and, when it has one, its message on one line, cut to
 * ERROR_MESSAGE_CHARS.
 *
 * @example errorText('Error', 'cannot parse order 200') // 'Error: cannot parse order 200'
 */
export function errorText(errorType: string, errorMessage?: string): string {
  const message = (errorMessage ?? '').replace(/\s+/g, ' ').trim();
  if (!message || message === errorType) return errorType;
  return `${errorType}: ${message.length > ERROR_MESSAGE_CHARS ? `${message.slice(0, ERROR_MESSAGE_CHARS - 1)}~` : message}`;
}

/** Bound on remembered invocations: more than any scenario keeps in flight at once on a dashboard. */
const MAX_STARTS = 10_000;

const OUTCOME_WORD: Record<string, string> = { success: 'ok', error: 'failed', timeout: 'timed out', partial: 'partial' };

/**
 * Turns trace events into log lines.
 *
 * @example
 * const lines = new TraceLines();
 * sim = createSimulation(model, { onTrace: (e) => lines.push(e, sim.state.tick) });
 * await sim.step();
 * for (const line of lines.flush(sim.state.t, sim.state.tick)) log.push(line);
 */
export class TraceLines {
  private readonly starts = new Map<string, StartInfo>();
  private pending: Array<Omit<LogLine, 'seq'>> = [];
  private puts = new Map<string, { t: number; tick: number; n: number }>();
  private seq = 0;

  /**
   * `labelShard` turns a shard id into its label; the controller passes one that knows DynamoDB shards'
   * indexes (shardLabelIn), since their ids do not carry them.
   */
  constructor(private readonly labelShard: (shardId: string) => string = shardLabel) {}

  /** Takes one trace event; `tick` is the tick being processed. */
  push(event: TraceEvent, tick: number): void {
    if (event.type === 'record.put') {
      const entry = this.puts.get(event.source);
      if (entry) entry.n++;
      else this.puts.set(event.source, { t: event.t, tick, n: 1 });
      return;
    }
    const start = event.type === 'invoke.end' ? this.starts.get(event.requestId)?.event : undefined;
    const text = this.describe(event);
    if (text === undefined) return;
    this.pending.push({ tick, t: event.t, type: event.type, text: `${formatClock(event.t)} ${text}`, events: start ? [start, event] : [event] });
  }

  /**
   * The lines since the last flush at simulated time `nowMs`. A second's put summary is written once that
   * second is over, stamped with the tick that closes it.
   */
  flush(nowMs: number, tick: number): LogLine[] {
    const out: LogLine[] = [];
    const second = Math.floor(nowMs / 1000);
    for (const [source, entry] of this.puts) {
      if (Math.floor(entry.t / 1000) >= second && nowMs % 1000 !== 0) continue;
      const n = entry.n;
      out.push({ seq: this.seq++, tick, t: nowMs, type: 'record.put', text: `${formatClock(nowMs)} +${n} ${n === 1 ? 'record' : 'records'} to ${source} since ${formatClock(entry.t)}` });
      this.puts.delete(source);
    }
    for (const line of this.pending) out.push({ ...line, seq: this.seq++ });
    this.pending = [];
    return out;
  }

  private where(info: { fn: string; source?: string; shard?: string; batchId?: string; version?: string }): string {
    const parts = [info.version ? `${info.fn}:${info.version}` : info.fn];
    if (info.shard) parts.push(this.labelShard(info.shard));
    else if (info.source && !info.source.includes(':')) parts.push(info.source);
    if (info.batchId) parts.push(`batch ${info.batchId}`);
    return parts.join(' ');
  }

  private describe(e: TraceEvent): string | undefined {
    switch (e.type) {
      case 'invoke.start': {
        const info: StartInfo = { fn: e.fn, source: e.source, shard: e.shard, batchId: e.batchId, records: e.records?.length, attempt: e.attempt, event: e };
        if (e.alias) info.version = `${e.alias}->v${e.version}`;
        else if (e.version !== undefined && e.version !== '$LATEST') info.version = `v${e.version}`;
        if (this.starts.size >= MAX_STARTS) this.starts.delete(this.starts.keys().next().value!);
        this.starts.set(e.requestId, info);
        const what = [this.where(info), 'start'];
        if (e.records) what.push(`${e.records.length} rec`);
        if (e.attempt > 1) what.push(`attempt ${e.attempt}`);
        if (e.cold) what.push('(cold)');
        if (e.finalWindow) what.push('(final invoke of its window)');
        if (e.trigger !== 'esm' && !e.records) what.push(e.via ? `${e.trigger} via ${e.via}` : e.trigger);
        return what.join(' ');
      }
      case 'invoke.end': {
        const info = this.starts.get(e.requestId) ?? { fn: e.fn, attempt: 1 };
        this.starts.delete(e.requestId);
        let text = `${this.where(info)} ${OUTCOME_WORD[e.outcome] ?? e.outcome}`;
        if (e.outcome === 'error' || e.outcome === 'timeout') text += ` (${errorText(e.errorType ?? e.outcome, e.errorMessage)})`;
        if (e.outcome === 'partial') text += ` (${e.failed?.length ?? 0} failed)`;
        return `${text} ${formatDuration(e.durationMs)}`;
      }
      case 'batch.bisect': {
        // The bisect follows the failed end of the same batch: say it on that line, as one thought.
        const last = this.pending[this.pending.length - 1];
        if (last && last.type === 'invoke.end' && last.text.includes(`batch ${e.batchId} `)) {
          last.text += ` -> bisect into ${e.into[0]}, ${e.into[1]}`;
          last.events = [...(last.events ?? []), e];
          return undefined;
        }
        return `${e.shard ? `${this.labelShard(e.shard)} ` : ''}batch ${e.batchId} bisect into ${e.into[0]}, ${e.into[1]}`;
      }
      case 'throttle':
        return `${e.fn} throttled (${e.reason})${e.source && !e.source.includes(':') ? ` from ${e.source}` : ''}`;
      case 'async.retry':
        return `${e.fn} event ${shortId(e.eventId, 6)} retry ${e.attempt} at ${formatClock(e.at)}${e.reason ? ` (${e.reason})` : ''}`;
      case 'checkpoint':
        return `checkpoint ${e.source} ${this.labelShard(e.shard)} at ${shortId(e.sequenceNumber)}`;
      case 'sqs.delete':
        return `${e.queue} deleted ${e.ids.length} ${e.ids.length === 1 ? 'message' : 'messages'}${e.reason ? ` (${e.reason})` : ''}`;
      case 'sqs.visible':
        return `${e.queue} message ${shortId(e.id, 6)} visible again (receive ${e.receiveCount})`;
      case 'sqs.redrive':
        return `${e.queue} message ${shortId(e.id, 6)} -> dlq ${e.dlq}`;
      case 'record.expired':
        return `${e.source} record ${shortId(e.id)} expired`;
      case 'record.filtered':
        return `${e.source} record ${shortId(e.id)} filtered out`;
      case 'deliver':
        return `${e.fn ?? e.source ?? ''}${e.fn || e.source ? ' ' : ''}-> ${e.to} ${e.kind} ${e.condition}`;
      case 'sync.response':
        return `${e.fn} ${e.via} -> ${e.statusCode}${e.functionError ? ` ${e.functionError}` : ''}${e.reason ? ` (${e.reason})` : ''}${e.firstByteMs !== undefined ? `, first byte after ${e.firstByteMs} ms` : ''}`;
      case 'fault.injected':
        return `${e.fn} fault ${e.kind}: ${e.detail}`;
      case 'deployment.start':
        return `deploy ${e.deployment} ${e.alias} v${e.from} -> v${e.to} ${e.config.replace('CodeDeployDefault.Lambda', '')}`;
      case 'deployment.shift':
        return `deploy ${e.alias} weights ${Object.entries(e.weights).map(([v, w]) => `v${v} ${pct(w)}`).join(', ')}`;
      case 'deployment.hook':
        return `deploy ${e.alias} hook ${e.hook} ${e.fn} ${e.status}`;
      case 'alarm.state':
        return `alarm ${e.alarm} ${e.previous} -> ${e.state}${e.value === null ? '' : ` (value ${e.value})`}`;
      case 'deployment.rollback':
        return `deploy ${e.alias} ROLLBACK to ${Object.keys(e.weights).map((v) => `v${v}`).join(', ')}: ${e.reason}`;
      case 'deployment.end':
        return `deploy ${e.deployment} ${e.alias} ${e.outcome}${e.reason ? `: ${e.reason}` : ''}`;
      case 'log':
        // A handler's CloudWatch lines have their own view (the invocation log, docs/sandbox.md).
        return undefined;
      // Callers and state machines (docs/callers.md).
      case 'caller.retry':
        return `${e.fn} ${e.via} calls again: attempt ${e.attempt} at ${formatClock(e.at)} (${e.reason})`;
      case 's3batch.task':
        return `${e.fn} s3-batch task ${e.key} ${e.resultCode}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
      case 's3batch.report':
        return `s3-batch job ${shortId(e.job, 8)} report: ${e.succeeded} succeeded, ${e.failed} failed of ${e.tasks}`;
      case 'firehose.result':
        return `${e.stream} batch ${e.records} rec: ${e.ok} Ok, ${e.dropped} Dropped, ${e.failed} ProcessingFailed${e.reason ? ` (${e.reason})` : ''}`;
      case 'sfn.execution.start':
        return `${e.machine} execution ${shortId(e.execution, 6)} started`;
      case 'sfn.state.enter':
        // Entering states is the pane's business; the log keeps retries, catches and ends.
        return undefined;
      case 'sfn.task.retry':
        return `${e.machine} ${e.state} ${e.error} -> retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)}s`;
      case 'sfn.task.catch':
        return `${e.machine} ${e.state} ${e.error} caught -> ${e.next}`;
      case 'sfn.execution.end':
        return `${e.machine} execution ${shortId(e.execution, 6)} ${e.status}${e.error ? ` ${e.error}` : ''}`;
      default: {
        const other = e as { type: string };
        return other.type;
      }
    }
  }
}
