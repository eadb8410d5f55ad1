import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firesAt, nextFireAfter, parseSchedule, type Schedule } from '../../src/lang/schedule.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function schedule(expr: string): Schedule {
  const s = parseSchedule(expr);
  if ('error' in s) throw new Error(s.error);
  return s;
}

function errorOf(expr: string): string {
  const s = parseSchedule(expr);
  if (!('error' in s)) throw new Error(`expected ${expr} to be refused`);
  return s.error;
}

const utc = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 16));

/** The next `count` fire times after `from`, as ISO minutes. */
function fires(expr: string, from: number, count: number): Array<string | undefined> {
  const s = schedule(expr);
  const out: Array<string | undefined> = [];
  let t: number | undefined = from;
  for (let i = 0; i < count && t !== undefined; i++) {
    t = nextFireAfter(s, t);
    out.push(iso(t));
  }
  return out;
}

describe('rate(): a fixed period, counted from when the rule is created', () => {
  it('parses minute, hour and day units with the singular only for 1 (AWS examples)', () => {
    expect(schedule('rate(1 minute)')).toMatchObject({ kind: 'rate', value: 1, unit: 'minute', periodMs: MIN });
    expect(schedule('rate(5 minutes)')).toMatchObject({ value: 5, unit: 'minute', periodMs: 5 * MIN });
    expect(schedule('rate(1 hour)')).toMatchObject({ periodMs: HOUR });
    expect(schedule('rate(2 hours)')).toMatchObject({ periodMs: 2 * HOUR });
    expect(schedule('rate(1 day)')).toMatchObject({ periodMs: DAY });
    expect(schedule('rate(7 days)')).toMatchObject({ periodMs: 7 * DAY });
  });

  it('refuses rate(1 hours) and rate(5 hour), as AWS does', () => {
    expect(errorOf('rate(1 hours)')).toBe('rate(1 hours): use the singular unit "hour" when the value is 1');
    expect(errorOf('rate(5 hour)')).toBe('rate(5 hour): use the plural unit "hours" when the value is not 1');
  });

  it('refuses zero, negative, fractional and missing values and unknown units', () => {
    expect(errorOf('rate(0 minutes)')).toMatch(/whole number ≥ 1/);
    expect(errorOf('rate(-5 minutes)')).toMatch(/whole number ≥ 1/);
    expect(errorOf('rate(1.5 hours)')).toMatch(/whole number ≥ 1/);
    expect(errorOf('rate(minutes)')).toMatch(/expected rate\(value unit\)/);
    expect(errorOf('rate(5 seconds)')).toMatch(/unit must be minute\(s\), hour\(s\) or day\(s\)/);
    expect(errorOf('rate(5 Minutes)')).toMatch(/unit must be/);
  });

  it('first fires one period after the origin, then every period', () => {
    const s = schedule('rate(5 minutes)');
    expect(nextFireAfter(s, 0, 0)).toBe(5 * MIN);
    expect(nextFireAfter(s, 5 * MIN, 0)).toBe(10 * MIN);
    expect(nextFireAfter(s, 5 * MIN - 1, 0)).toBe(5 * MIN);
    expect(nextFireAfter(s, 12 * MIN + 345, 0)).toBe(15 * MIN);
  });

  it('counts from the origin, not from the epoch or the hour', () => {
    const origin = utc(2024, 6, 1, 9, 7);
    const s = schedule('rate(1 hour)');
    expect(nextFireAfter(s, origin, origin)).toBe(origin + HOUR);
    expect(nextFireAfter(s, origin - 10 * DAY, origin)).toBe(origin + HOUR);
    expect(nextFireAfter(s, origin + 3 * HOUR, origin)).toBe(origin + 4 * HOUR);
  });

  it('fires exactly at origin + k periods (firesAt)', () => {
    const s = schedule('rate(2 days)');
    expect(firesAt(s, 2 * DAY, 0)).toBe(true);
    expect(firesAt(s, 0, 0)).toBe(false);
    expect(firesAt(s, DAY, 0)).toBe(false);
    expect(firesAt(s, 4 * DAY + 1, 0)).toBe(false);
  });

  it('is strictly increasing and lands on the period grid (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom('minute', 'hour', 'day'),
        fc.integer({ min: 0, max: 10 * 365 * DAY }),
        fc.integer({ min: -30 * DAY, max: 30 * DAY }),
        (n, unit, origin, offset) => {
          const s = schedule(`rate(${n} ${n === 1 ? unit : `${unit}s`})`);
          const after = origin + offset;
          const next = nextFireAfter(s, after, origin)!;
          const period = (s as { periodMs: number }).periodMs;
          return next > after && next - period <= Math.max(after, origin) && firesAt(s, next, origin);
        },
      ),
    );
  });
});

