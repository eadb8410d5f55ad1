/**
 * SQS queues and SQS event source mappings, standard and FIFO (docs/aws-rules.md sections 3.1-3.3).
 *
 * Queues: a message is delayed (delivery delay), visible, received (by a poller: in a filling batch, in an
 * invocation, or held after a throttle), invisible after a failure until the visibility timeout of its
 * receive ends, or done (deleted, redriven, expired, filtered). Messages expire retentionPeriod after their
 * SentTimestamp; a redrive policy moves a message to its dead-letter queue on the first receive attempt
 * after maxReceiveCount receives.
 *
 * Mappings: pollers receive batches (closing at batchSize, at the end of maxBatchingWindow or at 6 MB),
 * delete filtered-out messages, invoke the function synchronously, and delete the batch on success. On a
 * standard queue the number of concurrent batches starts at 5 and climbs by 5 per second (AWS's 300 per
 * minute) while messages wait, up to min(1,250, maxConcurrency); throttles and function errors make it back
 * off (see {@link scaleMapping} for the policy). The function's reserved concurrency does NOT cap the climb:
 * "Event source mappings don't account for reserved concurrency and can process more messages off your
 * queue than can be sent to your function" (re:Post knowledge-center/lambda-sqs-scaling), so pollers above
 * it get throttled, and throttled batches that outlast their visibility timeout come back with a higher
 * receive count and may be redriven without the function ever failing. On a FIFO queue there is no ramp:
 * concurrency follows the number of active message groups, up to the same cap (docs/aws-rules.md §3.3).
 *
 * Puts come from traffic (`to: <queue>`), from destinations and SNS (envelope records) and from redrive.
 * Optional `IncomingRecord.attributes` this module reads: `messageAttributes` (SendMessage attributes),
 * `messageGroupId`, `messageDeduplicationId`, `senderId`, `atMs` (when it was sent, default now).
 *
 * The module is split by concept under sqs/: constants, runtime (the state every helper receives), queue
 * and messages (the per-queue and per-message stores), lifecycle (phases, delay, retention), send,
 * receive, poller, scaling, outcome, redrive (on failure), message (record shape), batch and view.
 */
import { sqsEvent } from '../aws/sqs.js';
import type { EngineModule } from '../module.js';
import {
  EFFECTIVE_VISIBILITY_EXTRA_MS,
  INITIAL_CONCURRENCY,
  LOW_TRAFFIC_CONCURRENCY,
  MAX_MAPPING_CONCURRENCY,
  SQS,
} from './sqs/constants.js';
import { firstVisible, firstVisibleInGroups, releaseDelayed, runRetention } from './sqs/lifecycle.js';
import { recordOf } from './sqs/message.js';
import { complete, visibilityEnds } from './sqs/outcome.js';
import { retryHeld, serve, startMapping, windowEnds } from './sqs/poller.js';
import { QueueRuntime } from './sqs/queue.js';
import { type Batch, createRuntime, type MappingRuntime, schedule, type SqsTimers } from './sqs/runtime.js';
import { scaleMapping } from './sqs/scaling.js';
import { sendMessage } from './sqs/send.js';
import { initialView, sampleView, type SqsViewState } from './sqs/view.js';

export * from './sqs/constants.js';
export type { SqsMappingView, SqsQueueView, SqsViewState } from './sqs/view.js';

