/**
 * Loads the bundled CLI (dist/bundle/main.cjs, scripts/bundle.mjs) with V8's code cache, so that a start
 * after the first one neither parses the 2 MB bundle nor compiles again the functions the last run
 * compiled (docs/architecture.md, "Startup"). Node 20 caches the code of no ES module; a CommonJS file
 * run through `vm.Script` takes V8's cached data, which is why the CLI's bundle is CommonJS.
 *
 * The cache is the per-user one (src/cache.ts, namespace `v8`): a speed-up only. A miss, an entry V8
 * rejects (another Node, other V8 flags) or a cache turned off (`LAMBDA_TUI_CACHE=0`) runs the same
 * program, compiled from its source. An entry is written when the process exits, holding every function
 * compiled by then: after a run without one, after a rejected one, and after the first run that showed
 * the dashboard or made a recording (then the entry holds Ink's and React's code too; until then it held
 * what a headless run compiles). `LAMBDA_TUI_DEBUG_CODE_CACHE=1` says on stderr what happened.
 *
 * The key holds what V8 checks (its version through Node's, its flags through Node's options) and what
 * it does not check: V8 compares a source's length only, so the key also holds the bundle's build id
 * (the sha256 of its contents, written on its first line by scripts/bundle.mjs), size and mtime.
 *
 * @example
 * // what bin/lambda-tui.js does, with this module's tsc-built dist/code-cache.js
 * runBundle(fileURLToPath(new URL('../dist/bundle/main.cjs', import.meta.url)));
 */
import { isAscii } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { cacheKey, openUserCache } from './cache.js';

/** Set by the bundle when Ink is loaded (src/cli.ts): the entry to keep then also holds Ink's code. */
export const DASHBOARD_LOADED = Symbol.for('lambda-tui.code-cache.dashboard');

/** Format of this loader's entries: a change that makes old ones useless bumps it. */
const FORMAT = 'lambda-tui v8 code cache 1';

/** The CommonJS wrapper, on the bundle's first line as Node's own loader puts it. */
const WRAPPER = '(function (exports, require, module, __filename, __dirname) { ';

/**
 * Runs the CommonJS bundle `file` as Node's loader would (exports, require, module, __filename,
 * __dirname), with V8's code cache when there is a usable one.
 */
export function runBundle(file: string): void {
  const debug = process.env.LAMBDA_TUI_DEBUG_CODE_CACHE === '1';
  // scripts/bundle.mjs writes the bundle in ASCII, which is read as one-byte text without a UTF-8 decode.
  const bytes = readFileSync(file);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const cache = openUserCache('v8', { maxEntries: 8 });
  const st = statSync(file);
  const firstLine = source.slice(0, Math.max(0, source.indexOf('\n')));
  const base = [FORMAT, process.version, process.arch, process.execArgv.join('\0'), firstLine, String(st.size), String(st.mtimeMs)];
  const keys = { headless: cacheKey(...base, 'headless'), dashboard: cacheKey(...base, 'dashboard') };
  let used: keyof typeof keys | undefined;
  let cachedData: Buffer | undefined;
  for (const kind of ['dashboard', 'headless'] as const) {
    cachedData = cache.getBytes(keys[kind]);
    if (cachedData) {
      used = kind;
      break;
    }
  }
  const script = new vm.Script(`${WRAPPER}${source}\n})`, {
    filename: file,
    cachedData,
    // `import()` inside the bundle as in a module of its own (the bundle makes none today: esbuild turns
    // its own dynamic imports into lazy requires).
    // vm.constants is missing before Node 20.12: without it, no loader (the bundle would still run).
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const accepted = cachedData !== undefined && !script.cachedDataRejected;
  if (debug) process.stderr.write(`code cache: ${cache.dir === undefined ? `off (${cache.disabled})` : accepted ? `${used} entry accepted` : cachedData ? 'entry rejected' : 'none'}\n`);
  if (cache.dir !== undefined) {
    process.once('exit', () => {
      const dashboard = (globalThis as Record<symbol, unknown>)[DASHBOARD_LOADED] === true;
      const kind = dashboard ? 'dashboard' : 'headless';
      // Kept: an accepted entry that holds at least what this run compiled.
      if (accepted && (used === 'dashboard' || !dashboard)) return;
      try {
        const ok = cache.setBytes(keys[kind], script.createCachedData());
        if (debug) process.stderr.write(`code cache: ${kind} entry ${ok ? 'written' : 'not written'}\n`);
      } catch {
        // A cache is a speed-up: a run never fails for want of one.
      }
    });
  }
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const module = { exports: {} };
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
}
