const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PATTERN = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;
/** A compound duration as formatDuration writes it ('4m 10s', '1h5m'): whole parts, largest unit first. */
const COMPOUND = /^\s*(-?)((?:\d+\s*(?:ms|s|m|h|d)\s*){2,5})$/;
const PART = /(\d+)\s*(ms|s|m|h|d)/g;
const ORDER = ['d', 'h', 'm', 's', 'ms'] as const;

/**
 * Converts a scenario Duration to whole milliseconds, or returns undefined when the value is not a duration.
 * A string is one number and unit ('1.5s', '250ms') or whole parts from the largest unit down, as the
 * dashboard and summary print them ('1m 30s', '1h5m'); each unit at most once.
 *
 * @example parseDuration('1.5s') // 1500
 * @example parseDuration('1m 30s') // 90000
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value) : undefined;
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const m = PATTERN.exec(value);
  if (m) return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
  const c = COMPOUND.exec(value);
  if (!c) return undefined;
  let total = 0;
  let last = -1;
  for (const [, n, unit] of c[2].matchAll(PART)) {
    const rank = ORDER.indexOf(unit as (typeof ORDER)[number]);
    if (rank <= last) return undefined;
    last = rank;
    total += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return c[1] === '-' ? -total : total;
}

/**
 * Formats milliseconds for people: `850ms`, `12.5s`, `4m 10s`, `6h`. The one duration format of the
 * summary, the dashboard and the messages: at most two units, the smaller one rounded, and a rounding
 * that reaches the next unit carries into it (119.6 s is `2m`, never `1m 60s`).
 *
 * @example formatDuration(250_000) // '4m 10s'
 * @example formatDuration(119_600) // '2m'
 */
export function formatDuration(valueMs: number): string {
  const ms = Math.round(valueMs);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 60_000) {
    const tenths = Math.round(ms / 100);
    if (tenths < 600) return `${tenths / 10}s`;
  }
  const tiers: Array<[big: number, bigUnit: string, small: number, smallUnit: string]> = [
    [60_000, 'm', 1_000, 's'],
    [3_600_000, 'h', 60_000, 'm'],
    [86_400_000, 'd', 3_600_000, 'h'],
  ];
  for (let i = 0; i < tiers.length; i++) {
    const [big, bigUnit, small, smallUnit] = tiers[i];
    const next = tiers[i + 1]?.[0] ?? Infinity;
    const rounded = Math.round(ms / small) * small;
    if (rounded >= next) continue;
    const b = Math.floor(rounded / big);
    const s = Math.round((rounded - b * big) / small);
    return s ? `${b}${bigUnit} ${s}${smallUnit}` : `${b}${bigUnit}`;
  }
  return `${Math.round(ms / 86_400_000)}d`;
}