describe('cron(): AWS documentation examples', () => {
  const friday = utc(2024, 3, 1, 12); // Friday 1 March 2024, noon UTC

  it('cron(0 10 * * ? *) runs at 10:00 UTC every day', () => {
    expect(fires('cron(0 10 * * ? *)', friday, 2)).toEqual(['2024-03-02T10:00', '2024-03-03T10:00']);
  });

  it('cron(15 12 * * ? *) runs at 12:15 UTC every day', () => {
    expect(fires('cron(15 12 * * ? *)', friday, 2)).toEqual(['2024-03-01T12:15', '2024-03-02T12:15']);
  });

  it('cron(0 18 ? * MON-FRI *) runs at 18:00 Monday to Friday', () => {
    expect(fires('cron(0 18 ? * MON-FRI *)', friday, 3)).toEqual(['2024-03-01T18:00', '2024-03-04T18:00', '2024-03-05T18:00']);
  });

  it('cron(0 8 1 * ? *) runs at 08:00 on the first of every month', () => {
    expect(fires('cron(0 8 1 * ? *)', friday, 2)).toEqual(['2024-04-01T08:00', '2024-05-01T08:00']);
  });

  it('cron(0/15 * * * ? *) runs every 15 minutes', () => {
    expect(fires('cron(0/15 * * * ? *)', utc(2024, 3, 1, 23, 40), 3)).toEqual(['2024-03-01T23:45', '2024-03-02T00:00', '2024-03-02T00:15']);
  });

  it('cron(0/10 * ? * MON-FRI *) runs every 10 minutes on weekdays only', () => {
    expect(fires('cron(0/10 * ? * MON-FRI *)', utc(2024, 3, 1, 23, 45), 2)).toEqual(['2024-03-01T23:50', '2024-03-04T00:00']);
  });

  it('cron(0/5 8-17 ? * MON-FRI *) runs every 5 minutes between 08:00 and 17:55 on weekdays', () => {
    expect(fires('cron(0/5 8-17 ? * MON-FRI *)', utc(2024, 3, 1, 17, 50), 3)).toEqual(['2024-03-01T17:55', '2024-03-04T08:00', '2024-03-04T08:05']);
  });

  it('cron(0/30 20-2 ? * MON-FRI *) wraps the hour range past midnight: 20:00 … 02:30', () => {
    const s = schedule('cron(0/30 20-2 ? * MON-FRI *)');
    expect(s).toMatchObject({ hours: [0, 1, 2, 20, 21, 22, 23], minutes: [0, 30] });
    expect(fires('cron(0/30 20-2 ? * MON-FRI *)', utc(2024, 3, 4, 2, 0), 2)).toEqual(['2024-03-04T02:30', '2024-03-04T20:00']);
  });

  it('cron(5,35 14 * * ? *) runs at 14:05 and 14:35', () => {
    expect(fires('cron(5,35 14 * * ? *)', friday, 3)).toEqual(['2024-03-01T14:05', '2024-03-01T14:35', '2024-03-02T14:05']);
  });

  it('cron(15 10 ? * 6L 2019-2022) runs on the last Friday of each month, and never after 2022', () => {
    expect(fires('cron(15 10 ? * 6L 2019-2022)', utc(2018, 6, 1), 2)).toEqual(['2019-01-25T10:15', '2019-02-22T10:15']);
    expect(fires('cron(15 10 ? * 6L 2019-2022)', utc(2022, 12, 1), 2)).toEqual(['2022-12-30T10:15', undefined]);
  });
});

