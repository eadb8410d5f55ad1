/**
 * The timeline strip: the whole run on one line, with a glyph where notable events happened and a
 * marker at the cursor, so a person sees where the interesting moments are and jumps there (] [ :).
 * Glyphs, not only colour: `x` failure, `b` bisect, `r` retry, `t` throttle, `R` redrive to a DLQ,
 * `d` delivery to a destination, `e` expired, `f` fault injected, `.` nothing; `|` the cursor.
 */
import { Text } from 'ink';
import type { NotableEvent, NotableKind } from './controller.js';
import { fit, formatClock } from './format.js';

/**
 * Each kind's glyph and, where it matters most first, its weight: a cell shows its heaviest event.
 *
 * @example TIMELINE_GLYPHS.failure.glyph // 'x'
 */
export const TIMELINE_GLYPHS: Readonly<Record<NotableKind, { glyph: string; weight: number; meaning: string }>> = {
  failure: { glyph: 'x', weight: 7, meaning: 'an invocation failed or timed out' },
  bisect: { glyph: 'b', weight: 8, meaning: 'a failed batch was split in two (bisect)' },
  redrive: { glyph: 'R', weight: 6, meaning: 'a message went to its dead-letter queue' },
  delivery: { glyph: 'd', weight: 5, meaning: 'a record or event went to a destination' },
  expired: { glyph: 'e', weight: 4, meaning: 'a record or event expired' },
  retry: { glyph: 'r', weight: 3, meaning: 'an asynchronous retry was scheduled' },
  throttle: { glyph: 't', weight: 2, meaning: 'an invocation was throttled' },
  fault: { glyph: 'f', weight: 9, meaning: 'a fault was injected' },
};

/**
 * The strip's cells: one glyph per cell over ticks 0..`endTick`, the cursor's cell `|`.
 *
 * @example timelineCells([{ tick: 50, t: 5000, kind: 'failure', text: '' }], 0, 100, 10) // '|....x....'
 */
export function timelineCells(events: readonly NotableEvent[], cursorTick: number, endTick: number, width: number): string {
  if (width <= 0) return '';
  const span = Math.max(1, endTick + 1) / width;
  const cells: Array<{ glyph: string; weight: number }> = Array.from({ length: width }, () => ({ glyph: '.', weight: 0 }));
  for (const e of events) {
    const i = Math.min(width - 1, Math.floor(e.tick / span));
    const g = TIMELINE_GLYPHS[e.kind];
    if (g.weight > cells[i].weight) cells[i] = g;
  }
  const at = Math.min(width - 1, Math.max(0, Math.floor(cursorTick / span)));
  cells[at] = { glyph: '|', weight: 99 };
  return cells.map((c) => c.glyph).join('');
}

/**
 * Props of the Timeline.
 *
 * @example <Timeline events={controller.notable} cursorTick={420} endTick={1800} tickMs={100} width={100} />
 */
export interface TimelineProps {
  events: readonly NotableEvent[];
  cursorTick: number;
  /** The last tick the strip spans: the scenario's duration, or the newest tick past it. */
  endTick: number;
  tickMs: number;
  width: number;
}

/** Where the strip's cells start and how many there are, at a width. */
function cellSpan(endTick: number, tickMs: number, width: number): { first: number; count: number } {
  const left = ' 0:00 ';
  const right = ` ${formatClock(endTick * tickMs)} `;
  return { first: left.length + 1, count: Math.max(0, width - left.length - right.length - 2) };
}

/**
 * The tick a click on column `x` (0-based) of the strip stands for: the first tick of that cell, or
 * undefined outside the cells (the clocks, the brackets).
 *
 * @example timelineTickAt(7, 1800, 100, 100) // 0: the first cell
 */
export function timelineTickAt(x: number, endTick: number, tickMs: number, width: number): number | undefined {
  const { first, count } = cellSpan(endTick, tickMs, width);
  const i = x - first;
  if (count <= 0 || i < 0 || i >= count) return undefined;
  return Math.min(endTick, Math.ceil((i * Math.max(1, endTick + 1)) / count));
}

/** The timeline strip. */
export function Timeline({ events, cursorTick, endTick, tickMs, width }: TimelineProps) {
  const left = ' 0:00 ';
  const right = ` ${formatClock(endTick * tickMs)} `;
  const cells = timelineCells(events, cursorTick, endTick, cellSpan(endTick, tickMs, width).count);
  const at = cells.indexOf('|');
  return (
    <Text wrap="truncate">
      <Text color="gray">{left}[</Text>
      <Text color="red">{cells.slice(0, at)}</Text>
      <Text color="cyan" bold>
        {at >= 0 ? '|' : ''}
      </Text>
      <Text color="red">{at >= 0 ? cells.slice(at + 1) : ''}</Text>
      <Text color="gray">{`]${right.trimEnd()}`}</Text>
    </Text>
  );
}
