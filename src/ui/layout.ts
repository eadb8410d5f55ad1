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
  /** 1 (compact), 2 (name and description) or 3 (a long description on two lines). */
  headerLines: 1 | 2 | 3;
  leftWidth: number;
  rightWidth: number;
  topHeight: number;
  midHeight: number;
  logHeight: number;
  /** The area an overlay covers: the panes' rows. */
  bodyHeight: number;
  /** 1 when the timeline strip (notable events over the run) is shown above the key hints, else 0. */
  timelineHeight: 0 | 1;
  compact: boolean;
}

/**
 * The layout for a terminal size, or undefined below MIN_SIZE. `longDescription`: the scenario's
 * description does not fit on one line (see descriptionLines), so the header takes a third line.
 *
 * @example layout({ columns: 80, rows: 24 })!.compact // true
 * @example layout({ columns: 40, rows: 10 }) // undefined
 */
export function layout(size: { columns: number; rows: number }, options: { longDescription?: boolean } = {}): Layout | undefined {
  if (size.columns < MIN_SIZE.columns || size.rows < MIN_SIZE.rows) return undefined;
  const height = size.rows - 1;
  // A long description gets a second line when there is room for it (30 rows and more).
  const headerLines = size.rows >= 30 && options.longDescription ? 3 : size.rows >= 20 ? 2 : 1;
  const timelineHeight = size.rows >= 20 ? 1 : 0;
  const body = height - headerLines - 1 - timelineHeight;
  const logHeight = Math.max(3, Math.floor(body * 0.28));
  const rest = body - logHeight;
  const topHeight = Math.ceil(rest * 0.58);
  const midHeight = rest - topHeight;
  // Sources and In flight carry the longest rows (ledgers, shard rows, batch labels); Concurrency and
  // Destinations fit in less.
  const leftWidth = Math.floor(size.columns * 0.6);
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
    timelineHeight,
    compact: size.columns < 100 || size.rows < 30,
  };
}
