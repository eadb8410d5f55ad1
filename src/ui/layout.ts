/**
 * Where the panes go for a terminal size. The dashboard is never taller than rows-1: Ink 6 clears the
 * screen and the scrollback on every frame once the output is as tall as the terminal (DESIGN,
 * "Terminal facts"). Below MIN_SIZE there is no layout, only a message.
 */

/**
 * The smallest terminal the dashboard lays out in.
 *
 * @example MIN_SIZE // { columns: 60, rows: 16 }
 */
export const MIN_SIZE = Object.freeze({ columns: 60, rows: 16 });

/**
 * Sizes of every part, in cells. `leftWidth + rightWidth === columns`.
 *
 * @example const l = layout({ columns: 100, rows: 30 })!; l.topHeight // 12
 */
export interface Layout {
  columns: number;
  /** Lines the whole frame uses: rows - 1. */
  height: number;
  headerLines: 1 | 2;
  leftWidth: number;
  rightWidth: number;
  topHeight: number;
  midHeight: number;
  logHeight: number;
  /** The area an overlay covers: the panes' rows. */
  bodyHeight: number;
  compact: boolean;
}

/**
 * The layout for a terminal size, or undefined below MIN_SIZE.
 *
 * @example layout({ columns: 80, rows: 24 })!.compact // true
 * @example layout({ columns: 40, rows: 10 }) // undefined
 */
export function layout(size: { columns: number; rows: number }): Layout | undefined {
  if (size.columns < MIN_SIZE.columns || size.rows < MIN_SIZE.rows) return undefined;
  const height = size.rows - 1;
  const headerLines = size.rows >= 20 ? 2 : 1;
  const body = height - headerLines - 1;
  const logHeight = Math.max(3, Math.floor(body * 0.28));
  const rest = body - logHeight;
  const topHeight = Math.ceil(rest * 0.58);
  const midHeight = rest - topHeight;
  const leftWidth = Math.floor(size.columns * 0.55);
  return {
    columns: size.columns,
    height,
    headerLines,
    leftWidth,
    rightWidth: size.columns - leftWidth,
    topHeight,
    midHeight,
    logHeight,
    bodyHeight: body,
    compact: size.columns < 100 || size.rows < 30,
  };
}
