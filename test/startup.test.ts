/**
 * The bundled CLI (scripts/bundle.mjs, docs/architecture.md "Startup"): bin/lambda-tui.js loads
 * dist/bundle/, a headless run never evaluates Ink or React, and a recording made through the bundle is
 * byte for byte the one tsc's build (dist/main.js) makes, colours included (Ink's chalk is the bundled one).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const BIN = path.resolve('bin/lambda-tui.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-startup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A module loader hook that appends every module URL Node loads to $MODULE_LOG. */
const hook = path.join(tmp, 'log-modules.mjs');
writeFileSync(
  hook,
  `import { register } from 'node:module';\n` +
    `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
      `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(process.env.MODULE_LOG, url + '\\n'); return next(url, context); }\n`,
    )}));\n`,
);

async function loadedModules(args: string[]): Promise<string[]> {
  const log = path.join(tmp, `modules-${Math.random().toString(36).slice(2)}.txt`);
  await exec(process.execPath, ['--import', hook, BIN, ...args], { env: { ...process.env, MODULE_LOG: log, NO_COLOR: '1' } });
  return readFileSync(log, 'utf8').trim().split('\n');
}

/** The dependencies bundled into a file of dist/bundle/ (esbuild marks each with a `// node_modules/...` line). */
function bundledPackages(url: string): string[] {
  const text = readFileSync(fileURLToPath(url), 'utf8');
  return [...text.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]);
}

describe('startup through the bundle', () => {
  it('loads dist/bundle/main.js, and a headless run evaluates neither Ink nor React', async () => {
    expect(existsSync('dist/bundle/main.js')).toBe(true);
    for (const args of [['scenarios/sync-throttle.ts', '--json', '--duration', '5s'], ['scenarios/kinesis-error.ts', '--duration', '5s', '--trace', path.join(tmp, 't.jsonl')]]) {
      const urls = await loadedModules(args);
      expect(urls.some((u) => u.endsWith('/dist/bundle/main.js'))).toBe(true);
      // Nothing of ours outside the bundle but the scenario's own `import 'lambda-tui'` (dist/index.js).
      expect(urls.filter((u) => u.includes('/dist/') && !u.includes('/dist/bundle/') && !u.endsWith('/dist/index.js'))).toEqual([]);
      const packages = new Set(urls.filter((u) => u.includes('/dist/bundle/')).flatMap(bundledPackages));
      expect(packages.has('yargs')).toBe(true); // the marker is there to be read
      for (const ui of ['ink', 'react', 'react-reconciler', 'yoga-layout', 'es-toolkit']) expect(packages.has(ui)).toBe(false);
      expect(urls.filter((u) => /node_modules\/(ink|react|yoga-layout|es-toolkit)\//.test(u))).toEqual([]);
    }
  }, 60_000);

  it('records the same bytes as tsc build, colour included', async () => {
    const viaBundle = path.join(tmp, 'bundle.cast');
    const viaTsc = path.join(tmp, 'tsc.cast');
    const args = ['scenarios/kinesis-error.ts', '--duration', '5s', '--keys', '2s:n'];
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    await exec(process.execPath, [BIN, ...args, '--record', viaBundle], { env });
    await exec(process.execPath, ['dist/main.js', ...args, '--record', viaTsc], { env });
    const cast = readFileSync(viaBundle, 'utf8');
    expect(cast).toContain('\\u001b[36m'); // Ink's colours reached the recording
    expect(cast).toBe(readFileSync(viaTsc, 'utf8'));
  }, 90_000); // two recordings; tsc's build loads some 300 modules, slow on a busy machine
});
