/**
 * EventBridge schedule expressions: `rate(...)` and six-field `cron(...)`, evaluated in UTC.
 *
 * Source: EventBridge user guide, eb-scheduled-rule-pattern / eb-create-rule-schedule (docs/aws-rules.md
 * section 6). Schedules have one-minute precision, always use UTC (no daylight saving time), and nothing
 * fires faster than once a minute. AWS fires "within that minute, but not on the precise 0th second"; the
 * simulator fires on the 0th second so that runs are reproducible.
 *
 * The module is pure: no clock, no randomness. Times are epoch milliseconds (the simulation's time axis).
 */

/** A parsed `rate(N unit)` expression. */
export interface RateSchedule {
  kind: 'rate';
  /** The expression as written, trimmed. */
  expression: string;
  value: number;
  unit: 'minute' | 'hour' | 'day';
  /** value × unit, in milliseconds. */
  periodMs: number;
}

/** Day-of-month rule of a cron expression. */
export type DayOfMonthRule =
  | { kind: 'any' } // `?`
  | { kind: 'days'; days: readonly number[] } // values, ranges, `*`, steps
  | { kind: 'last' } // `L`
  | { kind: 'lastWeekday' } // `LW`
  | { kind: 'nearestWeekday'; day: number }; // `15W`

/** Day-of-week rule of a cron expression; weekdays use AWS numbering, 1 = SUN … 7 = SAT. */
export type DayOfWeekRule =
  | { kind: 'any' } // `?`
  | { kind: 'days'; days: readonly number[] } // values, ranges, `*`, `L` alone (= 7, Saturday)
  | { kind: 'lastOfMonth'; weekday: number } // `6L`: the last Friday of the month
  | { kind: 'nth'; weekday: number; nth: number }; // `3#2`: the second Tuesday

/** A parsed `cron(min hour day-of-month month day-of-week year)` expression, every list sorted. */
export interface CronSchedule {
  kind: 'cron';
  /** The expression as written, trimmed. */
  expression: string;
  minutes: readonly number[];
  hours: readonly number[];
  dayOfMonth: DayOfMonthRule;
  /** 1 = January. */
  months: readonly number[];
  dayOfWeek: DayOfWeekRule;
  years: readonly number[];
}

/** A parsed EventBridge schedule expression. */
export type Schedule = RateSchedule | CronSchedule;

const MINUTE_MS = 60_000;
const UNIT_MS = { minute: MINUTE_MS, hour: 3_600_000, day: 86_400_000 } as const;

/** AWS accepts years 1970-2199 only; a schedule has no fire after 2199. */
const YEAR_MIN = 1970;
const YEAR_MAX = 2199;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * Parses an EventBridge schedule expression, or explains precisely why AWS would refuse it.
 *
 * - `rate(N minute|minutes|hour|hours|day|days)`: N is a whole number ≥ 1; the unit is singular exactly
 *   when N is 1 (`rate(1 hours)` and `rate(5 hour)` are refused, as by AWS).
 * - `cron(min hour dom month dow year)`: six fields, UTC. `,` lists, `-` ranges (a range may wrap in the
 *   cyclic fields: hours `20-2` is 20…23 and 0…2, as in AWS's own example), `*` all, `/` increments
 *   (`0/15`, `10-40/10`, or a star followed by `/10`), `?` no value (day-of-month or day-of-week only; exactly one of the two
 *   must be `?`), `L` (last day of the month; in day-of-week alone Saturday, `6L` the last Friday),
 *   `W` (`15W` the weekday nearest the 15th, `LW` the last weekday), `#` (`3#2` the second Tuesday; alone in
 *   its field). Months 1-12 or JAN-DEC, weekdays 1-7 or SUN-SAT with **1 = Sunday**, years 1970-2199.
 *
 * @example parseSchedule('cron(0 18 ? * MON-FRI *)') // { kind: 'cron', hours: [18], ... }
 * @example parseSchedule('rate(5 hour)') // { error: 'rate(5 hour): use the plural unit "hours" when the value is not 1' }
 */
export function parseSchedule(expr: string): Schedule | { error: string } {
  const expression = expr.trim();
  const rate = /^rate\((.*)\)$/s.exec(expression);
  if (rate) return parseRate(expression, rate[1]);
  const cron = /^cron\((.*)\)$/s.exec(expression);
  if (cron) return parseCron(expression, cron[1]);
  return { error: `${JSON.stringify(expr)}: a schedule is rate(value unit) or cron(minutes hours day-of-month month day-of-week year)` };
}

function parseRate(expression: string, body: string): RateSchedule | { error: string } {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(body);
  if (!m) return { error: `${expression}: expected rate(value unit), e.g. rate(5 minutes)` };
  const [, valueText, unitText] = m;
  if (!/^\d+$/.test(valueText)) return { error: `${expression}: value ${JSON.stringify(valueText)} must be a whole number ≥ 1` };
  const value = Number(valueText);
  if (value < 1 || !Number.isSafeInteger(value)) return { error: `${expression}: value must be a whole number ≥ 1, got ${valueText}` };
  const unitMatch = /^(minute|hour|day)(s?)$/.exec(unitText);
  if (!unitMatch) return { error: `${expression}: unit must be minute(s), hour(s) or day(s), got ${JSON.stringify(unitText)}` };
  const unit = unitMatch[1] as RateSchedule['unit'];
  const plural = unitMatch[2] === 's';
  // AWS: "If the value is equal to 1, then the unit must be singular. If the value is greater than 1, the
  // unit must be plural."
  if (value === 1 && plural) return { error: `${expression}: use the singular unit "${unit}" when the value is 1` };
  if (value !== 1 && !plural) return { error: `${expression}: use the plural unit "${unit}s" when the value is not 1` };
  return { kind: 'rate', expression, value, unit, periodMs: value * UNIT_MS[unit] };
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Whether a range may wrap past max back to min (`20-2` in hours). */
  cyclic: boolean;
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59, cyclic: true },
  hours: { name: 'hours', min: 0, max: 23, cyclic: true },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31, cyclic: true },
  months: { name: 'month', min: 1, max: 12, names: MONTH_NAMES, cyclic: true },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES, cyclic: true },
  years: { name: 'year', min: YEAR_MIN, max: YEAR_MAX, cyclic: false },
} satisfies Record<string, FieldSpec>;

