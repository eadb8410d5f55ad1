/**
 * `lambda-tui import` (docs/import.md): a SAM, CloudFormation, CDK or Serverless Framework template into a
 * scenario. `importFile` reads and maps; emit.ts writes TypeScript or JSON; `scenarioForRun` gives the
 * loader a scenario to run in memory.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importTemplate, type ImportOptions, type ImportResult } from './map.js';
import { readTemplateSource } from './source.js';
import { withHandlers } from './emit.js';

export { TemplateError } from './parse.js';
export { isTemplateObject, looksLikeTemplatePath } from './source.js';
export { notImportedLines, toJson, toTypeScript } from './emit.js';
export type { ImportResult } from './map.js';

export interface ImportFileOptions extends ImportOptions {
  /** The stack of a cloud assembly. */
  stack?: string;
}

/**
 * Reads a template (or a cloud assembly) and maps it to a scenario. Throws TemplateError when the file
 * cannot be read; what AWS would refuse comes back in `errors`.
 *
 * @example
 * const result = importFile('template.yaml', { parameters: { Stage: 'prod' } });
 * result.errors.length === 0 && result.scenario.functions
 */
export function importFile(input: string, options: ImportFileOptions = {}): ImportResult {
  return importTemplate(readTemplateSource(input, { stack: options.stack }), options);
}

/**
 * Validation lines about an imported scenario with the template resource each generated entry came from:
 * `t.yaml: eventSourceMappings[0].batchSize: ...` becomes `t.yaml: eventSourceMappings[0] (Fn.Events.Q).batchSize: ...`.
 *
 * @example withOrigins(['t.yaml: eventSourceMappings[0].batchSize: 0 is out of range'], result)
 */
export function withOrigins(lines: string[], result: ImportResult): string[] {
  return lines.map((line) => {
    const m = /^(.*?: )(eventSourceMappings\[\d+\])/.exec(line);
    const origin = m ? result.origins[m[2]] : undefined;
    return origin ? `${m![1]}${m![2]} (${origin})${line.slice(m![0].length)}` : line;
  });
}

let inlineFolder: string | undefined;
let exitHook = false;
/** Where the folder is also noted, for a test setup that must not load this module to clean up after it. */
const INLINE_FOLDER = Symbol.for('lambda-tui.inlineFolder');

/**
 * This process's folder for inline code: made fresh (mkdtemp: a new name, 0700) and removed at exit. A
 * folder of the system's temporary directory with a fixed name would be someone else's to make first, and
 * a file planted there under the content hash of a public template's code would run as its handler.
 */
function inlineDir(): string {
  if (inlineFolder !== undefined && existsSync(inlineFolder)) return inlineFolder;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-inline-'));
  inlineFolder = dir;
  (globalThis as Record<symbol, unknown>)[INLINE_FOLDER] = dir;
  if (!exitHook) process.once('exit', removeInlineCode);
  exitHook = true;
  return dir;
}

/**
 * Removes this process's inline-code folder now (it is made again when needed). The process removes it
 * at exit; a test runner that ends its workers by a signal has no exit (test/setup-inline-code.ts).
 *
 * @example afterAll(removeInlineCode)
 */
export function removeInlineCode(): void {
  if (inlineFolder === undefined) return;
  rmSync(inlineFolder, { recursive: true, force: true });
  inlineFolder = undefined;
  delete (globalThis as Record<symbol, unknown>)[INLINE_FOLDER];
}

/**
 * The scenario to run in memory: handlers as file references relative to `baseDir`; inline code
 * (ZipFile, InlineCode) is written once to this process's own temporary folder, keyed by its content.
 */
export function scenarioForRun(result: ImportResult): { scenario: Record<string, unknown>; baseDir: string } {
  const { scenario } = withHandlers(result);
  const functions = scenario.functions as Record<string, Record<string, unknown>>;
  for (const [name, ref] of Object.entries(result.handlers)) {
    if (ref.kind !== 'inline') continue;
    const hash = createHash('sha256').update(ref.code).digest('hex').slice(0, 16);
    const file = path.join(inlineDir(), `${hash}.${ref.module === 'esm' ? 'mjs' : 'cjs'}`);
    if (!existsSync(file)) writeFileSync(file, ref.code, { mode: 0o600, flag: 'wx' });
    functions[name] = { handler: `${file.replace(/\.(c|m)?js$/, '')}.${ref.export}`, ...functions[name] };
  }
  return { scenario, baseDir: result.source.baseDir };
}
