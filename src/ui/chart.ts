/**
 * A small line-chart renderer for the Metrics view: braille dots (2 x 4 per cell) for the line, plain
 * ASCII for the axes and labels, so a chart reads the same in 16 colours, 256 colours and with NO_COLOR
 * (colour only tints it). No chart library fits Ink's line-by-line Text model and Node 20 without pulling
 * in a canvas, so this is the renderer, written once.
 *
 *      45s |      ⢀⡠⠔⠊⠉⠉⠑⠢⢄
 *          |   ⡠⠊         ⠈⠢⡀
 *       0  |⠤⠊             ⠈⠢⠤⠤
 *          00:00.0 ------------ 03:00.0
 */
import { formatClock, formatCount } from './format.js';

/**
 * What a chart draws: values per period from t=0 (undefined: nothing measured then), what they count,
 * and how they combine when several periods share one dot column.
 *
 * @example const input: ChartInput = { values: [0, 2, 5], periodMs: 100, unit: 'count', stat: 'sum' };
 */
export interface ChartInput {
  values: ReadonlyArray<number | undefined>;
  periodMs: number;
  unit: 'count' | 'ms' | 'percent';
  stat: 'sum' | 'max';
  /** A reference level drawn as a dotted line (a function's concurrency limit). */
  limit?: number;
  /** The time the x axis ends at (the cursor); default the end of the last period. */
  endMs?: number;
}

/**
 * A chart's lines and what it found: the peak and when, the latest value, the y scale's top, and how
 * much time one dot column covers.
 *
 * @example const c: ChartResult = drawChart(input, 40, 6); c.lines.length // 6
 */
export interface ChartResult {
  lines: string[];
  peak?: { value: number; atMs: number };
  last?: number;
  top: number;
  /** Simulated ms per dot column (counts are per this much time). */
  binMs: number;
}

/** Cells the y labels take, with the axis bar. */
export const Y_LABEL_CELLS = 7;

/**
 * A value as an axis label: counts compact, ms as seconds or minutes, percents with `%`.
 *
 * @example axisLabel(45_000, 'ms') // '45s'
 * @example axisLabel(0.5, 'count') // '0.5'
 */
export function axisLabel(value: number, unit: ChartInput['unit']): string {
  if (unit === 'percent') return `${Math.round(value)}%`;
  if (unit === 'ms') {
    if (value < 1000) return `${Math.round(value)}ms`;
    if (value < 60_000) return `${trim((value / 1000).toFixed(value < 10_000 ? 1 : 0))}s`;
    return `${trim((value / 60_000).toFixed(1))}m`;
  }
  return Number.isInteger(value) ? formatCount(value) : trim(value.toFixed(1));
}

function trim(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** A scale top at or above `max`: a round multiple (1, 1.5, 2, 3, 4, 5, 6, 8) of a power of ten. */
export function niceTop(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 1.5, 2, 3, 4, 5, 6, 8, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

const DOT = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];

/**
 * Draws `input` in `width` x `height` cells: `height - 1` plot rows with y labels (top, middle, 0) and an
 * x axis naming the first and last time. Values are binned into the plot's dot columns: several periods
 * per column add up (counts) or keep the largest (levels); fewer stretch into steps.
 *
 * @example drawChart({ values: [0, 1, 4, 2], periodMs: 1000, unit: 'count', stat: 'max' }, 30, 4).lines
 */
export function drawChart(input: ChartInput, width: number, height: number): ChartResult {
  const plotRows = Math.max(1, height - 1);
  const plotCells = Math.max(2, width - Y_LABEL_CELLS);
  const dotsX = plotCells * 2;
  const dotsY = plotRows * 4;
  const n = input.values.length;
  // Periods per dot column when there are more periods than columns; columns per period otherwise.
  const per = Math.max(1, Math.ceil(n / dotsX));
  const points: Array<number | undefined> = [];
  let peak: ChartResult['peak'];
  let last: number | undefined;
  for (let i = 0; i < n; i++) {
    const v = input.values[i];
    if (v === undefined) continue;
    last = v;
    if (!peak || v > peak.value) peak = { value: v, atMs: i * input.periodMs };
  }
  // Dot columns: `per` periods each when there are more periods than dots (counts add up, levels keep
  // the largest); otherwise every period spreads over several columns, drawn as steps.
  if (per > 1) {
    for (let from = 0; from < n; from += per) points.push(combine(input, from, Math.min(n, from + per)));
  } else if (n > 0) {
    for (let x = 0; x < dotsX; x++) points.push(input.values[Math.floor((x * n) / dotsX)]);
  }
  const binned = points.filter((v): v is number => v !== undefined);
  const max = Math.max(0, ...binned, input.limit ?? 0);
  const top = niceTop(max);
  const grid: number[][] = Array.from({ length: plotRows }, () => new Array<number>(plotCells).fill(0));
  const set = (x: number, y: number) => {
    if (x < 0 || x >= dotsX || y < 0 || y >= dotsY) return;
    const row = plotRows - 1 - Math.floor(y / 4);
    grid[row][Math.floor(x / 2)] |= DOT[3 - (y % 4)][x % 2];
  };
  const yOf = (v: number) => Math.max(0, Math.min(dotsY - 1, Math.round((v / top) * (dotsY - 1))));
  if (input.limit !== undefined && input.limit <= top) {
    const y = yOf(input.limit);
    for (let x = 0; x < dotsX; x += 4) set(x, y);
  }
  let prevY: number | undefined;
  for (let x = 0; x < points.length; x++) {
    const v = points[x];
    if (v === undefined) {
      prevY = undefined;
      continue;
    }
    const y = yOf(v);
    set(x, y);
    // The line climbs or falls to the next value in the column where it changes.
    if (prevY !== undefined) for (let yi = Math.min(prevY, y); yi <= Math.max(prevY, y); yi++) set(x, yi);
    prevY = y;
  }
  const label = (row: number): string => {
    if (row === 0) return axisLabel(top, input.unit);
    if (row === plotRows - 1) return '0';
    if (plotRows >= 5 && row === Math.floor((plotRows - 1) / 2)) return axisLabel(top * (1 - row / (plotRows - 1)), input.unit);
    return '';
  };
  const lines = grid.map((cells, row) => `${label(row).padStart(Y_LABEL_CELLS - 2)} |${cells.map((b) => (b === 0 ? ' ' : String.fromCharCode(0x2800 + b))).join('')}`);
  const endMs = input.endMs ?? n * input.periodMs;
  const left = formatClock(0);
  const right = formatClock(endMs);
  // The axis ends where the data does (a whole number of periods per dot column may leave room).
  const used = Math.min(plotCells, Math.max(left.length + right.length + 3, Math.ceil(points.length / 2)));
  const fill = Math.max(1, used - left.length - right.length - 2);
  lines.push(`${' '.repeat(Y_LABEL_CELLS - 1)}${left} ${'-'.repeat(fill)} ${right}`.slice(0, Math.max(0, width)));
  return { lines: lines.slice(0, height), peak, last, top, binMs: per * input.periodMs };
}

/** Periods `from`..`to` of a series as one value: their sum (counts) or their largest (levels). */
function combine(input: ChartInput, from: number, to: number): number | undefined {
  let acc: number | undefined;
  for (let i = from; i < to; i++) {
    const v = input.values[i];
    if (v === undefined) continue;
    acc = acc === undefined ? v : input.stat === 'sum' ? acc + v : Math.max(acc, v);
  }
  return acc;
}
