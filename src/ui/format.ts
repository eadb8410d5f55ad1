/**
 * Formatting shared by the dashboard's panes and its log: simulated clocks, durations, counts and bars.
 * Pure string functions; nothing here knows about the simulation.
 */
import { formatDuration as formatDurationOnce } from '../lang/duration.js';

/**
 * A simulated time as the dashboard's clock shows it: minutes, seconds and tenths (`mm:ss.d`), with
 * hours in front once a run passes one hour.
 *
 * @example formatClock(42_130) // '00:42.1'
 * @example formatClock(3_723_400) // '1:02:03.4'
 */
export function formatClock(ms: number): string {
  const tenths = Math.floor(ms / 100);
  const d = tenths % 10;
  const totalSeconds = Math.floor(tenths / 10);
  const s = totalSeconds % 60;
  const totalMinutes = Math.floor(totalSeconds / 60);
  const m = totalMinutes % 60;
  const h = Math.floor(totalMinutes / 60);
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${d}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/**
 * A duration, as everywhere in lambda-tui (the summary uses the same function): `250ms`, `31.4s`,
 * `1m 30s`, `2h 5m`.
 *
 * @example formatDuration(90_000) // '1m 30s'
 */
export const formatDuration: (ms: number) => string = formatDurationOnce;

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/**
 * A speed multiplier as the header shows it.
 *
 * @example formatSpeed(10) // 'x10'
 * @example formatSpeed(0.5) // 'x0.5'
 */
export function formatSpeed(speed: number): string {
  return `x${speed}`;
}

/**
 * A count, compact above ten thousand so that columns keep their width.
 *
 * @example formatCount(1234) // '1234'
 * @example formatCount(123_456) // '123k'
 */
export function formatCount(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 1_000_000) return `${Math.floor(n / 1000)}k`;
  return `${trimZero((n / 1_000_000).toFixed(1))}M`;
}

const SPARK = ' ._-=+*#';

/**
 * A sparkline of `values` scaled to `max` (or their own maximum), one ASCII glyph per value, right-aligned
 * in `width` cells; the glyphs rise from blank (zero) to `#` (the maximum).
 *
 * @example sparkline([0, 1, 2, 4], 4, 4) // ' .-#' (roughly)
 */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  if (width <= 0) return '';
  const tail = values.slice(-width);
  const top = Math.max(max ?? 0, ...tail, 1);
  const glyphs = tail.map((v) => (v <= 0 ? SPARK[0] : SPARK[Math.max(1, Math.min(SPARK.length - 1, Math.ceil((v / top) * (SPARK.length - 1))))]));
  return glyphs.join('').padStart(width, ' ');
}

/**
 * A position bar: `#` up to `done`, `|` at the boundary, `.` up to `total`, in `width` cells including the
 * brackets. Streams use it for checkpoint against the shard's tip.
 *
 * @example positionBar(8, 10, 12) // '[#######|..]'
 */
export function positionBar(done: number, total: number, width: number): string {
  const inner = Math.max(1, width - 2);
  if (total <= 0) return `[${'.'.repeat(inner)}]`;
  const filled = Math.max(0, Math.min(inner - 1, Math.round((done / total) * inner) - 1));
  const rest = inner - filled - 1;
  return `[${'#'.repeat(filled)}|${'.'.repeat(Math.max(0, rest))}]`;
}

/**
 * A usage bar of `used` against `limit` in `width` cells including the brackets.
 *
 * @example usageBar(3, 6, 8) // '[###...]'
 */
export function usageBar(used: number, limit: number, width: number): string {
  const inner = Math.max(1, width - 2);
  const filled = limit <= 0 ? 0 : Math.min(inner, Math.ceil((used / limit) * inner));
  return `[${'#'.repeat(filled)}${'.'.repeat(inner - filled)}]`;
}

/**
 * Cuts `text` to `width` cells, marking the cut with `~`; pads with spaces when `pad` is set.
 *
 * @example fit('orders-failed', 8) // 'orders-~'
 */
export function fit(text: string, width: number, pad = false): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? text.slice(0, 1) : text.slice(0, width - 1) + '~';
  return pad ? text.padEnd(width, ' ') : text;
}

/**
 * The last `n` characters of a long id, prefixed with `...`, as the dashboard shows sequence numbers.
 *
 * @example shortId('49590338271490256608559692538361571095921575989136588898', 4) // '...8898'
 */
export function shortId(id: string, n = 4): string {
  return id.length > n + 3 ? `...${id.slice(-n)}` : id;
}

/**
 * A shard id as the panes show it: `shard-` and the shard's index. Kinesis ids carry the index
 * (`shardId-000000000003` is `shard-3`); DynamoDB Streams ids do not (`shardId-00000001704067200000-60e583cb`),
 * so pass the index when it is known (the stream view has it: see shardLabelIn). Other ids pass through.
 *
 * @example shardLabel('shardId-000000000003') // 'shard-3'
 * @example shardLabel('shardId-00000001704067200000-60e583cb', 0) // 'shard-0'
 */
export function shardLabel(shardId: string, index?: number): string {
  if (index !== undefined) return `shard-${index}`;
  const m = /^shardId-(\d+)$/.exec(shardId);
  return m ? `shard-${Number(m[1])}` : shardId;
}
