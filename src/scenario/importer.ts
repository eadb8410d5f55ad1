/**
 * The one way scenario code is loaded, by the CLI and by the sandbox's workers alike (docs/sandbox.md):
 * jiti with `lambda-tui` aliased to this package's own entry, its transforms in the per-user cache.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cacheKey, openUserCache, type UserCache } from '../cache.js';
import { installAwsLambdaGlobal } from '../lang/response-stream.js';

/**
 * The entry a scenario's `import ... from 'lambda-tui'` resolves to: this running package's own entry, so a
 * scenario needs no lambda-tui installed beside it (as under npx, docs/architecture.md "Terminal facts").
 * Built, this file is dist/scenario/load.js and the entry dist/index.js; from source (vitest) it is
 * src/scenario/load.ts and src/index.ts.
 */
export function ownEntry(): string {
  const js = fileURLToPath(new URL('../index.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('../index.ts', import.meta.url));
}

/**
 * jiti through `require`: it is one large CommonJS file, and its ES module wrapper costs Node a parse of
 * that file for its exports (about 50-90 ms) that `require` skips. Loaded on the first scenario load.
 */
type CreateJiti = typeof import('jiti').createJiti;
let jitiModule: CreateJiti | undefined;
const createJiti: CreateJiti = (...args) => {
  jitiModule ??= (createRequire(import.meta.url)('jiti') as { createJiti: CreateJiti }).createJiti;
  return jitiModule(...args);
};

/** jiti's own version: part of every cache key, so an upgrade never reads an older transform. */
let jitiVersion: string | undefined;
function jitiRelease(): string {
  jitiVersion ??= (createRequire(import.meta.url)('jiti/package.json') as { version: string }).version;
  return jitiVersion;
}

/** The user's cache of jiti transforms, opened on the first load (src/cache.ts: per user, checked). */
let transformCache: UserCache | undefined;

/** jiti with its own default transform and no file cache: what a cache miss asks for the compiled code. */
let plainJiti: ReturnType<typeof createJiti> | undefined;

type TransformOptions = Parameters<NonNullable<Parameters<typeof createJiti>[1]>['transform'] & {}>[0];

/**
 * jiti's transform behind the per-user cache. Loading jiti's TypeScript transform (babel) costs about
 * 0.3 s, most of the time to the first frame, and a cached transform skips it. The key is everything the
 * transform depends on (jiti's version, its options, the file's name and source), so an edit misses.
 * jiti's own file cache is not used: it lives in a folder every user shares and trusts any file there.
 */
function cachedTransform(options: TransformOptions): { code: string } {
  transformCache ??= openUserCache('jiti');
  const key = cacheKey(jitiRelease(), JSON.stringify(options, (_k, v: unknown) => (typeof v === 'function' ? undefined : v)));
  const hit = transformCache.get(key);
  if (hit !== undefined) return { code: hit };
  plainJiti ??= createJiti(import.meta.url, { fsCache: false, moduleCache: false });
  const code = plainJiti.transform(options);
  // A file that does not compile becomes code that throws its ParseError: not worth keeping.
  if (!code.includes('__JITI_ERROR__')) transformCache.set(key, code);
  return { code };
}

/**
 * A fresh jiti for each load. moduleCache off: a scenario edited between two loads (restart, tests that
 * rewrite a file) is read again. Its transform goes through the per-user cache (cachedTransform).
 * interopDefault off: we want the module namespace as it is, to tell "no default export" apart.
 * sourceMaps on: errors thrown while the module runs then point at the scenario's own lines.
 */
export function scenarioImporter() {
  // Scenario and handler code may call awslambda.streamifyResponse at load time, as in Lambda's Node.js
  // runtime, where the global exists before any code runs (docs/callers.md, "Function URLs").
  installAwsLambdaGlobal();
  return createJiti(import.meta.url, {
    alias: { 'lambda-tui': ownEntry() },
    moduleCache: false,
    fsCache: false,
    transform: cachedTransform,
    interopDefault: false,
    sourceMaps: true,
  });
}