describe('cron(): each special character', () => {
  const from = utc(2024, 6, 1); // Saturday 1 June 2024

  it('"," lists values, including month names', () => {
    expect(fires('cron(0 0 1 JAN,APR,JUL,OCT ? *)', from, 3)).toEqual(['2024-07-01T00:00', '2024-10-01T00:00', '2025-01-01T00:00']);
  });

  it('"-" gives inclusive ranges, also with names', () => {
    expect(schedule('cron(10-12 0 1 MAR-MAY ? *)')).toMatchObject({ minutes: [10, 11, 12], months: [3, 4, 5] });
  });

  it('"*" means every value', () => {
    expect(schedule('cron(* * * * ? *)')).toMatchObject({ minutes: Array.from({ length: 60 }, (_, i) => i), hours: Array.from({ length: 24 }, (_, i) => i) });
    expect(fires('cron(* * * * ? *)', from + 30_000, 2)).toEqual(['2024-06-01T00:01', '2024-06-01T00:02']);
  });

  it('"/" gives increments from a start: minutes 1/10 are 1, 11, 21, 31, 41, 51', () => {
    expect(schedule('cron(1/10 * * * ? *)')).toMatchObject({ minutes: [1, 11, 21, 31, 41, 51] });
    expect(schedule('cron(10-40/15 */6 * * ? *)')).toMatchObject({ minutes: [10, 25, 40], hours: [0, 6, 12, 18] });
    expect(schedule('cron(0 0 1/10 * ? *)')).toMatchObject({ dayOfMonth: { kind: 'days', days: [1, 11, 21, 31] } });
    expect(schedule('cron(0 0 1 * ? 2024/50)')).toMatchObject({ years: [2024, 2074, 2124, 2174] });
  });

  it('"?" in day-of-week lets any weekday match a day-of-month, and vice versa', () => {
    expect(fires('cron(0 12 7 * ? *)', from, 2)).toEqual(['2024-06-07T12:00', '2024-07-07T12:00']);
    expect(fires('cron(0 12 ? * TUE *)', from, 2)).toEqual(['2024-06-04T12:00', '2024-06-11T12:00']);
  });

  it('day-of-week numbers run 1 = SUN to 7 = SAT (AWS numbering, not Unix)', () => {
    expect(fires('cron(0 0 ? * 1 *)', from, 1)).toEqual(['2024-06-02T00:00']); // Sunday
    expect(fires('cron(0 0 ? * 7 *)', from, 1)).toEqual(['2024-06-08T00:00']); // Saturday (1 June itself is past 00:00)
    expect(fires('cron(0 0 ? * SUN *)', from, 1)).toEqual(fires('cron(0 0 ? * 1 *)', from, 1));
  });

  it('names are accepted in any case', () => {
    expect(schedule('cron(0 0 ? jan mon-fri *)')).toMatchObject({ months: [1], dayOfWeek: { kind: 'days', days: [2, 3, 4, 5, 6] } });
  });

  it('"L" in day-of-month is the last day of the month', () => {
    expect(fires('cron(0 0 L * ? *)', utc(2024, 1, 15), 4)).toEqual(['2024-01-31T00:00', '2024-02-29T00:00', '2024-03-31T00:00', '2024-04-30T00:00']);
  });

  it('"L" alone in day-of-week is the last day of the week, Saturday', () => {
    expect(fires('cron(0 0 ? * L *)', utc(2024, 6, 3), 2)).toEqual(['2024-06-08T00:00', '2024-06-15T00:00']);
  });

  it('"nL" in day-of-week is the last such weekday of the month (FRIL = 6L)', () => {
    expect(fires('cron(0 0 ? * FRIL *)', from, 2)).toEqual(['2024-06-28T00:00', '2024-07-26T00:00']);
    expect(fires('cron(0 0 ? * 2L *)', from, 1)).toEqual(['2024-06-24T00:00']);
  });

  it('"W" picks the weekday nearest the day, within the month', () => {
    // June 2024: the 1st and 15th are Saturdays, the 16th and 30th Sundays.
    expect(fires('cron(0 0 3W * ? *)', utc(2024, 6, 1), 1)).toEqual(['2024-06-03T00:00']); // Monday: already a weekday
    expect(fires('cron(0 0 15W 6 ? 2024)', utc(2024, 1, 1), 1)).toEqual(['2024-06-14T00:00']); // Saturday → Friday
    expect(fires('cron(0 0 16W 6 ? 2024)', utc(2024, 1, 1), 1)).toEqual(['2024-06-17T00:00']); // Sunday → Monday
    expect(fires('cron(0 0 1W 6 ? 2024)', utc(2024, 1, 1), 1)).toEqual(['2024-06-03T00:00']); // Saturday 1st → Monday 3rd
    expect(fires('cron(0 0 30W 6 ? 2024)', utc(2024, 1, 1), 1)).toEqual(['2024-06-28T00:00']); // Sunday 30th → Friday 28th
  });

  it('"nW" skips months that do not have day n', () => {
    expect(fires('cron(0 0 31W * ? *)', utc(2024, 6, 1), 1)).toEqual(['2024-07-31T00:00']);
  });

  it('"LW" is the last weekday of the month', () => {
    expect(fires('cron(0 0 LW * ? *)', from, 3)).toEqual(['2024-06-28T00:00', '2024-07-31T00:00', '2024-08-30T00:00']);
  });

  it('"#" is the nth such weekday of the month: 3#2 is the second Tuesday', () => {
    expect(fires('cron(0 9 ? * 3#2 *)', from, 2)).toEqual(['2024-06-11T09:00', '2024-07-09T09:00']);
  });

  it('"#5" skips months without a fifth such weekday', () => {
    expect(fires('cron(0 0 ? * FRI#5 *)', utc(2024, 4, 1), 3)).toEqual(['2024-05-31T00:00', '2024-08-30T00:00', '2024-11-29T00:00']);
  });
});

