/**
 * A stream batch's invocation finished (docs/aws-rules.md §3.4): success moves the checkpoint; a tumbling
 * window's response must carry `state`; a partial batch response checkpoints before the lowest reported
 * sequence number and retries (or, with bisect on, splits) from there; anything else is a failed attempt.
 */
import { hasRealCode } from '../../../scenario/model.js';
import type { InvocationOutcome } from '../../aws/invoke.js';
import type { EngineContext, InvocationResult } from '../../module.js';
import { advanceCheckpoint, markDone, settle } from './checkpoint.js';
import { failedAttempt, retryOrGiveUp } from './retry.js';
import { type Batch, type BatchRef, type Lane, putAt, STREAM, type StreamRuntime } from './runtime.js';
import { closeWindow } from './window.js';

/** docs/aws-rules.md §3.4: tumbling window state above 1 MB per shard ends the window early. */
export const WINDOW_STATE_BYTES_MAX = 1024 * 1024;

function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return Infinity;
  }
}

/** The `state` object of a tumbling window's response, or undefined when it has none (or not an object). */
function windowState(response: unknown): Record<string, unknown> | undefined {
  if (typeof response !== 'object' || response === null || !('state' in response)) return undefined;
  const state: unknown = response.state;
  return isStateObject(state) ? state : undefined;
}

function isStateObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function succeed(ctx: EngineContext, lane: Lane, positions: number[]): void {
  const c = lane.consumer;
  for (const p of positions) {
    settle(ctx, c, p, 'succeeded');
    markDone(c, p);
  }
}

function outcomeOf(result: InvocationResult): InvocationOutcome {
  return result.outcome === 'timeout'
    ? { kind: 'timeout', timeoutMs: result.durationMs }
    : result.outcome === 'error'
      ? { kind: 'error', error: result.error ?? { errorType: 'Error', errorMessage: '' } }
      : { kind: 'success', payload: result.response ?? null };
}

export function completeBatch(rt: StreamRuntime, ctx: EngineContext, ref: BatchRef, result: InvocationResult): void {
  const { lane, batch } = ref;
  const c = lane.consumer;
  const esm = c.mapping.esm;
  lane.inFlight = undefined;
  batch.lastOutcome = outcomeOf(result);
  if (batch.positions.length > 0) {
    // with-kinesis.md: "Lambda emits the IteratorAge metric when your function finishes processing a
    // batch of records. The metric indicates how old the last record in the batch was when processing
    // finished." (docs/fidelity.md)
    ctx.observeAge(c.mapping.source.name, ctx.now - putAt(ctx, c.shard, batch.positions[batch.positions.length - 1]));
  }
  rt.ready.add(lane);
  ctx.wake(STREAM);
  rt.dirty.add(c);

  let ok = result.outcome === 'success' || (result.outcome === 'partial' && !esm.reportBatchItemFailures);
  let response = result.response;
  if (ok && esm.tumblingWindowMs > 0 && lane.window) {
    // docs/aws-rules.md §3.4: a tumbling-window response must contain `state`, else the invocation failed.
    // Without a handler, the invocation succeeds with an empty state (this simulator's default).
    if ((response === null || response === undefined) && !hasRealCode(ctx.model.functions[esm.function])) response = { state: {} };
    const state = windowState(response);
    if (state === undefined) {
      ok = false;
      batch.lastOutcome = { kind: 'error', error: { errorType: 'InvalidStateResponse', errorMessage: 'A tumbling window response must contain a state object' } };
    } else if (batch.final) {
      succeed(ctx, lane, batch.positions);
      closeWindow(ctx, lane);
      rt.batches.delete(batch.id);
      return;
    } else {
      lane.window.state = state;
      // docs/aws-rules.md §3.4: state above 1 MB per shard ends the window early: the next invoke is its final one.
      if (jsonBytes(state) > WINDOW_STATE_BYTES_MAX) lane.window.terminatedEarly = true;
    }
  }
  if (ok) {
    succeed(ctx, lane, batch.positions);
    rt.batches.delete(batch.id);
    lane.status = 'flowing';
    advanceCheckpoint(rt, ctx, c);
    return;
  }
  if (result.outcome === 'partial' && esm.reportBatchItemFailures) {
    // docs/aws-rules.md §3.4: checkpoint before the lowest reported sequence number and retry from there; an empty
    // or unknown item identifier fails the whole batch (same rules as SQS).
    const index = new Map(batch.positions.map((p, i) => [c.shard.seq(p), i]));
    const failed = result.failedItemIds ?? [];
    let lowest = Infinity;
    let valid = failed.length > 0;
    for (const id of failed) {
      const i = index.get(id);
      if (i === undefined) valid = false;
      else lowest = Math.min(lowest, i);
    }
    // A tumbling window's partial response (docs/fidelity.md, our choice): it must carry a state object
    // like any window response, and that state is kept for the records checkpointed as processed; the
    // records retried from the lowest failure then see it.
    const windowed = esm.tumblingWindowMs > 0 && lane.window !== undefined && !batch.final;
    const state = windowed ? windowState(response) : undefined;
    if (windowed && state === undefined) {
      valid = false;
      batch.lastOutcome = { kind: 'error', error: { errorType: 'InvalidStateResponse', errorMessage: 'A tumbling window response must contain a state object' } };
    }
    if (valid && lowest > 0) {
      if (windowed && state) lane.window!.state = state;
      succeed(ctx, lane, batch.positions.slice(0, lowest));
      advanceCheckpoint(rt, ctx, c);
      const rest = batch.positions.slice(lowest);
      for (const p of rest) settle(ctx, c, p, 'waiting');
      const retry = { ...batch, positions: rest };
      if (esm.bisectBatchOnError) {
        // With bisect on, the batch is split at the returned sequence number: a split, not a retry.
        const next: Batch = { ...retry, id: ctx.ids.short('b'), invocations: 0, bisectDepth: batch.bisectDepth + 1, event: undefined };
        rt.batches.delete(batch.id);
        lane.pending.unshift(next);
        lane.status = 'bisecting';
        return;
      }
      batch.positions = rest;
      batch.event = undefined;
      // The rest is retried: this spends a retry like a whole-batch failure.
      retryOrGiveUp(rt, ctx, lane, batch);
      return;
    }
  }
  failedAttempt(rt, ctx, lane, batch);
}
