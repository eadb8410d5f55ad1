/**
 * "What to watch" (issue 14, item 5): the moments a bundled scenario is about, in order, so that the
 * header can say which one the run has reached (`watch 2/3: the record went to onFailure`). A step is
 * reached by the first log line that matches it (its trace type, and its text when given); the
 * controller keeps the tick each step was first reached at, and the header shows the newest step
 * reached at the cursor. Steps are the dashboard's reading of a scenario: they change no trace and no
 * --json output. They are kept here, by the bundled scenario's name, not in the scenario files.
 */
import type { TraceType } from '../engine/trace.js';
import type { LogLine } from './trace-lines.js';

/**
 * One moment to watch for.
 *
 * @example const step: WatchStep = { text: 'the failed batch is split in two (bisect)', type: 'invoke.end', contains: /-> bisect/ };
 */
export interface WatchStep {
  /** What the header says once the run has got there. */
  text: string;
  /** The log line type that marks it. */
  type: TraceType;
  /** The line's text must match this too, when given. */
  contains?: RegExp;
}

/**
 * The steps of the bundled scenarios, by scenario name.
 *
 * @example WATCH_STEPS['Kinesis poison record with bisect'].length // 3
 */
export const WATCH_STEPS: Readonly<Record<string, readonly WatchStep[]>> = {
  'Kinesis poison record with bisect': [
    { text: 'order 200 fails its batch on shard-3: it is split in two (bisect), shard-3 waits', type: 'invoke.end', contains: /-> bisect/ },
    { text: 'bisected down to the poison record alone, retried on its own', type: 'invoke.start', contains: /shard-3 batch \S+ start 1 rec/ },
    { text: 'the poison record went to onFailure (orders-failed); shard-3 moves on', type: 'deliver', contains: /-> orders-failed / },
  ],
  'SQS poison message and redrive to a DLQ': [
    { text: 'the poison message fails and comes back after its visibility timeout', type: 'sqs.visible' },
    { text: 'after maxReceiveCount receives it is redriven to the DLQ', type: 'sqs.redrive' },
  ],
  'Async retries into a DLQ and an onFailure destination': [
    { text: 'a failed event is retried (up to 2 more attempts)', type: 'async.retry' },
    { text: 'retries exhausted: the event went to its destination', type: 'deliver' },
  ],
  'Canary deployment rolled back by an alarm': [
    { text: 'the canary deployment starts shifting weight to the new version', type: 'deployment.start' },
    { text: 'the alarm went to ALARM on the new version\'s errors: CodeDeploy rolls the alias back', type: 'deployment.rollback' },
  ],
  'Synchronous throttling at reserved concurrency': [
    { text: 'the caller sends more than 5 environments can serve: 429 throttles', type: 'throttle' },
  ],
  'Function URL streaming: time to first byte, 6 MB, and a truncated 200': [
    { text: 'the streamed URL\'s client has its first byte long before the 2 s export ends', type: 'sync.response', contains: /export-streamed url -> 200, first byte after/ },
    { text: 'the 7 MB export: over 6 MB the buffered URL answers 502', type: 'sync.response', contains: /export-buffered url -> 502/ },
    { text: 'the database fails mid-export: the streamed client holds a truncated 200', type: 'sync.response', contains: /export-streamed url -> 200 Unhandled/ },
  ],
  'DynamoDB stream bisect': [
    { text: 'a batch fails and is split in two (bisect)', type: 'invoke.end', contains: /-> bisect/ },
    { text: 'the bad record went to the failure destination', type: 'deliver' },
  ],
};

/**
 * The steps for a scenario, by its name (none for a scenario of your own).
 *
 * @example watchStepsFor(model.name)
 */
export function watchStepsFor(name: string): readonly WatchStep[] {
  return Object.hasOwn(WATCH_STEPS, name) ? WATCH_STEPS[name] : [];
}

/**
 * Whether a log line reaches a step.
 *
 * @example reaches(step, line)
 */
export function reaches(step: WatchStep, line: Pick<LogLine, 'type' | 'text'>): boolean {
  return line.type === step.type && (step.contains === undefined || step.contains.test(line.text));
}

/**
 * The header's line for the newest step reached at `cursorTick`, given the tick each step was first
 * reached at; undefined before the first.
 *
 * @example watchLine(steps, [112, 115, undefined], 120) // 'watch 2/3: the failed batch is split in two ...'
 */
export function watchLine(steps: readonly WatchStep[], reachedAt: ReadonlyArray<number | undefined>, cursorTick: number): string | undefined {
  let newest: number | undefined;
  for (let i = 0; i < steps.length; i++) {
    const at = reachedAt[i];
    if (at !== undefined && at <= cursorTick && (newest === undefined || at >= reachedAt[newest]!)) newest = i;
  }
  return newest === undefined ? undefined : `watch ${newest + 1}/${steps.length}: ${steps[newest].text}`;
}
