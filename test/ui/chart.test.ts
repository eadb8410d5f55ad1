import { describe, expect, it } from 'vitest';
import { axisLabel, drawChart, niceTop, Y_LABEL_CELLS } from '../../src/ui/chart.js';

/** The dots of one plot row, as the x positions (in dot columns) that are set. */
function dotsIn(line: string): number[] {
  const xs: number[] = [];
  [...line.slice(Y_LABEL_CELLS)].forEach((ch, cell) => {
    const bits = ch.charCodeAt(0) - 0x2800;
    if (bits <= 0 || bits > 0xff) return;
    if (bits & (0x01 | 0x02 | 0x04 | 0x40)) xs.push(cell * 2);
    if (bits & (0x08 | 0x10 | 0x20 | 0x80)) xs.push(cell * 2 + 1);
  });
  return xs;
}

describe('drawChart: braille line charts with axes', () => {
  it('fills exactly width x height cells, labels the y axis with the scale top and 0, the x axis with the times', () => {
    const { lines, top } = drawChart({ values: [0, 10, 20, 30, 20, 10, 0], periodMs: 1000, unit: 'ms', stat: 'max', endMs: 7000 }, 40, 6);
    expect(lines).toHaveLength(6);
    for (const line of lines.slice(0, 5)) expect([...line]).toHaveLength(40);
    expect(top).toBe(30);
    expect(lines[0]).toMatch(/^ +30ms \|/);
    expect(lines[4]).toMatch(/^ +0 \|/);
    expect(lines[5]).toMatch(/00:00\.0 -+ 00:07\.0/);
  });

  it('puts the peak in the top row, at the column of its period, and reports when it was', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i === 12 ? 50 : 1));
    const chart = drawChart({ values, periodMs: 500, unit: 'count', stat: 'max' }, 27, 5);
    expect(chart.peak).toEqual({ value: 50, atMs: 6000 });
    // 20 periods over 40 dot columns: period 12 covers columns 24 and 25; the line falls in column 26.
    expect(dotsIn(chart.lines[0])).toEqual([24, 25, 26]);
  });

  it('adds counts up when several periods share a dot column, and says how long a column is', () => {
    const values = Array.from({ length: 400 }, () => 1);
    const chart = drawChart({ values, periodMs: 100, unit: 'count', stat: 'sum' }, 57, 4);
    // 100 dot columns for 400 periods: 4 periods (400 ms) per column, each adding up to 4.
    expect(chart.binMs).toBe(400);
    expect(chart.top).toBe(4);
    expect(dotsIn(chart.lines[0]).length).toBe(100);
  });

  it('draws a reference level (a concurrency limit) as a dotted line, and leaves gaps where nothing was measured', () => {
    const chart = drawChart({ values: [1, undefined, undefined, 1], periodMs: 1000, unit: 'count', stat: 'max', limit: 10 }, 27, 5);
    expect(chart.top).toBe(10);
    expect(dotsIn(chart.lines[0]).every((x) => x % 4 === 0)).toBe(true);
    expect(dotsIn(chart.lines[3])).not.toContain(15);
  });

  it('reads as plain text: no escape codes, only braille, ASCII axes and spaces', () => {
    const { lines } = drawChart({ values: [3, 1, 4, 1, 5, 9, 2, 6], periodMs: 100, unit: 'count', stat: 'max' }, 30, 5);
    for (const line of lines) expect(line).toMatch(/^[\x20-\x7e\u2800-\u28ff]*$/);
  });
});

describe('axis labels', () => {
  it('formats values by unit and rounds scale tops', () => {
    expect(axisLabel(45_000, 'ms')).toBe('45s');
    expect(axisLabel(1500, 'ms')).toBe('1.5s');
    expect(axisLabel(90_000, 'ms')).toBe('1.5m');
    expect(axisLabel(250, 'ms')).toBe('250ms');
    expect(axisLabel(80, 'percent')).toBe('80%');
    expect(axisLabel(12, 'count')).toBe('12');
    expect(niceTop(35_000)).toBe(40_000);
    expect(niceTop(7)).toBe(8);
    expect(niceTop(0)).toBe(1);
  });
});
