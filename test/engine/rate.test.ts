import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneGraph } from '../../src/engine/checkpoint.js';
import { RequestRate } from '../../src/engine/lambda/rate.js';

/** The window as it was kept before the ring: every admission time, expired from the oldest. */
class Reference {
  private times: number[] = [];

  countAt(now: number): number {
    while (this.times.length > 0 && this.times[0] <= now - 1000) this.times.shift();
    return this.times.length;
  }

  admit(now: number): void {
    this.times.push(now);
  }
}

type Op = { admit: boolean; step: number; burst: number };

const ops = fc.array(
  fc.record({ admit: fc.boolean(), step: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 1500 })), burst: fc.integer({ min: 1, max: 30 }) }),
  { maxLength: 400 },
);

function play(list: Op[], rate: RequestRate, reference: Reference, from = 0): number {
  let now = from;
  for (const op of list) {
    now += op.step;
    if (op.admit) {
      for (let k = 0; k < op.burst; k++) {
        rate.admit(now);
        reference.admit(now);
      }
    } else expect(rate.countAt(now)).toBe(reference.countAt(now));
  }
  expect(rate.countAt(now)).toBe(reference.countAt(now));
  return now;
}

describe('the synchronous request-rate window', () => {
  it('counts the requests admitted in the last second as a list of every admission time does', () => {
    fc.assert(fc.property(ops, (list) => void play(list, new RequestRate(), new Reference())), { numRuns: 300 });
  });

  it('keeps counting the same after growing past its first capacity (many distinct times in one second)', () => {
    const rate = new RequestRate();
    const reference = new Reference();
    for (let t = 0; t < 5000; t += 3) {
      rate.admit(t);
      reference.admit(t);
      if (t % 7 === 0) rate.admit(t), reference.admit(t);
      expect(rate.countAt(t)).toBe(reference.countAt(t));
    }
  });

  it('goes on the same from a checkpoint copy (cloneGraph), and the copy is independent of the original', () => {
    fc.assert(
      fc.property(ops, ops, (before, after) => {
        const rate = new RequestRate();
        const reference = new Reference();
        const now = play(before, rate, reference);
        const copy = cloneGraph(rate);
        const copyReference = cloneGraph(reference);
        play(after, copy, copyReference, now);
        play(after, rate, reference, now);
      }),
      { numRuns: 100 },
    );
  });
});
