/**
 * A consumer's checkpoint and the ledger moves of its records (docs/aws-rules.md §3.4): positions finish
 * out of order across lanes, the checkpoint passes every finished (or trimmed) position and only moves
 * forward. Only the owner mapping (a source's first) moves record states.
 */
import { broken } from '../../invariant.js';
import type { EngineContext } from '../../module.js';
import type { RecordState } from '../../records.js';
import type { Consumer, StreamRuntime } from './runtime.js';

export function settle(ctx: EngineContext, c: Consumer, p: number, to: RecordState, failedTo?: string): void {
  if (!c.mapping.owner) return;
  const id = c.shard.ids[p];
  const from = ctx.records.state(id);
  if (from !== 'waiting' && from !== 'inFlight') return;
  if (from === to) return;
  ctx.settle(id, to, failedTo);
}

export function markDone(c: Consumer, p: number): void {
  if (p >= c.done.length) {
    let size = c.done.length * 2;
    while (size <= p) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(c.done);
    c.done = grown;
  }
  if (c.done[p] === 0) {
    c.done[p] = 1;
    if (p >= c.checkpoint && p < c.readIndex && --c.buffered < 0) {
      broken('a shard consumer finished more records than it had read', { source: c.mapping.source.name, shard: c.shard.shardId, mapping: c.mapping.esm.id, position: p });
    }
  }
}

/**
 * A mapping created with startingPosition LATEST reads only records put from now on: its consumer's read
 * position and checkpoint move to the shard's end, which is never behind the checkpoint.
 */
export function startAtLatest(c: Consumer): void {
  const end = c.shard.ids.length;
  if (end < c.checkpoint) broken('a checkpoint would move back', { source: c.mapping.source.name, shard: c.shard.shardId, mapping: c.mapping.esm.id, from: c.checkpoint, to: end });
  c.readIndex = end;
  c.checkpoint = end;
}

/** Moves the checkpoint past every finished (or trimmed) position; traces it when it moved. */
export function advanceCheckpoint(rt: StreamRuntime, ctx: EngineContext, c: Consumer): void {
  const before = c.checkpoint;
  let cp = c.checkpoint;
  if (cp < c.shard.trimIndex) {
    for (let p = cp; p < c.shard.trimIndex && p < c.readIndex; p++) if (c.done[p] === 0) c.buffered--;
    cp = c.shard.trimIndex;
  }
  while (cp < c.readIndex && cp < c.done.length && c.done[cp] === 1) cp++;
  if (c.buffered < 0) broken('a shard consumer finished more records than it had read', { source: c.mapping.source.name, shard: c.shard.shardId, mapping: c.mapping.esm.id, checkpoint: cp });
  if (cp > before) {
    c.checkpoint = cp;
    // docs/aws-rules.md §3.4: the checkpoint is the sequence number of the last record processed; it only moves forward.
    if (ctx.tracing) ctx.emit({ t: ctx.now, type: 'checkpoint', source: c.mapping.source.name, shard: c.shard.shardId, sequenceNumber: c.shard.seq(cp - 1) });
    else ctx.skip();
  }
  rt.dirty.add(c);
}
