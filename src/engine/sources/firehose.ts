/**
 * Amazon Data Firehose data transformation (docs/callers.md, "Firehose"). Firehose buffers the records it
 * receives and invokes the function synchronously with each buffered batch, when the batch reaches the
 * buffer size hint (0.2..3 MB, default 1 MB) or the buffer interval hint (0..900 s, default 60 s) passes,
 * whichever comes first. The function answers each record by its `recordId` with `Ok`, `Dropped` or
 * `ProcessingFailed`; a record missing from the answer, or an answer over 6 MB, is a transformation
 * failure. An invocation that fails (error, timeout, throttle) is retried 3 times; after that the whole
 * batch is failed. Failed records go to the S3 bucket's `processing-failed/` prefix: here, state `failed`
 * with `failedTo: 'processing-failed'`.
 */
import { deliveryStreamArn, firehoseEvent, firehoseResults, type FirehoseRecordResult } from '../aws/callers.js';
import { md5Hex, payloadBytes } from '../aws/format.js';
import { type EngineContext, type EngineModule, type IncomingRecord, type InvocationResult, timersOf } from '../module.js';
import { findRecent, type Kept, keepRecent } from '../recent.js';
import type { AwsAccount } from '../aws/arn.js';

export const FIREHOSE = 'firehose';
/** Firehose retries a failed invocation 3 times by default (Firehose developer guide, "Handle failure in data transformation"). */
export const FIREHOSE_RETRIES = 3;
/** AWS documents no delay between those retries: lambda-tui waits 1 s (UNVERIFIED). */
export const FIREHOSE_RETRY_DELAY_MS = 1_000;

interface Buffered {
  id: number;
  recordId: string;
  arrivalEpochMs: number;
  data: unknown;
}

interface Batch {
  fn: string;
  qualifier?: string;
  stream: string;
  source: string;
  invocationId: string;
  records: Buffered[];
  /** Invocation attempts so far. */
  attempts: number;
  event?: unknown;
}

interface Buffer {
  fn: string;
  qualifier?: string;
  stream: string;
  source: string;
  sizeBytes: number;
  intervalMs: number;
  records: Buffered[];
  bytes: number;
  /** Bumped on every flush, so an interval timer for an earlier buffer does nothing. */
  generation: number;
}

/** The Firehose module's timers: a buffer's interval ending (for the generation it was set in), a batch's retry. */
interface FirehoseTimers {
  interval: { buffer: Buffer; generation: number };
  retry: Batch;
}

/** What a checkpoint of the Firehose module carries. */
interface FirehoseSaved {
  buffers: Map<number, Buffer>;
  ready: Batch[];
  batchSeq: number;
  recent: Array<Kept<Batch>>;
}

const schedule = timersOf<FirehoseTimers>(FIREHOSE);

