/**
 * Builds dist/ (tsc, then the bundle in dist/bundle/) once before the suite, so that tests which run the
 * real binary (bin/lambda-tui.js) test the current source, not a stale build. The tsc build is
 * incremental (its state under node_modules/.cache), which makes a run that changed few files pay 3 s
 * instead of 11 s; if dist/ is gone the state is dropped so that everything is emitted again.
 * Temporary folders of the run live under one folder (TMPDIR), removed when the run ends.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUILD_INFO = 'node_modules/.cache/lambda-tui-build.tsbuildinfo';

export default function setup(): () => void {
  // Every temporary folder of the run (the tests' own, and those of the binaries and workers they start,
  // which inherit TMPDIR) goes under one folder, removed at the end, whatever a test forgot to remove.
  const runTmp = mkdtempSync(join(tmpdir(), 'lambda-tui-tests-'));
  process.env.TMPDIR = runTmp;
  mkdirSync('node_modules/.cache', { recursive: true });
  if (!existsSync('dist/cli.js')) rmSync(BUILD_INFO, { force: true });
  execFileSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', BUILD_INFO],
    { stdio: 'inherit' },
  );
  // The bundled CLI that bin/lambda-tui.js loads (scripts/bundle.mjs, about a second).
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
  return () => rmSync(runTmp, { recursive: true, force: true });
}
