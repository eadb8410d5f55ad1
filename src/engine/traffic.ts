/**
 * Traffic arrivals (docs/architecture.md, TrafficSpec): evenly spaced at the entry's rate, which may step over
 * time (validation fills in 1 per second when no rate is given).
 */
import type { TrafficModel } from '../scenario/model.js';

function rateAt(spec: TrafficModel, t: number): number {
  let rate = 0;
  for (const step of spec.rate) {
    if (step.atMs <= t) rate = step.ratePerSecond;
    else break;
  }
  return rate;
}

/**
 * The time of the arrival after `previousMs` (or of the first one), or undefined when the entry has no
 * more. Between rate steps the spacing carries over proportionally, so a step changes the rate exactly
 * where it says.
 *
 * @example nextArrivalMs({ rate: [{ atMs: 0, ratePerSecond: 10 }], startMs: 0, ... }, 0) // 100
 */
export function nextArrivalMs(spec: TrafficModel, previousMs: number | undefined): number | undefined {
  let t = previousMs ?? spec.startMs;
  // The fraction of one inter-arrival gap still to cover; the first arrival comes at the start itself.
  let remaining = previousMs === undefined ? 0 : 1;
  for (let guard = 0; guard < spec.rate.length + 2; guard++) {
    const rate = rateAt(spec, t);
    const nextStep = spec.rate.find((s) => s.atMs > t);
    if (rate > 0) {
      const at = t + (remaining * 1000) / rate;
      if (!nextStep || at <= nextStep.atMs) return within(spec, at);
      remaining -= ((nextStep.atMs - t) * rate) / 1000;
      t = nextStep.atMs;
    } else {
      if (!nextStep) return undefined;
      t = nextStep.atMs;
      remaining = 0;
    }
  }
  return undefined;
}

function within(spec: TrafficModel, at: number): number | undefined {
  return spec.stopMs !== undefined && at >= spec.stopMs ? undefined : at;
}