class CronError extends Error {}

function parseCron(expression: string, body: string): CronSchedule | { error: string } {
  const parts = body.trim().split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 6) {
    return {
      error: `${expression}: cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`,
    };
  }
  const [minText, hourText, domText, monthText, dowText, yearText] = parts;
  try {
    if (domText === '?' && dowText === '?') {
      throw new CronError('day-of-month and day-of-week cannot both be "?"; give one of them a value');
    }
    if (domText !== '?' && dowText !== '?') {
      // AWS: "You can't specify the Day-of-month and Day-of-week fields in the same cron expression."
      throw new CronError(
        `one of day-of-month (${JSON.stringify(domText)}) and day-of-week (${JSON.stringify(dowText)}) must be "?"`,
      );
    }
    return {
      kind: 'cron',
      expression,
      minutes: parseList(minText, FIELDS.minutes),
      hours: parseList(hourText, FIELDS.hours),
      dayOfMonth: parseDayOfMonth(domText),
      months: parseList(monthText, FIELDS.months),
      dayOfWeek: parseDayOfWeek(dowText),
      years: parseList(yearText, FIELDS.years),
    };
  } catch (e) {
    if (e instanceof CronError) return { error: `${expression}: ${e.message}` };
    throw e;
  }
}

function parseValue(text: string, field: FieldSpec): number {
  const upper = text.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  const value = named >= 0 ? named + field.min : /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(value)) {
    const allowed = field.names ? `${field.min}-${field.max} or ${field.names[0]}-${field.names[field.names.length - 1]}` : `${field.min}-${field.max}`;
    throw new CronError(`${field.name}: ${JSON.stringify(text)} is not a value (${allowed})`);
  }
  if (value < field.min || value > field.max) {
    throw new CronError(`${field.name}: ${value} is out of range ${field.min}-${field.max}`);
  }
  return value;
}

/** Parses `,`-separated items of values, ranges, `*` and `/` steps into a sorted list of values. */
function parseList(text: string, field: FieldSpec): number[] {
  if (text === '?') throw new CronError(`${field.name}: "?" is only allowed in day-of-month or day-of-week`);
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw new CronError(`${field.name}: empty item in ${JSON.stringify(text)}`);
    for (const v of parseItem(item, field)) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

function parseItem(item: string, field: FieldSpec): number[] {
  const slash = item.split('/');
  if (slash.length > 2) throw new CronError(`${field.name}: ${JSON.stringify(item)} has more than one "/"`);
  const [rangeText, stepText] = slash;
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
      throw new CronError(`${field.name}: increment in ${JSON.stringify(item)} must be a whole number ≥ 1`);
    }
    step = Number(stepText);
  }
  let start: number;
  let end: number;
  if (rangeText === '*') {
    start = field.min;
    end = field.max;
  } else if (rangeText.includes('-')) {
    const bounds = rangeText.split('-');
    if (bounds.length !== 2) throw new CronError(`${field.name}: ${JSON.stringify(item)} is not a range a-b`);
    start = parseValue(bounds[0], field);
    end = parseValue(bounds[1], field);
    if (start > end && !field.cyclic) {
      throw new CronError(`${field.name}: range ${JSON.stringify(rangeText)} runs backwards`);
    }
  } else {
    start = parseValue(rangeText, field);
    // `a/n` means from a to the end of the field, every n (AWS: minutes 1/10 = 1, 11, 21, ...).
    end = stepText === undefined ? start : field.max;
  }
  const out: number[] = [];
  const span = field.max - field.min + 1;
  // A wrapping range (22-2 in hours) walks through the end of the field and back to its start.
  const length = start <= end ? end - start : end - start + span;
  for (let offset = 0; offset <= length; offset += step) {
    out.push(((start - field.min + offset) % span) + field.min);
  }
  return out;
}

