#!/usr/bin/env node
/**
 * Bundles the CLI into dist/bundle/ (run by `npm run build` after tsc, and by the test setup), so that
 * bin/lambda-tui.js loads a handful of files instead of about 160 modules (docs/architecture.md, "Startup").
 *
 * Entries:
 * - main.cjs: the command line (src/main.ts), one CommonJS file, which bin/lambda-tui.js runs through
 *   src/code-cache.ts with V8's code cache (Node 20 caches the code of no ES module). What src/cli.ts
 *   imports dynamically (Ink and React for the dashboard and recordings, import, sweep, diff) is in the
 *   same file, wrapped by esbuild so that it is evaluated only when imported: a headless run parses it
 *   (lazily, or not at all with the cache) and never runs it. Its first line is its build id (the sha256
 *   of the rest), which the code cache's key holds.
 * - sandbox-worker.js, sweep-worker.js: the worker threads' own entries, ES modules (src/sandbox/pool.ts
 *   and src/sweep/sweep.ts start them when LAMBDA_TUI_BUNDLED is defined).
 *
 * What the bundle keeps as it was:
 * - Every module of ours sees the import.meta.url its tsc-built file in dist/ has, so the files it finds
 *   beside itself (package.json, scenarios/, dist/index.js for a scenario's `import 'lambda-tui'`,
 *   the stack-frame filter's own folder) are the same files. tsc's dist/ is therefore part of the build.
 * - A dependency that locates files beside itself (yargs's locales and its package.json lookup) sees its
 *   installed file's URL, resolved at run time, wherever npm put it.
 * - jiti stays outside, loaded through `require` (src/scenario/importer.ts): it is one large CommonJS
 *   file whose ESM wrapper costs more to load than the file itself.
 * - Ink's colour library is the instance bundled with Ink (src/ui/ink-chalk.ts's bundled form).
 *
 * Ink imports `throttle` from es-toolkit's compat entry, which loads some 400 modules; bundled, only
 * throttle and the debounce it wraps are kept (the package declares no side effects).
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const outdir = path.join(root, 'dist', 'bundle');
const require = createRequire(import.meta.url);

/** Our sources: import.meta.url becomes the URL of the same module's tsc-built file in dist/. */
const ownUrls = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.tsx?$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      let contents = await readFile(args.path, 'utf8');
      const rel = path.relative(src, args.path).split(path.sep).join('/').replace(/\.tsx?$/, '.js');
      // From dist/bundle/<file>.js, '../<rel>' is dist/<rel>.
      contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(`../${rel}`)}, import.meta.url).href`);
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

/** Dependencies that find files beside themselves: their installed file's URL, resolved at run time. */
const dependencyUrls = {
  name: 'dependency-import-meta-url',
  setup(b) {
    const shims = [
      // yargs: its locales (y18n) and the package.json it reads its parser settings from.
      { file: path.join(path.dirname(require.resolve('yargs')), 'lib/platform-shims/esm.mjs'), specifier: 'yargs', rel: './lib/platform-shims/esm.mjs' },
    ];
    for (const shim of shims) {
      const filter = new RegExp(`^${shim.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      b.onLoad({ filter }, async (args) => {
        const { readFile } = await import('node:fs/promises');
        const contents = (await readFile(args.path, 'utf8')).replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(shim.rel)}, __lambdaTuiFileUrl(__lambdaTuiRequire.resolve(${JSON.stringify(shim.specifier)}))).href`,
        );
        return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    }
  },
};

/** src/ui/ink-chalk.ts: in the bundle, the chalk that the bundled Ink imports, imported directly. */
const inkChalk = {
  name: 'ink-chalk',
  setup(b) {
    const chalk = createRequire(require.resolve('ink')).resolve('chalk');
    b.onLoad({ filter: /[\\/]src[\\/]ui[\\/]ink-chalk\.ts$/ }, () => ({
      contents: `import chalk from ${JSON.stringify(chalk)};\nexport function inkChalk() { return Promise.resolve(chalk); }\n`,
      loader: 'js',
      resolveDir: path.dirname(chalk),
    }));
  },
};

/**
 * ink/build/output.js: scripts/ink-output.js in its place (the same frames with caches that outlive a
 * frame), resolving its imports from Ink's folder as Ink's own file would. Only for the Ink version it
 * was written against: another one builds with Ink's own file and says so.
 */
const inkOutput = {
  name: 'ink-output',
  setup(b) {
    const inkDir = path.dirname(require.resolve('ink'));
    const inkVersion = JSON.parse(readFileSync(path.join(inkDir, '..', 'package.json'), 'utf8')).version;
    if (inkVersion !== '6.8.0') {
      console.warn(`bundle: ink ${inkVersion} is not 6.8.0: building with Ink's own output.js (scripts/ink-output.js follows 6.8.0)`);
      return;
    }
    const file = path.join(inkDir, 'output.js');
    const filter = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    b.onLoad({ filter }, async () => ({
      contents: readFileSync(path.join(root, 'scripts', 'ink-output.js'), 'utf8'),
      loader: 'js',
      resolveDir: inkDir,
    }));
  },
};

