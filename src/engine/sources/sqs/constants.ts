/** The SQS module's numbers, each with where it comes from (docs/aws-rules.md sections 3.1-3.3, docs/cost.md). */
export const SQS = 'sqs';
/** docs/aws-rules.md §3.1: a batch closes when its payload reaches 6 MB. */
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;
/** FIFO queues: the deduplication interval is 5 minutes (docs/fidelity.md). */
export const FIFO_DEDUPLICATION_INTERVAL_MS = 5 * 60_000;
/** docs/aws-rules.md §3.2: pollers start with 5 concurrent batches. */
export const INITIAL_CONCURRENCY = 5;
/** services-sqs-scaling.html: under low traffic, "as few as 2 concurrent batches" (without maxConcurrency). */
export const LOW_TRAFFIC_CONCURRENCY = 2;
/** docs/aws-rules.md §3.2: +300 concurrent invokes per minute, applied as +5 every second. */
export const SCALE_STEP = 5;
export const SCALE_INTERVAL_MS = 1_000;
/** docs/aws-rules.md §3.2: at most 1,250 concurrent invokes per mapping (some doc copies still say 1,000). */
export const MAX_MAPPING_CONCURRENCY = 1_250;
/** docs/aws-rules.md §3.2: if window + function timeout exceed the visibility timeout, Lambda uses window + timeout + 30 s. */
export const EFFECTIVE_VISIBILITY_EXTRA_MS = 30_000;
/** Throttled batches are retried after 1 s, doubling up to 20 s, until their visibility timeout ends (S20). */
export const THROTTLE_RETRY_FIRST_MS = 1_000;
export const THROTTLE_RETRY_MAX_MS = 20_000;
/** A FIFO message sent without a group id (traffic without messageGroups) goes to this group. */
export const DEFAULT_MESSAGE_GROUP = 'default';
/** Bounds of the view state's lists and of the batches kept for inspection. */
export const VIEW_LIST_MAX = 20;
export const RECENT_BATCHES = 32;
/** SQS ReceiveMessage returns at most 10 messages per call, so a batch of 100 takes at least 10 receives. */
export const RECEIVE_MAX_MESSAGES = 10;
/**
 * An idle mapping keeps long-polling: its pollers each wait 20 s (WaitTimeSeconds' maximum) and get an
 * empty, billed response (docs/cost.md). AWS documents that polling starts with 5 connections, not how many
 * an idle mapping keeps: this model keeps those 5.
 */
export const IDLE_POLLERS = 5;
export const LONG_POLL_MS = 20_000;
