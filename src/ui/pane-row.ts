/**
 * What a pane shows, as data: one PaneRow per line, built by a pure function of the snapshot (each
 * pane's `*Rows` function) and rendered by Pane. The App uses the same rows for selection and for
 * `enter`, so what is selected is exactly what is on screen.
 */

/**
 * What `enter` shows for a row: the AWS-shaped JSON a module returns for a key (sim.inspect), or a
 * value the snapshot already holds (a destination payload).
 *
 * @example const target: InspectTarget = { title: 'batch b7', module: 'stream', key: 'b7' };
 */
export type InspectTarget = { title: string; module: string; key: string } | { title: string; value: unknown };

/**
 * One line of a pane.
 *
 * @example const row: PaneRow = { text: 'shard-1 [##|....] age 31s retry 2/inf', tone: 'warn' };
 */
export interface PaneRow {
  text: string;
  /** How the row reads: colour when colour is on; the text itself always carries the meaning. */
  tone?: 'ok' | 'warn' | 'bad' | 'dim' | 'title';
  target?: InspectTarget;
  /**
   * What the row is about, stable from one snapshot to the next (default: its inspect target's title).
   * The selection follows it when rows change place; the lines of a wrapped row share it and are one item.
   */
  id?: string;
  /** The Metrics view's subject this row is about (`function/<fn>`, `queue/<q>`, `shard/...`, `alias/...`): `m` opens there. */
  subject?: string;
  /** The invocation this row is about: `L` opens the Logs view on its lines. */
  requestId?: string;
}

/**
 * The identity of a row for the selection, if it has one.
 *
 * @example rowId({ text: 'x', id: 'fn:processor' }) // 'fn:processor'
 */
export function rowId(row: PaneRow | undefined): string | undefined {
  return row?.id ?? row?.target?.title;
}

/**
 * A row too long for `width` as several, broken between its double-spaced parts (`put 9811  failed
 * 4510 -> caller 4510  ok 5301`), the continuations indented by `indent` spaces; every line keeps the
 * row's tone and inspect target. A part longer than a line is left for the pane to cut.
 *
 * @example wrapRow({ text: 'queue q  visible 0  in flight 0  delayed 0' }, 24, 2).map((r) => r.text) // ['queue q  visible 0', '  in flight 0  delayed 0']
 */
export function wrapRow(row: PaneRow, width: number, indent = 2): PaneRow[] {
  if (width <= 0 || row.text.length <= width) return [row];
  const lead = /^ */.exec(row.text)![0];
  const parts = row.text.slice(lead.length).split(/ {2,}/);
  const pad = ' '.repeat(Math.max(lead.length, indent));
  const lines: string[] = [];
  let line = lead + parts[0];
  for (const part of parts.slice(1)) {
    if (line.length + 2 + part.length <= width) line += `  ${part}`;
    else {
      lines.push(line);
      line = pad + part;
    }
  }
  lines.push(line);
  return lines.map((text) => ({ ...row, text }));
}
