/** Tumbling windows (docs/aws-rules.md §3.4): keyed on arrival time, state carried between invokes, a final invoke. */
import type { EngineContext } from '../../module.js';
import { bufferLength, type Lane, putAt, schedule } from './runtime.js';

export function openWindow(ctx: EngineContext, lane: Lane, arrivalMs: number): void {
  const size = lane.consumer.mapping.esm.tumblingWindowMs;
  const startMs = Math.floor(arrivalMs / size) * size;
  lane.window = { startMs, endMs: startMs + size, state: {}, terminatedEarly: false };
  // Wake the lane after the window ends (and the next poll), for its final invoke.
  lane.window.timer = schedule(ctx, startMs + size, 'window', lane);
}

/** A window's final invoke is due once it ended (or was terminated early) and none of its records wait. */
export function finalDue(ctx: EngineContext, lane: Lane): boolean {
  const w = lane.window!;
  if (w.terminatedEarly) return true;
  if (ctx.now < w.endMs || lane.consumer.lastPollAt < w.endMs) return false;
  if (bufferLength(lane) > 0) {
    const next = putAt(ctx, lane.consumer.shard, lane.buffer[lane.head]);
    if (next < w.endMs) return false;
  }
  return true;
}

export function closeWindow(ctx: EngineContext, lane: Lane): void {
  if (lane.window?.timer) ctx.cancel(lane.window.timer);
  lane.window = undefined;
}
