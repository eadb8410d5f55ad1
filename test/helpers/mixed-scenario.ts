import fc from 'fast-check';
import type { Scenario } from '../../src/scenario/types.js';

/**
 * Random scenarios that chain every kind of source: synchronous callers, async invokes whose failures go
 * to a queue, an SNS topic fanning out to a function and a queue, SQS and Kinesis mappings (with bisect
 * and an on-failure queue), faults of every kind. Each module has its own accounting property; this one
 * checks the books close when records cross from one source into another. scripts/compare-runs.mjs samples
 * the same generator with fixed seeds to compare two builds byte for byte.
 */
export const mixed = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  reserved: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  p50: fc.integer({ min: 5, max: 600 }),
  retryAttempts: fc.integer({ min: 0, max: 2 }),
  syncRate: fc.integer({ min: 0, max: 20 }),
  asyncRate: fc.integer({ min: 0, max: 10 }),
  topicRate: fc.integer({ min: 0, max: 5 }),
  queueRate: fc.integer({ min: 0, max: 30 }),
  streamRate: fc.integer({ min: 0, max: 30 }),
  shards: fc.integer({ min: 1, max: 3 }),
  bisect: fc.boolean(),
  partial: fc.boolean(),
  streamRetries: fc.integer({ min: 0, max: 3 }),
  maxReceiveCount: fc.integer({ min: 1, max: 3 }),
  faultKind: fc.constantFrom('error', 'timeout', 'throttle', 'latency', 'partial'),
  faultRate: fc.double({ min: 0, max: 1, noNaN: true }),
  faultFn: fc.constantFrom('api', 'worker', 'consumer'),
});

export type Mixed = typeof mixed extends fc.Arbitrary<infer T> ? T : never;

export function mixedScenario(o: Mixed): Scenario {
  return {
    name: 'mixed',
    seed: o.seed,
    duration: '50s',
    functions: {
      api: { duration: { p50: o.p50, p99: o.p50 * 3 }, timeout: '2s', reservedConcurrentExecutions: o.reserved },
      worker: { duration: { p50: o.p50, p99: o.p50 * 2 }, timeout: '2s', retryAttempts: o.retryAttempts, maxEventAge: '60s', onFailure: 'failed' },
      consumer: { duration: { p50: o.p50, p99: o.p50 * 2 }, timeout: '2s' },
      auditor: {},
    },
    queues: {
      jobs: { visibilityTimeout: '5s', deadLetterQueue: { queue: 'jobs-dlq', maxReceiveCount: o.maxReceiveCount } },
      'jobs-dlq': {},
      failed: {},
    },
    streams: { events: { shardCount: o.shards } },
    topics: { alerts: { subscriptions: ['auditor', 'failed'] } },
    eventSourceMappings: [
      { source: 'jobs', function: 'consumer', batchSize: 5, reportBatchItemFailures: o.partial },
      { source: 'events', function: 'consumer', batchSize: 10, bisectBatchOnError: o.bisect, retryAttempts: o.streamRetries, onFailure: 'failed', reportBatchItemFailures: o.partial },
    ],
    traffic: [
      ...(o.syncRate ? [{ invoke: 'api', type: 'RequestResponse' as const, rate: o.syncRate, stop: '30s' as const }] : []),
      ...(o.asyncRate ? [{ invoke: 'worker', type: 'Event' as const, rate: o.asyncRate, stop: '30s' as const }] : []),
      ...(o.topicRate ? [{ to: 'alerts', rate: o.topicRate, stop: '30s' as const }] : []),
      ...(o.queueRate ? [{ to: 'jobs', rate: o.queueRate, stop: '30s' as const }] : []),
      ...(o.streamRate ? [{ to: 'events', rate: o.streamRate, stop: '30s' as const, partitionKeys: 6 }] : []),
    ],
    faults: [{ function: o.faultFn, kind: o.faultKind, rate: o.faultRate, ...(o.faultKind === 'latency' ? { add: '3s' } : {}) }],
  };
}