describe('cron(): refuses what AWS refuses, saying why', () => {
  it.each([
    ['cron(0 10 * * ?)', /needs 6 fields .* got 5/],
    ['cron(0 10 * * ? * *)', /got 7/],
    ['cron(0 10 * * * *)', /one of day-of-month \("\*"\) and day-of-week \("\*"\) must be "\?"/],
    ['cron(0 10 1 * MON *)', /must be "\?"/],
    ['cron(0 10 ? * ? *)', /cannot both be "\?"/],
    ['cron(60 10 * * ? *)', /minutes: 60 is out of range 0-59/],
    ['cron(0 24 * * ? *)', /hours: 24 is out of range 0-23/],
    ['cron(0 0 32 * ? *)', /day-of-month: 32 is out of range 1-31/],
    ['cron(0 0 0 * ? *)', /day-of-month: 0 is out of range 1-31/],
    ['cron(0 0 1 13 ? *)', /month: 13 is out of range 1-12/],
    ['cron(0 0 ? * 0 *)', /day-of-week: 0 is out of range 1-7/],
    ['cron(0 0 ? * 8 *)', /day-of-week: 8 is out of range 1-7/],
    ['cron(0 0 1 * ? 1969)', /year: 1969 is out of range 1970-2199/],
    ['cron(0 0 1 * ? 2200)', /year: 2200 is out of range/],
    ['cron(0 0 1 * ? 2030-2020)', /year: range "2030-2020" runs backwards/],
    ['cron(0 0 1 FOO ? *)', /month: "FOO" is not a value \(1-12 or JAN-DEC\)/],
    ['cron(0 0 ? * FUN *)', /day-of-week: "FUN" is not a value \(1-7 or SUN-SAT\)/],
    ['cron(? 0 1 * ? *)', /minutes: "\?" is only allowed in day-of-month or day-of-week/],
    ['cron(0/0 * * * ? *)', /increment .* must be a whole number ≥ 1/],
    ['cron(0,,5 * * * ? *)', /empty item/],
    ['cron(0 0 ? * 3#1,6#3 *)', /with "#" the field holds one expression only/],
    ['cron(0 0 ? * 3#6 *)', /instance after "#" must be 1-5/],
    ['cron(0 0 ? * */2 *)', /"\/" is not allowed in day-of-week/],
    ['cron(0 0 1# * ? *)', /"#" is only allowed in day-of-week/],
    ['cron(0 0 L,15 * ? *)', /"L", "LW" and "nW" stand alone/],
    ['cron(0 0 ? * 2-3L *)', /"L" stands alone or after one weekday/],
    ['every day at 10', /a schedule is rate\(value unit\) or cron/],
  ])('%s', (expr, message) => {
    expect(errorOf(expr)).toMatch(message);
  });

  it('starts each error with the expression, so a scenario error can quote it', () => {
    expect(errorOf('cron(60 10 * * ? *)')).toBe('cron(60 10 * * ? *): minutes: 60 is out of range 0-59');
  });
});

