/** How many batches an SQS mapping's pollers may have out at once (docs/aws-rules.md §3.2, §3.3). */
import type { EngineContext } from '../../module.js';
import { SCALE_INTERVAL_MS, SCALE_STEP } from './constants.js';
import { type MappingRuntime, schedule, type SqsRuntime, wake } from './runtime.js';

export function ensureScaleTimer(ctx: EngineContext, m: MappingRuntime): void {
  if (!m.scaleTimer && !m.fifo) m.scaleTimer = schedule(ctx, ctx.now + SCALE_INTERVAL_MS, 'scale', m);
}

/**
 * One scaling step per second (docs/aws-rules.md §3.2). Deterministic policy, since AWS documents only the rates:
 * - after a throttle, or a failed batch without ReportBatchItemFailures (S20: "gradually backs off"),
 *   the target drops by 5 (one step) but not below the starting 5;
 * - else, if messages waited with every slot busy, it climbs by 5 (300 per minute), up to
 *   min(1250, maxConcurrency). Not capped by the function's reserved concurrency or the unreserved pool:
 *   re:Post (knowledge-center/lambda-sqs-scaling) says event source mappings don't account for reserved
 *   concurrency, so the climb goes past it, throttles follow, and the first rule pulls it back: the
 *   target saws around the function's limit while throttled batches wait out their visibility timeout;
 * - else it scales back down by 5 towards the starting 5;
 * - at 5, a step in which no message waited (low traffic) takes it to 2 when maxConcurrency is not set
 *   (services-sqs-scaling.html: "When traffic is low, Lambda scales back the processing to five concurrent
 *   batches, and can optimize to as few as 2 concurrent batches ... this optimization is not available
 *   when you enable the maximum concurrency setting"); the first step in which messages wait with both
 *   slots busy puts it back to 5, and it climbs from there (our choice: AWS gives no timing).
 * FIFO mappings never get here (no scale timer): see {@link fifoTarget}.
 */
export function scaleMapping(rt: SqsRuntime, ctx: EngineContext, m: MappingRuntime): void {
  m.scaleTimer = undefined;
  if (m.backoffSignals > 0) m.target = Math.max(Math.min(m.target, m.floor), m.target - SCALE_STEP);
  else if (m.waited && m.target < m.floor) m.target = m.floor;
  else if (m.waited && m.target < m.cap) m.target = Math.min(m.cap, m.target + SCALE_STEP);
  else if (!m.waited && m.target > m.floor) m.target = Math.max(m.floor, m.target - SCALE_STEP);
  else if (!m.waited) m.target = m.quietFloor;
  m.target = Math.max(m.target, m.quietFloor);
  m.backoffSignals = 0;
  const busy = m.queue.hasVisible() || m.batches > 0;
  m.waited = false;
  if (m.target > m.quietFloor || busy) ensureScaleTimer(ctx, m);
  wake(rt, ctx);
}

/**
 * docs/aws-rules.md §3.3 (re:Post knowledge-center/lambda-sqs-scaling): a FIFO mapping "can scale in concurrency to
 * the number of active message groups", with no 5-start and no +5/s ramp: its target is min(cap, batches
 * already out + groups ready to receive). Each group has at most one batch out, so the groups bound it.
 * Choice where AWS documents nothing: throttles and errors do not lower it; a throttled batch is held
 * and retried with backoff (S20) while its group stays locked, and a failed group stays blocked, which
 * already holds those groups back.
 */
export function fifoTarget(m: MappingRuntime): number {
  return Math.min(m.cap, m.batches + m.queue.readyGroups());
}
