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
}
