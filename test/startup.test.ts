/**
 * The bundled CLI (scripts/bundle.mjs, docs/architecture.md "Startup"): bin/lambda-tui.js runs
 * dist/bundle/main.cjs through V8's code cache (src/code-cache.ts), a headless run never evaluates Ink,
 * and a recording made through the bundle is byte for byte the one tsc's build (dist/main.js) makes,
 * colours included (Ink's chalk is the bundled one).
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

/**
 * A preload that appends every ES module URL Node loads to $MODULE_LOG and, at exit, whether yoga (Ink's
 * layout engine, whose WebAssembly starts loading when Ink's modules are evaluated) was loaded.
 */
const hook = path.join(tmp, 'log-modules.mjs');
writeFileSync(
  hook,
  `import { register } from 'node:module';\n` +
    `import { appendFileSync } from 'node:fs';\n` +
    `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
      `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(process.env.MODULE_LOG, url + '\\n'); return next(url, context); }\n`,
    )}));\n` +
    `process.on('exit', () => appendFileSync(process.env.MODULE_LOG, 'yoga loaded: ' + (globalThis[Symbol.for('lambda-tui.yoga-ready')] !== undefined) + '\\n'));\n`,
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
  it('runs dist/bundle/main.cjs, and a headless run evaluates no part of Ink', async () => {
    expect(existsSync('dist/bundle/main.cjs')).toBe(true);
    for (const args of [['scenarios/sync-throttle.ts', '--json', '--duration', '5s'], ['scenarios/kinesis-error.ts', '--duration', '5s', '--trace', path.join(tmp, 't.jsonl')]]) {
      const lines = await loadedModules(args);
      // The ES modules of ours beside the bundle: its loader and the cache that loader uses, and a
      // scenario's `import 'lambda-tui'`; in dist/bundle/, the handler sandbox's worker and no part of Ink.
      const ours = lines.filter((u) => u.includes('/dist/') && !u.includes('/dist/bundle/')).map((u) => u.slice(u.indexOf('/dist/')));
      expect(new Set(ours)).toEqual(new Set(['/dist/code-cache.js', '/dist/cache.js', '/dist/index.js']));
      const packages = new Set(lines.filter((u) => u.includes('/dist/bundle/')).flatMap(bundledPackages));
      for (const ui of ['ink', 'react', 'react-reconciler', 'yoga-layout', 'es-toolkit']) expect(packages.has(ui)).toBe(false);
      expect(lines.filter((u) => /node_modules\/(ink|react|yoga-layout|es-toolkit)\//.test(u))).toEqual([]);
      expect(lines.at(-1)).toBe('yoga loaded: false');
    }
    // The same probe sees Ink loaded when a recording renders through it.
    const recorded = await loadedModules(['scenarios/sync-throttle.ts', '--duration', '2s', '--record', path.join(tmp, 'probe.cast')]);
    expect(recorded.at(-1)).toBe('yoga loaded: true');
  }, 60_000);

  it('keeps the compiled code in the per-user cache: written once, then accepted, the output the same', async () => {
    const env = { ...process.env, XDG_CACHE_HOME: path.join(tmp, 'cache'), LAMBDA_TUI_DEBUG_CODE_CACHE: '1', NO_COLOR: '1' };
    const args = [BIN, 'scenarios/sync-throttle.ts', '--json', '--duration', '5s'];
    const run = async (extra: string[] = []) => exec(process.execPath, [...args, ...extra], { env });
    const first = await run();
    expect(first.stderr).toBe('code cache: none\ncode cache: headless entry written\n');
    const second = await run();
    expect(second.stderr).toBe('code cache: headless entry accepted\n');
    expect(second.stdout).toBe(first.stdout);
    // A recording compiles Ink's code too: the entry kept from then on holds it, and headless runs use it.
    const cast = path.join(tmp, 'cache.cast');
    const recording = await exec(process.execPath, [BIN, 'scenarios/sync-throttle.ts', '--duration', '2s', '--record', cast], { env });
    expect(recording.stderr).toMatch(/^code cache: headless entry accepted\n(.*\n)*code cache: dashboard entry written\n$/);
    const third = await run();
    expect(third.stderr).toBe('code cache: dashboard entry accepted\n');
    expect(third.stdout).toBe(first.stdout);
    // Turned off, nothing is read or written, and the run is the same.
    const off = await exec(process.execPath, args, { env: { ...env, LAMBDA_TUI_CACHE: '0' } });
    expect(off.stderr).toBe('code cache: off (turned off by LAMBDA_TUI_CACHE)\n');
    expect(off.stdout).toBe(first.stdout);
  }, 90_000);

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