export function createFirehoseModule(): EngineModule<FirehoseTimers, Batch, unknown, FirehoseSaved> {
  let buffers = new Map<number, Buffer>();
  let ready: Batch[] = [];
  let batchSeq = 0;

  const flush = (ctx: EngineContext, buffer: Buffer) => {
    if (buffer.records.length === 0) return;
    const n = batchSeq++;
    ready.push({
      fn: buffer.fn,
      ...(buffer.qualifier ? { qualifier: buffer.qualifier } : {}),
      stream: buffer.stream,
      source: buffer.source,
      invocationId: `${md5Hex(`firehose:${buffer.stream}:${n}`).slice(0, 8)}-${md5Hex(`inv:${n}`).slice(0, 4)}-4${md5Hex(`a:${n}`).slice(0, 3)}-8${md5Hex(`b:${n}`).slice(0, 3)}-${md5Hex(`c:${n}`).slice(0, 12)}`,
      records: buffer.records,
      attempts: 0,
    });
    buffer.records = [];
    buffer.bytes = 0;
    buffer.generation++;
    ctx.wake(FIREHOSE);
  };

  const fail = (ctx: EngineContext, batch: Batch, reason: string) => {
    for (const r of batch.records) ctx.settle(r.id, 'failed', 'processing-failed');
    ctx.emit({
      t: ctx.now,
      type: 'firehose.result',
      fn: batch.fn,
      stream: batch.stream,
      invocationId: batch.invocationId,
      records: batch.records.length,
      ok: 0,
      dropped: 0,
      failed: batch.records.length,
      failedIds: batch.records.map((r) => r.recordId),
      reason,
    });
  };

  /** A failed invocation: retried, or the batch fails once the retries are spent. */
  const failedAttempt = (ctx: EngineContext, batch: Batch, reason: string) => {
    if (batch.attempts <= FIREHOSE_RETRIES) {
      const at = ctx.now + FIREHOSE_RETRY_DELAY_MS;
      ctx.emit({ t: ctx.now, type: 'caller.retry', fn: batch.fn, via: 'firehose', attempt: batch.attempts + 1, reason, at });
      schedule(ctx, at, 'retry', batch);
    } else fail(ctx, batch, reason);
  };

  /** The last invocations' batches while a dashboard reads the views (recent.ts). */
  let recent: Array<Kept<Batch>> = [];

  return {
    name: FIREHOSE,
    save: () => ({ buffers, ready, batchSeq, recent }),
    restore(saved) {
      ({ buffers, ready, batchSeq, recent } = saved);
    },
    inspect(ictx, key) {
      // A kept invocation (a dashboard is reading, recent.ts): the batch's event as its handler received it.
      const b = findRecent(recent, key);
      return b ? (b.event ?? batchEvent(b, { region: ictx.model.region, accountId: ictx.model.accountId })) : undefined;
    },
    accepts: [],
    put(ctx, fn, record: IncomingRecord) {
      const spec = record.trafficIndex >= 0 ? ctx.model.traffic[record.trafficIndex] : undefined;
      let buffer = buffers.get(record.trafficIndex);
      if (!buffer) {
        const stream = `${fn}-stream${record.trafficIndex > 0 ? `-${record.trafficIndex}` : ''}`;
        buffer = {
          fn,
          ...(spec?.qualifier ? { qualifier: spec.qualifier } : {}),
          stream,
          source: `firehose:${stream}`,
          sizeBytes: spec?.firehose?.bufferSizeBytes ?? 1024 * 1024,
          intervalMs: spec?.firehose?.bufferIntervalMs ?? 60_000,
          records: [],
          bytes: 0,
          generation: 0,
        };
        buffers.set(record.trafficIndex, buffer);
      }
      const atMs = record.attributes?.atMs ?? ctx.now;
      // Firehose record ids are long decimal strings (the sequence of the record in the delivery stream).
      const recordId = `4954698668313554428650745793632162567570019247${String(1_000_000_000 + record.i).slice(1)}`;
      const id = ctx.admit(buffer.source, record, recordId);
      ctx.emit({ t: ctx.now, type: 'record.put', source: buffer.source, id: recordId });
      buffer.records.push({ id, recordId, arrivalEpochMs: ctx.epochMs(atMs), data: record.body });
      buffer.bytes += payloadBytes(record.body).length;
      if (buffer.records.length === 1 && buffer.intervalMs > 0) {
        schedule(ctx, atMs + buffer.intervalMs, 'interval', { buffer, generation: buffer.generation });
      }
      if (buffer.bytes >= buffer.sizeBytes || buffer.intervalMs === 0) flush(ctx, buffer);
    },
    onTimer(ctx, timer) {
      if (timer.kind === 'interval') {
        const { buffer, generation } = timer.data;
        if (buffer.generation === generation) flush(ctx, buffer);
        return;
      }
      if (timer.kind === 'retry') {
        ready.push(timer.data);
        ctx.wake(FIREHOSE);
      }
    },
    dispatch(ctx) {
      const batch = ready;
      ready = [];
      for (const b of batch) {
        b.attempts++;
        const account = { region: ctx.model.region, accountId: ctx.model.accountId };
        const attempt = ctx.invoke({
          fn: b.fn,
          qualifier: b.qualifier,
          trigger: 'sync',
          owner: FIREHOSE,
          ref: b,
          event: () => (b.event ??= batchEvent(b, account)),
          records: b.records.map((r) => r.id),
          recordIds: b.records.map((r) => r.recordId),
          attempt: b.attempts,
          via: 'firehose',
          source: b.source,
        });
        if (!attempt.ok) {
          failedAttempt(ctx, b, attempt.reason);
          continue;
        }
        if (ctx.views) keepRecent(recent, attempt.requestId, b);
        if (b.attempts === 1) for (const r of b.records) ctx.settle(r.id, 'inFlight');
      }
      return false;
    },
    onComplete(ctx, b, result: InvocationResult) {
      if (result.outcome !== 'success' && result.outcome !== 'partial') {
        failedAttempt(ctx, b, result.outcome === 'timeout' ? 'Lambda.FunctionTimeout' : (result.error?.errorType ?? 'Lambda.FunctionError'));
        return;
      }
      const ids = b.records.map((r) => r.recordId);
      const { results, problem } = firehoseResults(ids, result.response);
      const counts: Record<FirehoseRecordResult, number> = { Ok: 0, Dropped: 0, ProcessingFailed: 0 };
      const failedIds: string[] = [];
      for (const r of b.records) {
        const res = results[r.recordId];
        counts[res]++;
        if (res === 'ProcessingFailed') {
          failedIds.push(r.recordId);
          ctx.settle(r.id, 'failed', 'processing-failed');
        } else ctx.settle(r.id, 'succeeded');
      }
      ctx.emit({
        t: ctx.now,
        type: 'firehose.result',
        fn: b.fn,
        stream: b.stream,
        invocationId: b.invocationId,
        records: b.records.length,
        ok: counts.Ok,
        dropped: counts.Dropped,
        failed: counts.ProcessingFailed,
        failedIds,
        ...(problem ? { reason: problem } : {}),
      });
    },
  };
}

/** The event of a transformation batch (docs/callers.md, "Firehose"), as its invocation receives it. */
function batchEvent(b: Batch, account: AwsAccount): unknown {
  return firehoseEvent({
    invocationId: b.invocationId,
    deliveryStreamArn: deliveryStreamArn(account, b.stream),
    region: account.region,
    records: b.records.map((r) => ({ recordId: r.recordId, approximateArrivalTimestamp: r.arrivalEpochMs, data: r.data })),
  });
}
