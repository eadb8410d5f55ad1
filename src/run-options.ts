/**
 * The options of a run as the command line parsed them (shared by the CLI and the shells it starts, so
 * ui/ never imports cli.ts: the import graph has one direction, see test/architecture.test.ts).
 */
export interface RunOptions {
  seed?: number;
  speed: number;
  tick?: string;
  duration?: string;
  headless: boolean;
  json: boolean;
  trace?: string;
  record?: string;
  keys?: string;
  cols: number;
  rows: number;
  stack?: string;
  parameter?: string[];
}
