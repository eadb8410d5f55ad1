/**
 * Records entering a stream or table and leaving it with retention (docs/aws-rules.md §3.4): a put lands on
 * the shard of its partition key's MD5 hash and gets the shard's next sequence number; the shard trims
 * from its front once records pass the retention period.
 */
import { shardIndexForPartitionKey } from '../../aws/kinesis.js';
import type { EngineContext, IncomingRecord } from '../../module.js';
import { advanceCheckpoint, markDone } from './checkpoint.js';
import { ensurePoll } from './poller.js';
import { putAt, schedule, type Shard, type Source, STREAM, type StreamRuntime } from './runtime.js';

export function putRecord(rt: StreamRuntime, ctx: EngineContext, name: string, record: IncomingRecord): void {
  const source = rt.sources.get(name);
  if (!source) throw new Error(`stream module: unknown stream or table '${name}'`);
  const key = source.spec.placementKey(record.body, source.partitionKeyName, record.partitionKey ?? String(record.i));
  let shardIndex = source.shardOfKey.get(key);
  if (shardIndex === undefined) {
    // docs/aws-rules.md §3.4: the MD5 hash of the partition key over the shards' hash key ranges. DynamoDB does
    // not document its partitioning; the same hash placement stands in for it.
    shardIndex = shardIndexForPartitionKey(key, source.shards.length);
    source.shardOfKey.set(key, shardIndex);
  }
  const shard = source.shards[shardIndex];
  const p = shard.ids.length;
  const sequenceNumber = shard.seq(p);
  const id = ctx.admit(name, record.partitionKey === key ? record : { ...record, partitionKey: key }, sequenceNumber);
  shard.ids.push(id);
  source.putCount++;
  if (ctx.tracing) ctx.emit({ t: ctx.now, type: 'record.put', source: name, id: sequenceNumber, shard: shard.shardId, partitionKey: key });
  else ctx.skip();
  if (!shard.retentionTimer) scheduleRetention(ctx, source, shard);
  for (const c of shard.consumers) {
    rt.dirty.add(c);
    ensurePoll(ctx, c);
  }
}

function scheduleRetention(ctx: EngineContext, source: Source, shard: Shard): void {
  if (shard.trimIndex >= shard.ids.length) return;
  shard.retentionTimer = schedule(ctx, putAt(ctx, shard, shard.trimIndex) + source.retentionMs, 'retention', { source, shard });
}

export function trim(rt: StreamRuntime, ctx: EngineContext, source: Source, shard: Shard): void {
  shard.retentionTimer = undefined;
  while (shard.trimIndex < shard.ids.length && putAt(ctx, shard, shard.trimIndex) + source.retentionMs <= ctx.now) {
    const id = shard.ids[shard.trimIndex];
    // A record still waiting when the stream trims it was never processed: it expired (docs/aws-rules.md §3.4,
    // retention). Records in flight finish their invocation; a failed one then expires (fail()).
    if (ctx.records.state(id) === 'waiting') {
      ctx.settle(id, 'expired');
      ctx.emit({ t: ctx.now, type: 'record.expired', source: source.name, id: shard.seq(shard.trimIndex) });
    }
    shard.trimIndex++;
  }
  for (const c of shard.consumers) {
    if (c.readIndex < shard.trimIndex) {
      for (let p = c.readIndex; p < shard.trimIndex; p++) markDone(c, p);
      c.readIndex = shard.trimIndex;
    }
    advanceCheckpoint(rt, ctx, c);
    for (const lane of c.lanes) rt.ready.add(lane);
    ctx.wake(STREAM);
  }
  scheduleRetention(ctx, source, shard);
}