/** Creates the SQS module: queues, their mappings' pollers, and the view state `state.modules.sqs`. */
export function createSqsModule(): EngineModule<SqsTimers, Batch, SqsViewState> {
  let rt = createRuntime();
  return {
    name: SQS,
    save: () => rt,
    restore(saved) {
      rt = saved as typeof rt;
    },
    accepts: ['queue'],
    init(ctx) {
      rt.epochMs = ctx.epochMs;
      rt.account = { region: ctx.model.region, accountId: ctx.model.accountId };
      for (const model of Object.values(ctx.model.queues)) rt.queues.set(model.name, new QueueRuntime(model));
      for (const esm of ctx.model.eventSourceMappings) {
        if (esm.sourceKind !== 'sqs') continue;
        const queue = rt.queues.get(esm.source)!;
        const fn = ctx.model.functions[esm.function];
        const cap = Math.min(MAX_MAPPING_CONCURRENCY, esm.maxConcurrency ?? MAX_MAPPING_CONCURRENCY);
        const floor = Math.min(INITIAL_CONCURRENCY, cap);
        // docs/aws-rules.md §3.2 note: window + timeout above the visibility timeout gets window + timeout + 30 s.
        const windowPlusTimeout = esm.maxBatchingWindowMs + fn.timeoutMs;
        const visibilityMs =
          windowPlusTimeout > queue.model.visibilityTimeoutMs ? windowPlusTimeout + EFFECTIVE_VISIBILITY_EXTRA_MS : queue.model.visibilityTimeoutMs;
        const m: MappingRuntime = {
          model: esm,
          queue,
          fn,
          target: queue.fifo ? 0 : floor,
          floor,
          quietFloor: esm.maxConcurrency === undefined ? Math.min(LOW_TRAFFIC_CONCURRENCY, floor) : floor,
          cap,
          fifo: queue.fifo,
          visibilityMs,
          batches: 0,
          invoking: 0,
          held: 0,
          backoffSignals: 0,
          waited: false,
          returned: 0,
          receives: 0,
          emptyReceives: 0,
        };
        rt.mappings.push(m);
        const list = rt.consumers.get(queue.name) ?? [];
        list.push(m);
        rt.consumers.set(queue.name, list);
      }
      // Every queue starts empty: idle pollers long-poll it from time 0.
      for (const q of rt.queues.values()) rt.idleSince.set(q.name, 0);
      // A mapping created later than the run's start (startAt) begins polling then.
      for (const m of rt.mappings) if (m.model.enabled && m.model.startAtMs > 0) schedule(ctx, m.model.startAtMs, 'start', m);
      return initialView(rt);
    },
    put(ctx, resource, record) {
      const q = rt.queues.get(resource);
      if (!q) throw new Error(`sqs: no queue '${resource}'`);
      sendMessage(rt, ctx, q, record);
    },
    onTimer(ctx, timer) {
      switch (timer.kind) {
        case 'delay':
          releaseDelayed(rt, ctx, timer.data);
          return;
        case 'retention':
          runRetention(rt, ctx, timer.data);
          return;
        case 'visibility':
          visibilityEnds(rt, ctx, timer.data);
          return;
        case 'window':
          windowEnds(rt, ctx, timer.data);
          return;
        case 'retry':
          retryHeld(rt, ctx, timer.data);
          return;
        case 'scale':
          scaleMapping(rt, ctx, timer.data);
          return;
        case 'start':
          startMapping(rt, ctx, timer.data);
          return;
      }
    },
    onComplete(ctx, ref, result) {
      complete(rt, ctx, ref, result);
    },
    dispatch(ctx) {
      rt.wakeRequested = false;
      for (const m of rt.mappings) if (m.model.enabled && ctx.now >= m.model.startAtMs) serve(rt, ctx, m);
      return rt.wakeRequested;
    },
    sample(ctx, view) {
      sampleView(rt, ctx, view);
    },
    inspect(ictx, key) {
      const batch = rt.liveBatches.get(key) ?? rt.recentBatches.find((b) => b.id === key);
      if (batch) return batch.event ?? sqsEvent(batch.ids.map((id, i) => recordOf(rt, ictx.records, batch.mapping.queue, id, batch.receipts[i], ictx.state.t)));
      for (const b of [...rt.liveBatches.values(), ...rt.recentBatches]) {
        const i = b.ids.findIndex((id) => ictx.records.itemId(id) === key);
        if (i >= 0) return recordOf(rt, ictx.records, b.mapping.queue, b.ids[i], b.receipts[i], ictx.state.t);
      }
      const q = rt.queues.get(key);
      if (q) {
        // The queue's oldest visible message, as the next receive would return it.
        const head = q.fifo ? firstVisibleInGroups(rt, q) : firstVisible(rt, q.visible);
        return head < 0 ? null : recordOf(rt, ictx.records, q, head, rt.msgs.receiveCount[head] + 1, ictx.state.t);
      }
      return undefined;
    },
  };
}
