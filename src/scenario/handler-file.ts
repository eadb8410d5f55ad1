/**
 * Handlers given as file references, as Lambda's Handler setting reads: `'src/orders.handler'` is the
 * export `handler` of the module `src/orders` (`.js`, `.mjs`, `.cjs`, `.ts`, `.mts` or `.cts`), relative to
 * the scenario file. The loader resolves them here, so that the model holds a function as for inline
 * handlers; the handler sandbox then loads the same file again, once per execution environment
 * (docs/sandbox.md).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Handler } from './types.js';

const EXTENSIONS = ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/** What imports a module: the loader's jiti (aliasing 'lambda-tui', transforming TypeScript). */
export type ModuleImporter = (file: string) => Promise<unknown>;

/** Splits `src/orders.handler` into the module path and the export name, or explains why it cannot. */
export function parseHandlerReference(reference: string): { module: string; export: string } | { error: string } {
  const dot = reference.lastIndexOf('.');
  const slash = reference.lastIndexOf('/');
  if (dot <= 0 || dot < slash || dot === reference.length - 1) {
    return { error: "is not a handler reference; give the module path and its export, as Lambda's Handler reads: 'src/orders.handler'" };
  }
  return { module: reference.slice(0, dot), export: reference.slice(dot + 1) };
}

/** The module file a handler reference's module path names under `baseDir`, if there is one. */
export function moduleFile(baseDir: string, modulePath: string): string | undefined {
  for (const ext of EXTENSIONS) {
    const file = path.resolve(baseDir, modulePath + ext);
    if (ext === '' && !/\.(c|m)?(j|t)s$/.test(file)) continue;
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/**
 * Loads the handler a reference names, relative to `baseDir`. Throws an Error whose message says what is
 * wrong (no such module, no such export, not a function); the caller puts the file and field in front.
 *
 * @example
 * const handler = await loadHandlerFile('src/orders.handler', '/work/app', (f) => jiti.import(f));
 */
export async function loadHandlerFile(reference: string, baseDir: string, importModule: ModuleImporter): Promise<Handler> {
  const parsed = parseHandlerReference(reference);
  if ('error' in parsed) throw new Error(parsed.error);
  const file = moduleFile(baseDir, parsed.module);
  if (!file) throw new Error(`no module ${parsed.module}(.js|.mjs|.cjs|.ts) under ${baseDir}`);
  let namespace: unknown;
  try {
    namespace = await importModule(file);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`${path.relative(process.cwd(), file) || file} failed to load: ${message}${missingPackageHint(message, file)}`);
  }
  const ns = (namespace ?? {}) as Record<string, unknown>;
  const fromDefault = ns.default !== null && typeof ns.default === 'object' ? (ns.default as Record<string, unknown>)[parsed.export] : undefined;
  const exported = ns[parsed.export] ?? fromDefault;
  if (typeof exported !== 'function') {
    const names = Object.keys(ns).filter((k) => typeof ns[k] === 'function');
    throw new Error(`${path.basename(file)} has no function export '${parsed.export}'${names.length > 0 ? ` (it exports ${names.join(', ')})` : ''}`);
  }
  return exported as Handler;
}

/**
 * What to do about a package a handler imports that is not installed. Lambda's Node.js runtimes bring the
 * AWS SDK (v3, `@aws-sdk/*`, from nodejs18.x; v2, `aws-sdk`, up to nodejs16.x) and code deployed without it
 * works there; lambda-tui runs the handler on this machine, where it must be installed.
 *
 * @example missingPackageHint("Cannot find module '@aws-sdk/client-s3'", '/app/src/a.js') // "; Lambda's runtime ..."
 */
function missingPackageHint(message: string, file: string): string {
  const name = /Cannot find (?:module|package) '((?:@[^/']+\/)?[^/']+)/.exec(message)?.[1];
  if (!name || name.startsWith('.') || name.startsWith('/')) return '';
  const where = path.relative(process.cwd(), path.dirname(file)) || '.';
  const sdk = name === 'aws-sdk' || name.startsWith('@aws-sdk/');
  return sdk
    ? `; Lambda's Node.js runtime provides the AWS SDK, this machine does not: install it beside the handler (npm install ${name} in ${where})`
    : `; install the function's dependencies (npm install in ${where})`;
}
