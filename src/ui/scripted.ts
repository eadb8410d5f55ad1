/**
 * Scripted runs (--keys) and recordings (--record). Until they land (issue 7), say so plainly.
 */
import type { RunOptions } from '../cli.js';
import type { Model } from '../scenario/model.js';

export async function runScripted(_model: Model, _options: RunOptions): Promise<number> {
  process.stderr.write('lambda-tui: --record and --keys are not built yet.\n');
  return 2;
}