/**
 * string-width (every copy: yargs's, cliui's, wrap-ansi's, Ink's): the package builds a grapheme
 * segmenter and Unicode-property regular expressions when it is loaded (about 60 ms of a start, the
 * `v`-flag emoji expressions most of it), though the dashboard, the help and the recordings are
 * printable ASCII, which it measures by their length without them. Each import of string-width gets a
 * front with that same ASCII path, and the package itself, loaded through `require` (which esbuild
 * bundles as a module evaluated at its first call), only for a string that needs it. Its answer is the
 * package's: printable ASCII once ANSI codes are stripped is as wide as it is long in every version.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined; // the front's own require of the package
      const real = await b.resolve('string-width', { kind: args.kind, resolveDir: args.resolveDir, pluginData: { real: true } });
      if (real.errors.length > 0) return undefined;
      return { path: real.path, namespace: 'lazy-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents: [
        "import stripAnsi from 'strip-ansi';",
        'let real;',
        'export default function stringWidth(string, options) {',
        "  if (typeof string !== 'string' || string.length === 0) return 0;",
        '  if (!options?.countAnsiEscapeCodes) {',
        "    const text = string.includes('\\u001B') || string.includes('\\u009B') ? stripAnsi(string) : string;",
        '    if (/^[\\u0020-\\u007E]*$/.test(text)) return text.length;',
        '  }',
        `  real ??= require(${JSON.stringify(args.path)}).default;`,
        '  return real(string, options);',
        '}',
      ].join('\n'),
      loader: 'js',
      resolveDir: path.dirname(args.path),
      pluginData: { real: true },
    }));
  },
};

/**
 * valibot declares its emoji expression at the top of its module, where esbuild cannot drop it unused
 * (it rewrites the literal into a `new RegExp`): about 15 ms of every start. Marked pure, it goes when
 * nothing uses it (nothing here does).
 */
const valibotEmoji = {
  name: 'valibot-emoji',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]valibot[\\/]dist[\\/]index\.mjs$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const patched = text.replace(/^const EMOJI_REGEX = (\/.*\/u);$/m, 'const EMOJI_REGEX = /* @__PURE__ */ (() => $1)();');
      if (patched === text) console.warn('bundle: valibot\'s EMOJI_REGEX not found: left as it is');
      return { contents: patched, loader: 'js' };
    });
  },
};

/**
 * A grapheme segmenter for the packages below, in their own module's text: `segment(str)` gives what
 * Intl.Segmenter's does (an iterable of { segment, index, input } with `containing(index)`). A string of
 * printable ASCII and escape characters only (what lambda-tui draws) has one grapheme per character (no
 * such character extends, prepends or joins a cluster; CR LF, the one pair, has no CR or LF here), so its
 * segments come from the characters themselves; any other string goes through an Intl.Segmenter, made at
 * the first such string (ICU's break rules cost 25-60 ms to make here, more on a busy machine).
 */
