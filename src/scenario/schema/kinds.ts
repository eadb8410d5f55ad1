/**
 * One schema per resource kind: the fields a scenario may give, in the order they are checked, each with
 * its limits and default from the table (schema/limits.ts). A field's schema line is the whole of its
 * contract: its type for authors (types.ts is checked against these at compile time,
 * test/scenario/contract-types.ts), its range, its default and its message. Cross-field rules come from
 * schema/rules.ts. validate.ts turns each kind's output into the Model.
 *
 * Kinds still checked by hand in validate.ts: buses and rules, buckets, state machines, event source
 * mappings, traffic, faults, deployments, function versions and aliases (docs/scenario-contract.md).
 */
import * as v from 'valibot';
import { DEFAULTS, LIMITS } from './limits.js';
import { boolean, duration, number, oneOf, ref, type Registry, spec, text } from './primitives.js';
import { contentBasedDeduplicationIsFifo, redriveTarget } from './rules.js';

/** The shapes DynamoDB Streams can write (StreamViewType). */
export const STREAM_VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const;

export const streamSchema = spec(
  {
    shardCount: number(LIMITS.shardCount),
    retentionPeriod: duration(LIMITS.streamRetention),
  },
  { what: 'stream', expected: "a stream spec, e.g. { shardCount: 2, retentionPeriod: '24h' }" },
);

export const tableSchema = spec(
  {
    partitionKey: text("the partition key attribute name, e.g. 'id'"),
    shardCount: number(LIMITS.shardCount),
    streamViewType: oneOf(STREAM_VIEW_TYPES, DEFAULTS.streamViewType),
  },
  { what: 'table', expected: "a table spec, e.g. { partitionKey: 'id' }" },
);

/** A queue's schema: its redrive rule needs the queue's own name. */
export function queueSchema(reg: Registry, name: string) {
  const redrive = spec(
    {
      queue: ref(reg, ['queue']),
      maxReceiveCount: number(LIMITS.maxReceiveCount),
    },
    { what: 'redrive policy', expected: '{ queue: string; maxReceiveCount: number }', order: ['maxReceiveCount', 'queue'] },
  );
  return v.pipe(
    spec(
      {
        fifo: boolean(false),
        visibilityTimeout: duration(LIMITS.visibilityTimeout),
        deliveryDelay: duration(LIMITS.deliveryDelay),
        retentionPeriod: duration(LIMITS.queueRetention),
        deadLetterQueue: v.optional(v.pipe(redrive, redriveTarget(reg, name))),
        contentBasedDeduplication: boolean(false),
      },
      { what: 'queue', expected: "a queue spec, e.g. { visibilityTimeout: '30s' }" },
    ),
    contentBasedDeduplicationIsFifo,
  );
}

export type StreamInput = v.InferInput<typeof streamSchema>;
export type TableInput = v.InferInput<typeof tableSchema>;
export type QueueInput = v.InferInput<ReturnType<typeof queueSchema>>;
