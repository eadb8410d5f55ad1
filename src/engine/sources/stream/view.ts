/**
 * The view state of the stream module (`state.modules.stream`): what the dashboard renders for Kinesis
 * streams and DynamoDB tables with streams. Small and bounded: one row per shard, one entry per poller
 * lane, at most RECENT_STREAM_FAILURES failures per source.
 */

/** How a shard's consumer is doing, as the dashboard shows it. */
export type ShardConsumerStatus =
  /** Batches succeed and the checkpoint moves. */
  | 'flowing'
  /** A failed batch waits for its next attempt (see `attempt` / `maxAttempts`). */
  | 'retrying'
  /** A failed batch was split in two (bisectBatchOnError) and its halves are being tried. */
  | 'bisecting'
  /** Throttled, or records wait while the mapping is disabled. */
  | 'blocked'
  /** Nothing to do. */
  | 'idle';

/** One poller lane of a shard (parallelizationFactor lanes per shard) and its batch in flight. */
export interface StreamLaneView {
  lane: number;
  /** The batch being processed or waiting for its next try; absent when the lane is free. */
  batch?: {
    batchId: string;
    size: number;
    /** 1-based attempt of this batch (retries + 1). */
    attempt: number;
    /** How many bisections produced this batch (0 for a batch read from the shard). */
    bisectDepth: number;
    /** True while the function runs; false while the batch waits for a retry. */
    inFlight: boolean;
  };
  /** Records read from the shard and waiting in this lane. */
  buffered: number;
}

/** One mapping's view of one shard. */
export interface ShardConsumerView {
  /** The mapping id (`esm-<index>`). */
  mapping: string;
  fn: string;
  /** Position (0-based record index in the shard) of the first record not yet finished: the checkpoint. */
  checkpoint: number;
  /** Records put but not finished by this mapping: tip - checkpoint, less what is done out of order. */
  waiting: number;
  /** Age of the oldest unfinished record now, ms (0 when caught up): IteratorAge as it climbs. */
  iteratorAgeMs: number;
  status: ShardConsumerStatus;
  /** With status 'retrying': the attempt that comes next, and the most there can be (-1 = no limit). */
  attempt?: number;
  maxAttempts?: number;
  lanes: StreamLaneView[];
}

export interface ShardView {
  shardId: string;
  index: number;
  /** Records ever put to the shard: the tip's sequence index. */
  tip: number;
  /** Records trimmed by the retention period (positions below this are gone). */
  trimmed: number;
  /** One entry per mapping reading this stream, in declaration order. */
  consumers: ShardConsumerView[];
}

export interface StreamFailureView {
  t: number;
  shardId: string;
  batchId: string;
  fn: string;
  condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded' | 'Expired';
  size: number;
  /** The destination, or 'dropped' (no onFailure) or 'expired' (retention passed while retrying). */
  to: string;
}

export interface StreamSourceView {
  name: string;
  kind: 'stream' | 'table';
  /** 'kinesis' or 'dynamodb'. */
  service: 'kinesis' | 'dynamodb';
  arn: string;
  retentionMs: number;
  put: number;
  shards: ShardView[];
  /** Most recent batches that left through onFailure, dropping or expiry, newest last. */
  recentFailures: StreamFailureView[];
}

/**
 * `state.modules.stream`: every Kinesis stream and DynamoDB table stream, keyed by resource name in
 * declaration order.
 */
export interface StreamViewState {
  sources: Record<string, StreamSourceView>;
}

export const RECENT_STREAM_FAILURES = 20;
