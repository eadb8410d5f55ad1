/**
 * Builds dist/ once before the suite, so that tests which run the real binary (bin/lambda-tui.js) test
 * the current source, not a stale build.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