function parseDayOfMonth(text: string): DayOfMonthRule {
  const field = FIELDS.dayOfMonth;
  if (text === '?') return { kind: 'any' };
  const upper = text.toUpperCase();
  if (upper === 'L') return { kind: 'last' };
  if (upper === 'LW') return { kind: 'lastWeekday' };
  const w = /^(\d+)W$/i.exec(text);
  if (w) return { kind: 'nearestWeekday', day: parseValue(w[1], field) };
  if (/[LW]/i.test(text)) {
    throw new CronError(`${field.name}: ${JSON.stringify(text)}: "L", "LW" and "nW" stand alone in their field`);
  }
  if (text.includes('#')) throw new CronError(`${field.name}: "#" is only allowed in day-of-week`);
  return { kind: 'days', days: parseList(text, field) };
}

function parseDayOfWeek(text: string): DayOfWeekRule {
  const field = FIELDS.dayOfWeek;
  if (text === '?') return { kind: 'any' };
  if (text.toUpperCase() === 'L') return { kind: 'days', days: [7] };
  if (text.includes('/')) throw new CronError(`${field.name}: "/" is not allowed in day-of-week (AWS allows , - * ? L #)`);
  if (text.includes('#') && text.includes(',')) {
    // AWS: "If you use a '#' character, you can define only one expression in the day-of-week field."
    throw new CronError(`${field.name}: with "#" the field holds one expression only, got ${JSON.stringify(text)}`);
  }
  const hash = /^([^#]+)#(.+)$/.exec(text);
  if (hash) {
    const nth = /^[1-5]$/.test(hash[2]) ? Number(hash[2]) : NaN;
    if (Number.isNaN(nth)) throw new CronError(`${field.name}: in ${JSON.stringify(text)} the instance after "#" must be 1-5`);
    return { kind: 'nth', weekday: parseValue(hash[1], field), nth };
  }
  const last = /^(.+)L$/i.exec(text);
  if (last && !last[1].includes(',') && !last[1].includes('-')) {
    return { kind: 'lastOfMonth', weekday: parseValue(last[1], field) };
  }
  if (/L/i.test(text.replace(/SAT|SUN|MON|TUE|WED|THU|FRI/gi, ''))) {
    throw new CronError(`${field.name}: ${JSON.stringify(text)}: "L" stands alone or after one weekday (6L)`);
  }
  return { kind: 'days', days: parseList(text, field) };
}

// ---------------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------------

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** AWS weekday number (1 = Sunday) of a date. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function isWeekend(year: number, month: number, day: number): boolean {
  const wd = weekdayOf(year, month, day);
  return wd === 1 || wd === 7;
}

/** The weekday (Mon-Fri) nearest to `day`, never leaving the month (Quartz/AWS `W`). */
function nearestWeekday(year: number, month: number, day: number): number | undefined {
  const last = daysInMonth(year, month);
  // A day the month does not have (31W in April) has no nearest weekday in that month: no fire.
  if (day > last) return undefined;
  const wd = weekdayOf(year, month, day);
  if (wd === 7) return day === 1 ? day + 2 : day - 1; // Saturday: Friday before, or Monday after the 1st
  if (wd === 1) return day === last ? day - 2 : day + 1; // Sunday: Monday after, or Friday before month end
  return day;
}

/** The days of a month on which a cron schedule fires, sorted. */
function matchingDays(s: CronSchedule, year: number, month: number): number[] {
  const last = daysInMonth(year, month);
  const dom = s.dayOfMonth;
  switch (dom.kind) {
    case 'days':
      return dom.days.filter((d) => d <= last);
    case 'last':
      return [last];
    case 'lastWeekday': {
      let d = last;
      while (isWeekend(year, month, d)) d--;
      return [d];
    }
    case 'nearestWeekday': {
      const d = nearestWeekday(year, month, dom.day);
      return d === undefined ? [] : [d];
    }
    case 'any':
      break;
  }
  const dow = s.dayOfWeek;
  const firstWeekday = weekdayOf(year, month, 1);
  // Day of the month of the first occurrence of AWS weekday `wd`.
  const firstOf = (wd: number): number => 1 + ((wd - firstWeekday + 7) % 7);
  switch (dow.kind) {
    case 'days': {
      const out: number[] = [];
      for (const wd of dow.days) for (let d = firstOf(wd); d <= last; d += 7) out.push(d);
      return out.sort((a, b) => a - b);
    }
    case 'lastOfMonth': {
      let d = firstOf(dow.weekday);
      while (d + 7 <= last) d += 7;
      return [d];
    }
    case 'nth': {
      const d = firstOf(dow.weekday) + 7 * (dow.nth - 1);
      return d <= last ? [d] : [];
    }
    case 'any':
      // Unreachable for parsed schedules: exactly one of the two day fields is "?".
      return [];
  }
}

/**
 * The first time strictly after `afterEpochMs` at which the schedule fires, or undefined when it never
 * fires again (a cron year list that has ended, or nothing after 2199).
 *
 * - cron: whole UTC minutes; the search walks the candidate values of each field (year, month, day, hour,
 *   minute) rather than minute by minute, so even a once-in-years expression answers at once.
 * - rate: AWS starts a rate schedule when the rule is created and fires one period later, then every
 *   period: `originEpochMs + k × periodMs` for k ≥ 1 (the simulator passes its start time as the origin).
 *
 * @example nextFireAfter(parseSchedule('rate(5 minutes)') as Schedule, 0, 0) // 300_000
 * @example nextFireAfter(parseSchedule('cron(0 10 * * ? *)') as Schedule, Date.UTC(2024, 0, 1, 10)) // Date.UTC(2024, 0, 2, 10)
 */
export function nextFireAfter(schedule: Schedule, afterEpochMs: number, originEpochMs = 0): number | undefined {
  if (schedule.kind === 'rate') {
    const k = afterEpochMs < originEpochMs ? 1 : Math.floor((afterEpochMs - originEpochMs) / schedule.periodMs) + 1;
    return originEpochMs + Math.max(1, k) * schedule.periodMs;
  }
  return nextCron(schedule, afterEpochMs);
}

function nextCron(s: CronSchedule, afterEpochMs: number): number | undefined {
  const from = new Date((Math.floor(afterEpochMs / MINUTE_MS) + 1) * MINUTE_MS);
  const y0 = from.getUTCFullYear();
  const mo0 = from.getUTCMonth() + 1;
  const d0 = from.getUTCDate();
  const h0 = from.getUTCHours();
  const mi0 = from.getUTCMinutes();
  // Each loop starts at the current value of its field only while every outer field still equals the
  // starting time's; once an outer field has moved on, the inner fields start from their first value.
  for (const year of s.years) {
    if (year < y0) continue;
    const sameYear = year === y0;
    for (const month of s.months) {
      if (sameYear && month < mo0) continue;
      const sameMonth = sameYear && month === mo0;
      for (const day of matchingDays(s, year, month)) {
        if (sameMonth && day < d0) continue;
        const sameDay = sameMonth && day === d0;
        for (const hour of s.hours) {
          if (sameDay && hour < h0) continue;
          const sameHour = sameDay && hour === h0;
          for (const minute of s.minutes) {
            if (sameHour && minute < mi0) continue;
            return Date.UTC(year, month - 1, day, hour, minute);
          }
        }
      }
    }
  }
  return undefined;
}

/**
 * Whether the schedule fires at exactly this instant. For rate schedules the origin is as in
 * {@link nextFireAfter}. Useful to check a time against an expression without searching.
 *
 * @example firesAt(parseSchedule('cron(15 10 ? * 6L 2019-2022)') as Schedule, Date.UTC(2022, 6, 29, 10, 15)) // true
 */
export function firesAt(schedule: Schedule, epochMs: number, originEpochMs = 0): boolean {
  if (schedule.kind === 'rate') {
    const offset = epochMs - originEpochMs;
    return offset > 0 && offset % schedule.periodMs === 0;
  }
  if (epochMs % MINUTE_MS !== 0) return false;
  const t = new Date(epochMs);
  const year = t.getUTCFullYear();
  const month = t.getUTCMonth() + 1;
  return (
    schedule.years.includes(year) &&
    schedule.months.includes(month) &&
    matchingDays(schedule, year, month).includes(t.getUTCDate()) &&
    schedule.hours.includes(t.getUTCHours()) &&
    schedule.minutes.includes(t.getUTCMinutes())
  );
}