const ASCII_SEGMENTER = [
  'let lambdaTuiGraphemeSegmenter;',
  'const lambdaTuiAsciiSegmenter = {',
  '  segment(str) {',
  '    for (let i = 0; i < str.length; i++) {',
  '      const c = str.charCodeAt(i);',
  "      if ((c < 0x20 || c > 0x7e) && c !== 0x1b) return (lambdaTuiGraphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(str);",
  '    }',
  '    const segments = new Array(str.length);',
  '    for (let i = 0; i < str.length; i++) segments[i] = { segment: str[i], index: i, input: str };',
  '    segments.containing = (index) => {',
  '      const i = Math.trunc(Number(index) || 0);',
  '      return i >= 0 && i < str.length ? segments[i] : undefined;',
  '    };',
  '    return segments;',
  '  },',
  '};',
].join('\n');

/**
 * The packages that make an Intl.Segmenter when Ink loads them, and the line that makes it, which becomes
 * ASCII_SEGMENTER: @alcalzone/ansi-tokenize (Ink's Output turns every line it draws into styled characters
 * with it, the graphemes being the larger part of a line's cost) and slice-ansi (Output cuts clipped
 * lines with it). A dashboard or recording of a bundled scenario then makes no segmenter at all.
 */
const asciiGraphemes = {
  name: 'ascii-graphemes',
  setup(b) {
    const packages = [
      { filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, name: 'ansi-tokenize', made: 'const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });', as: 'segmenter' },
      { filter: /[\\/]slice-ansi[\\/]tokenize-ansi\.js$/, name: 'slice-ansi', made: "const GRAPHEME_SEGMENTER = new Intl.Segmenter(undefined, {granularity: 'grapheme'});", as: 'GRAPHEME_SEGMENTER' },
    ];
    for (const pkg of packages) {
      b.onLoad({ filter: pkg.filter }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(pkg.made)) {
          console.warn(`bundle: ${pkg.name}'s segmenter not found: left as it is`);
          return undefined;
        }
        return { contents: text.replace(pkg.made, `${ASCII_SEGMENTER}\nconst ${pkg.as} = lambdaTuiAsciiSegmenter;`), loader: 'js' };
      });
    }
  },
};

/**
 * CommonJS has no top-level await, which two of Ink's modules use (main.cjs only):
 * - yoga-layout's entry awaits its WebAssembly: here it starts loading when Ink's modules are evaluated and
 *   its promise is left at globalThis[Symbol.for('lambda-tui.yoga-ready')], which src/cli.ts awaits before
 *   anything renders (Ink calls yoga only inside functions, never while its modules are evaluated);
 * - Ink's reconciler awaits its devtools and package.json only when DEV=true: react-devtools-core is not
 *   installed, so the import fails as it would unbundled, and Ink prints its own warning.
 */