describe('cron(): calendars, UTC only', () => {
  it('29 February fires only in leap years, and 2100 is not one', () => {
    expect(fires('cron(0 0 29 2 ? *)', utc(2023, 3, 1), 2)).toEqual(['2024-02-29T00:00', '2028-02-29T00:00']);
    expect(fires('cron(0 0 29 2 ? *)', utc(2097, 3, 1), 1)).toEqual(['2104-02-29T00:00']);
  });

  it('"L" is 29 February in a leap year and 28 February otherwise', () => {
    expect(fires('cron(0 0 L 2 ? *)', utc(2023, 1, 1), 3)).toEqual(['2023-02-28T00:00', '2024-02-29T00:00', '2025-02-28T00:00']);
  });

  it('day 31 skips 30-day months and February', () => {
    expect(fires('cron(0 0 31 * ? *)', utc(2024, 1, 31, 1), 3)).toEqual(['2024-03-31T00:00', '2024-05-31T00:00', '2024-07-31T00:00']);
  });

  it('crosses month and year ends', () => {
    expect(fires('cron(59 23 L * ? *)', utc(2024, 12, 31, 23, 58), 2)).toEqual(['2024-12-31T23:59', '2025-01-31T23:59']);
    expect(fires('cron(0 0 1 1 ? *)', utc(2024, 12, 31, 23, 59), 1)).toEqual(['2025-01-01T00:00']);
  });

  it('ignores daylight saving time: 09:00 UTC stays 24 hours apart across US and EU clock changes', () => {
    const s = schedule('cron(0 9 * * ? *)');
    for (const [y, m, d] of [
      [2024, 3, 9], // US springs forward on 10 March 2024
      [2024, 3, 30], // EU springs forward on 31 March 2024
      [2024, 10, 26], // EU falls back on 27 October 2024
      [2024, 11, 2], // US falls back on 3 November 2024
    ]) {
      const first = nextFireAfter(s, utc(y, m, d))!;
      expect(iso(first)).toBe(iso(utc(y, m, d, 9)));
      expect(nextFireAfter(s, first)! - first).toBe(DAY);
    }
  });

  it('returns undefined when the year list has ended, and after 2199', () => {
    expect(nextFireAfter(schedule('cron(0 0 1 1 ? 2020)'), utc(2020, 1, 1))).toBeUndefined();
    expect(nextFireAfter(schedule('cron(0 0 1 1 ? *)'), utc(2199, 1, 1))).toBeUndefined();
    expect(nextFireAfter(schedule('cron(0 0 31 2 ? *)'), 0)).toBeUndefined();
  });
});

