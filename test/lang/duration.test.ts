import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/lang/duration.js';

describe('parseDuration', () => {
  it('reads one number and unit, as before', () => {
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration(' 7d ')).toBe(604_800_000);
    expect(parseDuration(-1)).toBe(-1);
    expect(parseDuration('-2s')).toBe(-2000);
  });

  it('reads compound durations as the dashboard and summary print them, largest unit first', () => {
    expect(parseDuration('1m 30s')).toBe(90_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1h 5m')).toBe(3_900_000);
    expect(parseDuration('2d 3h 4m 5s 6ms')).toBe(2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000 + 5_000 + 6);
    expect(parseDuration('-1m 30s')).toBe(-90_000);
  });

  it('refuses units out of order, repeated, fractional parts in a compound, and junk', () => {
    for (const bad of ['30s 1m', '1m 1m', '1.5m 10s', '1m 30', 'm', '', '1 m 30 x', '1m -30s', '1m,30s', `${'1m '.repeat(40)}`]) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });

  it('reads back what formatDuration writes, within the rounding of its smaller unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 86_400_000 }), (ms) => {
        const text = formatDuration(ms);
        const back = parseDuration(text);
        expect(back, text).toBeDefined();
        // formatDuration keeps two units: the error is at most half the smaller one (1 h at day scale).
        const unit = ms < 60_000 ? 100 : ms < 3_600_000 ? 1_000 : ms < 86_400_000 ? 60_000 : 3_600_000;
        expect(Math.abs(back! - ms), `${ms} -> ${text} -> ${back}`).toBeLessThanOrEqual(unit / 2 + 0.5);
      }),
      { numRuns: 2_000 },
    );
  });
});
