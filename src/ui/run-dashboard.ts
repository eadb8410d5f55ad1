/**
 * The interactive dashboard entry point. Until the dashboard lands (issue 6), a terminal run says so and
 * runs headless, so that `npx lambda-tui <scenario>` always does something useful.
 */
import { runHeadless, type RunOptions } from '../cli.js';
import type { Model } from '../scenario/model.js';

export async function runDashboard(model: Model, options: RunOptions): Promise<number> {
  process.stderr.write('lambda-tui: the interactive dashboard is not built yet; running headless.\n');
  await runHeadless(model, options, process.stdout);
  return 0;
}