describe('nextFireAfter(cron): strictly after, on whole minutes', () => {
  it('skips a fire time it is given exactly', () => {
    const s = schedule('cron(0 10 * * ? *)');
    expect(nextFireAfter(s, utc(2024, 1, 1, 10))).toBe(utc(2024, 1, 2, 10));
    expect(nextFireAfter(s, utc(2024, 1, 1, 10) - 1)).toBe(utc(2024, 1, 1, 10));
  });

  it('moves a time inside a minute to the next whole minute', () => {
    const s = schedule('cron(* * * * ? *)');
    expect(nextFireAfter(s, utc(2024, 1, 1, 10) + 59_999)).toBe(utc(2024, 1, 1, 10, 1));
    expect(nextFireAfter(s, utc(2024, 1, 1, 10) + 1)).toBe(utc(2024, 1, 1, 10, 1));
  });

  it('answers at once for schedules that fire rarely or never, without walking minutes', () => {
    const started = performance.now();
    expect(nextFireAfter(schedule('cron(0 0 29 2 ? *)'), utc(2100, 3, 1))).toBe(utc(2104, 2, 29));
    expect(nextFireAfter(schedule('cron(0 0 31 2,4,6,9,11 ? *)'), 0)).toBeUndefined();
    expect(nextFireAfter(schedule('cron(0 0 ? 2 FRI#5 *)'), 0)).toBe(utc(1980, 2, 29)); // a February with five Fridays
    let t: number | undefined = 0;
    const every = schedule('cron(0/7 */3 ? * MON,WED,FRI *)');
    for (let i = 0; i < 5_000 && t !== undefined; i++) t = nextFireAfter(every, t);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('firesAt agrees with the documented examples', () => {
    const s = schedule('cron(15 10 ? * 6L 2019-2022)');
    expect(firesAt(s, utc(2022, 7, 29, 10, 15))).toBe(true); // last Friday of July 2022
    expect(firesAt(s, utc(2022, 7, 22, 10, 15))).toBe(false);
    expect(firesAt(s, utc(2022, 7, 29, 10, 15) + 1)).toBe(false);
    expect(firesAt(s, utc(2023, 7, 28, 10, 15))).toBe(false);
  });
});

/**
 * An independent, deliberately naive reading of simple cron expressions (lists, ranges, `*`, steps; no
 * L, W or #), used to check nextFireAfter by brute force over days.
 */
function naiveNext(parts: { minutes: number[]; hours: number[]; dom: number[] | '?'; months: number[]; dow: number[] | '?' }, after: number, days: number): number | undefined {
  const start = Math.floor(after / DAY) * DAY;
  for (let day = 0; day <= days; day++) {
    const t = new Date(start + day * DAY);
    const okDay =
      parts.months.includes(t.getUTCMonth() + 1) &&
      (parts.dom === '?' || parts.dom.includes(t.getUTCDate())) &&
      (parts.dow === '?' || parts.dow.includes(t.getUTCDay() + 1));
    if (!okDay) continue;
    for (let m = 0; m < 1440; m++) {
      const at = t.getTime() + m * MIN;
      if (at > after && parts.hours.includes(Math.floor(m / 60)) && parts.minutes.includes(m % 60)) return at;
    }
  }
  return undefined;
}

describe('nextFireAfter(cron) properties', () => {
  const subset = (min: number, max: number) =>
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 }).map((a) => a.sort((x, y) => x - y));
  const simpleCron = fc.record({
    minutes: subset(0, 59),
    hours: subset(0, 23),
    days: fc.oneof(fc.record({ dom: subset(1, 28), dow: fc.constant('?' as const) }), fc.record({ dom: fc.constant('?' as const), dow: subset(1, 7) })),
    months: subset(1, 12),
  });
  const instant = fc.integer({ min: utc(1990, 1, 1), max: utc(2150, 1, 1) });

  it('agrees with a naive day-by-day scan for simple expressions', () => {
    fc.assert(
      fc.property(simpleCron, instant, (c, after) => {
        const dom = c.days.dom === '?' ? '?' : c.days.dom.join(',');
        const dow = c.days.dow === '?' ? '?' : c.days.dow.join(',');
        const s = schedule(`cron(${c.minutes.join(',')} ${c.hours.join(',')} ${dom} ${c.months.join(',')} ${dow} *)`);
        const expected = naiveNext({ minutes: c.minutes, hours: c.hours, dom: c.days.dom, months: c.months, dow: c.days.dow }, after, 370);
        return nextFireAfter(s, after) === expected;
      }),
      { numRuns: 200 },
    );
  });

  const anyCron = fc
    .record({
      minute: fc.constantFrom('0', '*/15', '5,35', '10-20', '0/7', '59'),
      hour: fc.constantFrom('*', '0', '8-17', '20-2', '*/6', '23'),
      days: fc.constantFrom(
        ['*', '?'],
        ['1', '?'],
        ['L', '?'],
        ['LW', '?'],
        ['15W', '?'],
        ['1W', '?'],
        ['31', '?'],
        ['1-7', '?'],
        ['?', 'MON-FRI'],
        ['?', '6L'],
        ['?', 'L'],
        ['?', '3#2'],
        ['?', 'FRI#5'],
        ['?', '1,7'],
      ),
      month: fc.constantFrom('*', '2', 'JAN,JUL', '3-5', '*/4'),
      year: fc.constantFrom('*', '2020-2030', '2024', '2099,2100,2104'),
    })
    .map((c) => `cron(${c.minute} ${c.hour} ${c.days[0]} ${c.month} ${c.days[1]} ${c.year})`);

  it('returns times strictly after the start, on whole minutes, that the expression fires at, increasing', () => {
    fc.assert(
      fc.property(anyCron, instant, (expr, after) => {
        const s = schedule(expr);
        let t: number = after;
        for (let i = 0; i < 20; i++) {
          const next = nextFireAfter(s, t);
          if (next === undefined) return true;
          if (!(next > t) || next % MIN !== 0 || !firesAt(s, next)) return false;
          t = next;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('skips no fire time: no minute between the start and the answer fires (checked over up to two days)', () => {
    fc.assert(
      fc.property(anyCron, instant, (expr, after) => {
        const s = schedule(expr);
        const next = nextFireAfter(s, after);
        const limit = Math.min(next ?? Infinity, after + 2 * DAY);
        for (let m = (Math.floor(after / MIN) + 1) * MIN; m < limit; m += MIN) if (firesAt(s, m)) return false;
        return true;
      }),
      { numRuns: 100 },
    );
  });
});
