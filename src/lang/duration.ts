const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PATTERN = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/**
 * Converts a scenario Duration to whole milliseconds, or returns undefined when the value is not a duration.
 *
 * @example parseDuration('1.5s') // 1500
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = PATTERN.exec(value);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}

/**
 * Formats milliseconds for people: `850ms`, `12.5s`, `4m 10s`, `6h`.
 *
 * @example formatDuration(250_000) // '4m 10s'
 */
export function formatDuration(valueMs: number): string {
  if (valueMs < 1_000) return `${valueMs}ms`;
  if (valueMs < 60_000) return `${+(valueMs / 1_000).toFixed(1)}s`;
  if (valueMs < 3_600_000) {
    const m = Math.floor(valueMs / 60_000);
    const s = Math.round((valueMs % 60_000) / 1_000);
    return s ? `${m}m ${s}s` : `${m}m`;
  }
  if (valueMs < 86_400_000) {
    const h = Math.floor(valueMs / 3_600_000);
    const m = Math.round((valueMs % 3_600_000) / 60_000);
    return m ? `${h}h ${m}m` : `${h}h`;
  }
  const d = Math.floor(valueMs / 86_400_000);
  const h = Math.round((valueMs % 86_400_000) / 3_600_000);
  return h ? `${d}d ${h}h` : `${d}d`;
}
