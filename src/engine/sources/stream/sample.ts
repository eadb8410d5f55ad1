/**
 * Building and refreshing the stream module's view state, `state.modules.stream` (view.ts has its shape):
 * only rows of consumers that changed are refreshed, plus the iterator age of shards that are behind.
 */
import type { EngineContext } from '../../module.js';
import { bufferLength, type Consumer, putAt, type StreamRuntime } from './runtime.js';
import { RECENT_STREAM_FAILURES, type ShardConsumerStatus, type StreamViewState } from './view.js';

function refreshView(ctx: EngineContext, view: StreamViewState, c: Consumer): void {
  const source = view.sources[c.mapping.source.name];
  const shardView = source.shards[c.shard.index];
  shardView.tip = c.shard.ids.length;
  shardView.trimmed = c.shard.trimIndex;
  const row = shardView.consumers[c.viewIndex];
  const tip = c.shard.ids.length;
  row.checkpoint = c.checkpoint;
  row.waiting = Math.max(0, tip - c.checkpoint - countDoneAhead(c));
  row.iteratorAgeMs = c.checkpoint < tip ? ctx.now - putAt(ctx, c.shard, c.checkpoint) : 0;
  let status: ShardConsumerStatus = 'idle';
  let attempt: number | undefined;
  for (let i = 0; i < c.lanes.length; i++) {
    const lane = c.lanes[i];
    const laneView = row.lanes[i];
    const batch = lane.inFlight ?? lane.pending[0];
    laneView.buffered = bufferLength(lane);
    if (batch) {
      const b = laneView.batch;
      const size = batch.positions.length;
      const att = lane.inFlight ? batch.invocations : batch.invocations + 1;
      if (!b || b.batchId !== batch.id || b.size !== size || b.attempt !== att || b.inFlight !== Boolean(lane.inFlight) || b.bisectDepth !== batch.bisectDepth) {
        laneView.batch = { batchId: batch.id, size, attempt: att, bisectDepth: batch.bisectDepth, inFlight: Boolean(lane.inFlight) };
      }
    } else if (laneView.batch) delete laneView.batch;
    let laneStatus: ShardConsumerStatus = batch ? lane.status : bufferLength(lane) > 0 ? 'flowing' : 'idle';
    if (!c.mapping.esm.enabled && tip > c.checkpoint) laneStatus = 'blocked';
    if (laneStatus === 'idle' && batch) laneStatus = 'flowing';
    if (rank[laneStatus] > rank[status]) {
      status = laneStatus;
      if (laneStatus === 'retrying' && batch) attempt = lane.inFlight ? batch.invocations : batch.invocations + 1;
    }
  }
  if (status === 'idle' && tip > c.checkpoint) status = 'flowing';
  if (row.status !== status) row.status = status;
  if (status === 'retrying') {
    row.attempt = attempt;
    row.maxAttempts = c.mapping.esm.retryAttempts < 0 ? -1 : c.mapping.esm.retryAttempts + 1;
  } else {
    if (row.attempt !== undefined) delete row.attempt;
    if (row.maxAttempts !== undefined) delete row.maxAttempts;
  }
}

const rank = { idle: 0, flowing: 1, bisecting: 2, retrying: 3, blocked: 4 } as const;

/** Finished records past the checkpoint (lanes finish out of order); bounded by the read-ahead. */
function countDoneAhead(c: Consumer): number {
  // Records between the checkpoint and the read index that are already finished.
  const read = c.readIndex - c.checkpoint;
  return Math.max(0, read - c.buffered);
}

/** The end of a tick: refresh what changed (nothing at all in a headless run, which reads no views). */
export function sampleView(rt: StreamRuntime, ctx: EngineContext, view: StreamViewState): void {
  // Failures are kept in every run (the summary's metrics read them), views or not.
  for (const [name, failures] of rt.newFailures) {
    const list = view.sources[name].recentFailures;
    for (const f of failures) list.push(f);
    if (list.length > RECENT_STREAM_FAILURES) list.splice(0, list.length - RECENT_STREAM_FAILURES);
  }
  rt.newFailures.clear();
  // Everything below is view (the summary reads the ledgers, and peak ages come from observeAge).
  if (!ctx.views) {
    rt.dirty.clear();
    return;
  }
  for (const c of rt.dirty) refreshView(ctx, view, c);
  rt.dirty.clear();
  // Iterator age climbs while a shard is behind: refresh the rows of shards with unfinished records.
  for (const source of rt.sources.values()) {
    for (const shard of source.shards) {
      for (const c of shard.consumers) {
        if (c.checkpoint < shard.ids.length) {
          const row = view.sources[source.name].shards[shard.index].consumers[c.viewIndex];
          const age = ctx.now - putAt(ctx, shard, c.checkpoint);
          if (row.iteratorAgeMs !== age) row.iteratorAgeMs = age;
        }
      }
    }
  }
  for (const source of rt.sources.values()) {
    if (view.sources[source.name].put !== source.putCount) view.sources[source.name].put = source.putCount;
  }
}