const topLevelAwait = {
  name: 'top-level-await',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const line = 'const Yoga = wrapAssembly(await loadYoga());';
      // `export default Yoga` would export the value it has then (undefined): a named export is live.
      const exported = 'export default Yoga;';
      if (!text.includes(line) || !text.includes(exported)) throw new Error(`bundle: yoga-layout's entry changed (${args.path}): '${line}' not found`);
      const ready = [
        'let Yoga;',
        "globalThis[Symbol.for('lambda-tui.yoga-ready')] = loadYoga().then((module) => { Yoga = wrapAssembly(module); });",
      ].join('\n');
      return { contents: text.replace(line, ready).replace(exported, 'export { Yoga as default };'), loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const devtools = "await import('./devtools.js');";
      const packageJson = '? await loadPackageJson()';
      if (!text.includes(devtools) || !text.includes(packageJson)) throw new Error(`bundle: Ink's reconciler changed (${args.path}): its top-level awaits not found`);
      return {
        contents: text
          .replace(devtools, "throw Object.assign(new Error('react-devtools-core is not installed'), { code: 'ERR_MODULE_NOT_FOUND' });")
          .replace(packageJson, "? { name: 'ink', version: undefined }"),
        loader: 'js',
      };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const common = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // react-devtools-core: Ink imports it only when DEV=true; it is an optional peer, not installed.
  external: ['jiti', 'react-devtools-core'],
  // React's production build, chosen at build time: src/ui/env-setup.ts makes it the default at run time
  // (its development build renders the dashboard about twice as slowly and checks nothing a user needs),
  // and leaving the other out halves what Node parses when the dashboard loads. Our own sources only
  // assign NODE_ENV (for tsc's build), which the bundle keeps as it is.
  define: { LAMBDA_TUI_BUNDLED: 'true', 'process.env.NODE_ENV': '"production"' },
  logOverride: { 'assign-to-define': 'silent' },
  // CommonJS dependencies (React) call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __lambdaTuiCreateRequire } from 'node:module';\nimport { pathToFileURL as __lambdaTuiFileUrl } from 'node:url';\nconst __lambdaTuiRequire = __lambdaTuiCreateRequire(import.meta.url);\nconst require = __lambdaTuiRequire;",
  },
  // inkChalk first: the first onLoad that answers for a file wins.
  plugins: [inkChalk, inkOutput, lazyStringWidth, valibotEmoji, asciiGraphemes, ownUrls, dependencyUrls],
  legalComments: 'none',
  logLevel: 'warning',
  metafile: process.argv.includes('--meta'),
};
/**
 * The CLI as CommonJS: strict, as the ES modules it is made of are; `require` and `__filename` are the
 * wrapper's (src/code-cache.ts); import.meta.url is this file's URL, from which our sources' URLs are
 * made (ownUrls).
 */
const cli = {
  ...common,
  format: 'cjs',
  entryPoints: { main: 'src/main.ts' },
  outExtension: { '.js': '.cjs' },
  define: { ...common.define, 'import.meta.url': '__lambdaTuiUrl' },
  banner: {
    js: "'use strict';\nconst __lambdaTuiRequire = require;\nconst { pathToFileURL: __lambdaTuiFileUrl } = require('node:url');\nconst __lambdaTuiUrl = __lambdaTuiFileUrl(__filename).href;",
  },
  plugins: [topLevelAwait, ...common.plugins],
};
const results = await Promise.all([
  build(cli),
  // The worker threads: one file each.
  build({ ...common, entryPoints: { 'sandbox-worker': 'src/sandbox/worker.ts', 'sweep-worker': 'src/sweep/worker.ts' } }),
]);
// main.cjs in ASCII, and its build id on the first line (src/code-cache.ts keys its entries by it).
// esbuild escapes every non-ASCII character of code (its default charset); what is left is in comments
// esbuild kept, written here as U+XXXX, so that the loader can read the file as one-byte text (a
// UTF-8 decode of 2 MB is 10-40 ms of every start). A non-ASCII character outside a comment line
// fails the build rather than change what the code says.
{
  const { createHash } = await import('node:crypto');
  const { writeFileSync } = await import('node:fs');
  const main = path.join(outdir, 'main.cjs');
  const lines = readFileSync(main, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/[^\x00-\x7f]/.test(lines[i])) continue;
    if (!/^\s*(\/\/|\/\*|\*)/.test(lines[i])) throw new Error(`bundle: main.cjs line ${i + 1} has a non-ASCII character outside a comment: ${lines[i].slice(0, 120)}`);
    lines[i] = lines[i].replace(/[^\x00-\x7f]/gu, (c) => `U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  }
  const text = lines.join('\n');
  writeFileSync(main, `// lambda-tui bundle ${createHash('sha256').update(text).digest('hex')}\n${text}`);
}
if (common.metafile) {
  const { writeFileSync } = await import('node:fs');
  results.forEach((r, i) => writeFileSync(path.join(outdir, `meta-${i}.json`), JSON.stringify(r.metafile)));
}
