/**
 * Loading scenario files: a `.ts` file is imported at runtime with jiti (Node 20 cannot strip types), its
 * default export is validated, and every problem comes back as one line naming the file. A `.json` file
 * is a JSON scenario (when it has `functions`) or a template (when it has `Resources` or
 * `AWSTemplateFormatVersion`); `.yaml`/`.yml` files and CDK cloud assemblies (`cdk.out`) are templates,
 * imported in memory (docs/import.md). Handlers given as file references (`'src/orders.handler'`) are
 * loaded relative to the scenario file (or the template).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';
import { scenarioImporter } from './importer.js';
import { oneLine } from '../exit-status.js';
import type { HandlerSource, Model } from './model.js';
import { formatValidationError, validateScenario } from './validate.js';
import { loadHandlerFile, moduleFile, parseHandlerReference } from './handler-file.js';
import { importFile, isTemplateObject, looksLikeTemplatePath, notImportedLines, scenarioForRun, TemplateError, withOrigins } from '../import/index.js';

/** A scenario file, loaded and validated. */
export interface LoadedScenario {
  /** The file as it was given (used in messages). */
  file: string;
  model: Model;
  /** For an imported template: the warnings and the not-imported lines, for stderr. */
  notes?: string[];
}

/** Options of loading a template (ignored for scenario files). */
export interface LoadOptions {
  /** The stack of a CDK cloud assembly. */
  stack?: string;
  /** Template parameters, `--parameter K=V`. */
  parameters?: Record<string, string>;
  /**
   * Changes the scenario object before it is validated (`--set`); it may throw ScenarioError. Also the
   * way to get the loaded object itself: a sweep keeps it to apply each point's values.
   */
  edit?: (scenario: object) => object;
}

/**
 * A scenario that cannot be loaded or is invalid. `lines` holds one line per problem, each starting with
 * the file; the CLI prints them and exits 1.
 *
 * @example
 * try { await loadScenario('scenarios/x.ts'); }
 * catch (e) { if (e instanceof ScenarioError) for (const line of e.lines) console.error(line); }
 */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly lines: string[],
  ) {
    super(lines.join('\n'));
    this.name = 'ScenarioError';
  }
}

/** The first line of a message: every problem is reported on one line. */
function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? text.trim();
}

/** Turns what jiti threw while importing the file into one line that names the file. */
function describeImportError(file: string, absolute: string, error: unknown): string {
  try {
    return oneLine(describeImportErrorUnsafe(file, absolute, error), 500);
  } catch {
    return `${file}: failed to load: ${describeThrown(error)}`;
  }
}

function describeImportErrorUnsafe(file: string, absolute: string, error: unknown): string {
  const message = error instanceof Error ? safeText(error.message) : safeText(error);
  // jiti reports syntax errors as "ParseError: <what>\n <file>:<line>:<column>".
  const parse = /ParseError:\s*(.*?)\s*\n\s*(.+):(\d+):(\d+)\s*$/s.exec(message);
  if (parse) return `${file}:${parse[3]}:${parse[4]}: syntax error: ${firstLine(parse[1]) || 'unexpected input'}`;
  // An error thrown while the module ran: name the scenario's line from the stack, when it is there.
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const escaped = absolute.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = new RegExp(`${escaped}:(\\d+):\\d+`).exec(stack);
  const name = error instanceof Error && error.name !== 'Error' ? `${safeText(error.name)}: ` : '';
  return `${file}${at ? `:${at[1]}` : ''}: failed to load: ${name}${firstLine(message)}`;
}

/**
 * Loads a scenario file, checks it against AWS's limits and returns its Model. Throws ScenarioError, with
 * one line per problem, when the file is missing, does not compile, throws while loading, has no default
 * export, or is invalid. The CLI's `--seed` and other overrides are applied by the caller.
 *
 * @example
 * const { model } = await loadScenario('scenarios/kinesis-error.ts');
 * model.eventSourceMappings[0].batchSize // 100
 */
export async function loadScenario(file: string, options: LoadOptions = {}): Promise<LoadedScenario> {
  const absolute = path.resolve(file);
  if (looksLikeTemplatePath(file) || (/\.json$/i.test(file) && isTemplateObject(readJson(file, absolute)))) {
    return loadTemplate(file, options);
  }
  if (/\.json$/i.test(file)) {
    const exported = fromJsonScenario(file, readJson(file, absolute));
    const references = await resolveHandlerReferences(file, exported, path.dirname(absolute));
    return withSources(validated(file, options.edit ? options.edit(exported) : exported), references);
  }
  const exported = { ...(await importScenario(file)) };
  const references = await resolveHandlerReferences(file, exported, path.dirname(absolute));
  return withSources(validated(file, options.edit ? options.edit(exported) : exported), references, absolute);
}

/**
 * Tells the sandbox where each function's real code is (docs/sandbox.md): a file reference by its module
 * file and export, an inline handler of a TypeScript scenario by its path in the default export (a
 * worker imports the scenario file again and takes the function from there).
 */
function withSources(loaded: LoadedScenario, references: Map<string, HandlerSource>, scenarioFile?: string): LoadedScenario {
  for (const fn of Object.values(loaded.model.functions)) {
    const reference = references.get(fn.name);
    if (reference) fn.handlerSource = reference;
    else if (fn.handler && scenarioFile) fn.handlerSource = { kind: 'inline', scenarioFile, path: ['functions', fn.name, 'handler'] };
    // A published version with code of its own (versions['2'].handler) is found by its own path.
    for (const [version, v] of Object.entries(fn.versions)) {
      if (v.handler && v.handler !== fn.handler && scenarioFile) {
        v.handlerSource = { kind: 'inline', scenarioFile, path: ['functions', fn.name, 'versions', version, 'handler'] };
      }
    }
  }
  return loaded;
}

/**
 * A handler line about a template's inline code (ZipFile, InlineCode) names the resource, not the temporary
 * file the code was written to: `t.yaml: Resources.Fn (inline code) failed to load: ...`.
 */
function inlineCodeLine(line: string, file: string, handlers: Record<string, { kind: string }>): string {
  const m = /^(.*?): functions\.([A-Za-z0-9]+)\.handler: '[^']*' .*? failed to load: (.*)$/.exec(line);
  if (!m || m[1] !== file || handlers[m[2]]?.kind !== 'inline') return line;
  const rest = m[3]
    .replace(/: install it beside the handler \(npm install (\S+) in [^)]*\)$/, ': inline code runs from a temporary file, so move it to a file beside the template and npm install $1 there')
    .replace(/; install the function's dependencies \(npm install in [^)]*\)$/, '; inline code runs from a temporary file, so move it to a file beside the template and npm install its dependencies there');
  return `${file}: Resources.${m[2]} (inline code) failed to load: ${rest.trimEnd()}`;
}

/** A template imported in memory (docs/import.md), validated as a scenario; its notes go to stderr. */
async function loadTemplate(file: string, options: LoadOptions): Promise<LoadedScenario> {
  let result;
  try {
    result = importFile(file, options);
  } catch (error) {
    if (error instanceof TemplateError) throw new ScenarioError(file, error.lines);
    throw error;
  }
  if (result.errors.length > 0) throw new ScenarioError(file, result.errors);
  const { scenario, baseDir } = scenarioForRun(result);
  const exported = fromJsonScenario(file, scenario);
  let references: Map<string, HandlerSource>;
  try {
    references = await resolveHandlerReferences(result.source.file, exported, baseDir);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    throw new ScenarioError(error.file, error.lines.map((line) => inlineCodeLine(line, result.source.file, result.handlers)));
  }
  let loaded: LoadedScenario;
  try {
    loaded = withSources(validated(result.source.file, options.edit ? options.edit(exported) : exported), references);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    // Name the template resource a generated entry came from.
    throw new ScenarioError(error.file, withOrigins(error.lines, result));
  }
  const notes = [...result.warnings, ...notImportedLines(result).map((line) => `${result.source.file}: not imported: ${line}`)];
  return { ...loaded, file, notes };
}

function readJson(file: string, absolute: string): unknown {
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch {
    throw new ScenarioError(file, [`${file}: no such file; run \`lambda-tui list\` to see the scenarios`]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(file, [`${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

/**
 * A JSON scenario as the validator takes it. JSON has no functions, so a traffic entry's `body` (and its
 * `messageAttributes`) is the value of every record of that entry (a copy each time), not a function of i.
 */
function fromJsonScenario(file: string, value: unknown): object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ScenarioError(file, [`${file}: not a scenario: a JSON scenario is an object with name and functions`]);
  }
  const scenario = { ...(value as Record<string, unknown>) };
  if (Array.isArray(scenario.traffic)) {
    scenario.traffic = scenario.traffic.map((entry: unknown) => {
      if (entry === null || typeof entry !== 'object') return entry;
      const out = { ...(entry as Record<string, unknown>) };
      for (const key of ['body', 'messageAttributes']) {
        const value = out[key];
        if (key in out && typeof value !== 'function' && value !== undefined) out[key] = () => structuredClone(value);
      }
      return out;
    });
  }
  return scenario;
}

/**
 * Replaces every handler given as a file reference (`'src/orders.handler'`) with the function it names,
 * loaded relative to `baseDir`. Each reference that does not load is one line naming the file and field.
 */
async function resolveHandlerReferences(file: string, exported: object, baseDir: string): Promise<Map<string, HandlerSource>> {
  const sources = new Map<string, HandlerSource>();
  const functions = (exported as { functions?: unknown }).functions;
  if (functions === null || typeof functions !== 'object') return sources;
  const importer = scenarioImporter();
  const problems: string[] = [];
  const resolved: Record<string, unknown> = { ...(functions as Record<string, unknown>) };
  for (const [name, spec] of Object.entries(resolved)) {
    if (spec === null || typeof spec !== 'object' || typeof (spec as { handler?: unknown }).handler !== 'string') continue;
    const reference = (spec as { handler: string }).handler;
    try {
      const handler = await loadHandlerFile(reference, baseDir, (f) => importer.import(f));
      resolved[name] = { ...spec, handler };
      const parsed = parseHandlerReference(reference);
      const module = 'error' in parsed ? undefined : moduleFile(baseDir, parsed.module);
      if (module && !('error' in parsed)) sources.set(name, { kind: 'file', file: module, exportName: parsed.export, setting: reference });
    } catch (error) {
      problems.push(`${file}: functions.${name}.handler: '${reference}' ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) throw new ScenarioError(file, problems);
  (exported as { functions: unknown }).functions = resolved;
  return sources;
}

/** The words of the line for a scenario whose values validation could not read (see validated). */
export const VALIDATION_FAILED = 'cannot be validated';

/**
 * Validates a scenario object as the loader does after importing a file (the fuzz uses it in-process);
 * throws ScenarioError with one line per problem.
 *
 * @example const { model } = validateExport('x.ts', { name: 'x', functions: { f: {} } });
 */
export function validateExport(file: string, exported: object): LoadedScenario {
  return validated(file, exported);
}

/** The most problems reported for one file. */
const MAX_REPORTED = 50;

/** Validates an imported default export; throws ScenarioError with one line per problem. */
function validated(file: string, exported: object): LoadedScenario {
  let model: Model | undefined;
  let errors: ReturnType<typeof validateScenario>['errors'] = [];
  try {
    const result = validateScenario(exported, file);
    model = result.model;
    errors = result.errors;
  } catch (error) {
    // A value validation could not even read (a getter or Proxy that throws, a structure too deep for the
    // stack): still one line, never a stack. VALIDATION_FAILED marks it for the fuzz as a finding.
    const why = error instanceof RangeError ? 'it is nested too deeply' : describeThrown(error);
    throw new ScenarioError(file, [`${file}: ${VALIDATION_FAILED}: ${why}`]);
  }
  if (!model) {
    // At most MAX_REPORTED lines, then how many more: 8,000 bad keys are one problem repeated, and only
    // the lines shown are formatted.
    const lines = errors.slice(0, MAX_REPORTED).map(formatValidationError);
    const more = errors.length - MAX_REPORTED;
    if (more > 0) lines.push(`${file}: and ${more} more problem${more === 1 ? '' : 's'}`);
    throw new ScenarioError(file, lines);
  }
  return { file, model };
}

/** The largest scenario file the loader reads: one written by hand or by a tool is far smaller. */
const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;

/**
 * How long a scenario file may take to load (ms) before the loader gives up on it: a top-level await that
 * never settles would otherwise hang, or end the process with Node's silent status 13. The environment
 * variable LAMBDA_TUI_IMPORT_TIMEOUT_MS changes it (tests use a short one).
 */
export const IMPORT_TIMEOUT_MS = 10_000;

function importTimeoutMs(): number {
  const n = Number(process.env.LAMBDA_TUI_IMPORT_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : IMPORT_TIMEOUT_MS;
}

/**
 * What a scenario file's `process.exit(code)` throws while it loads: the loader reports it as a load
 * error instead of letting the file end the process with a status of its choosing. The CLI's handler for
 * uncaught exceptions ignores it (a call from a timer during the load is reported by the loader).
 *
 * @example if (error instanceof ImportExit) return; // the loader reports it
 */
export class ImportExit extends Error {
  constructor(readonly code: unknown) {
    super(`process.exit(${safeText(code)}) called while the scenario loads`);
    this.name = 'ImportExit';
  }
}

/** String(value), for values whose conversion itself may throw (a Proxy, a throwing toString). */
function safeText(value: unknown): string {
  try {
    return typeof value === 'symbol' ? value.toString() : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Runs a scenario file's import with the guards a file of someone else's code needs while it loads:
 * stdout is kept for lambda-tui's own output (what the file writes there, console.log included, goes to
 * stderr, so `--json` stays JSON); `process.exit` is reported instead of obeyed; a promise rejected and
 * never handled is reported; an import that does not settle within the time limit is abandoned. Every
 * problem becomes one ScenarioError line naming the file.
 */
async function guardedImport(file: string, absolute: string, load: () => Promise<unknown>): Promise<unknown> {
  const realExit = process.exit;
  const realStdoutWrite = process.stdout.write;
  const realConsole = { log: console.log, info: console.info, debug: console.debug, dir: console.dir, table: console.table };
  const rejections: unknown[] = [];
  let exitCode: { code: unknown } | undefined;
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  process.exit = ((code?: unknown) => {
    exitCode ??= { code };
    throw new ImportExit(code);
  }) as typeof process.exit;
  process.stdout.write = ((...args: Parameters<typeof process.stdout.write>) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(...args)) as typeof process.stdout.write;
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  console.dir = (item: unknown, options?: object) => console.error(inspectForDir(item, options));
  console.table = console.error;

  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = importTimeoutMs();
  try {
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown } | 'timeout';
    try {
      outcome = await Promise.race([
        load().then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    // A rejection nobody handles is reported after the microtasks of this turn: give it that turn.
    await new Promise((resolve) => setImmediate(resolve));
    if (exitCode) {
      throw new ScenarioError(file, [`${file}: calls process.exit(${safeText(exitCode.code)}) while it loads; a scenario file must not end the process`]);
    }
    if (outcome === 'timeout') {
      throw new ScenarioError(file, [
        `${file}: did not finish loading within ${(timeoutMs / 1000).toFixed(timeoutMs % 1000 === 0 ? 0 : 1)} s (a top-level await that never settles?)`,
      ]);
    }
    if (!outcome.ok) throw new ScenarioError(file, [describeImportError(file, absolute, outcome.error)]);
    if (rejections.length > 0) {
      const more = rejections.length > 1 ? ` (and ${rejections.length - 1} more)` : '';
      throw new ScenarioError(file, [`${file}: a promise was rejected and never handled while it loads: ${describeThrown(rejections[0])}${more}`]);
    }
    return outcome.value;
  } finally {
    process.off('unhandledRejection', onRejection);
    process.exit = realExit;
    process.stdout.write = realStdoutWrite;
    Object.assign(console, realConsole);
  }
}

function inspectForDir(item: unknown, options?: object): string {
  try {
    return inspect(item, options);
  } catch {
    return safeText(item);
  }
}

/** One line for whatever was thrown or rejected with, even a value whose message getter throws. */
function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) {
      const name = thrown.name && thrown.name !== 'Error' ? `${safeText(thrown.name)}: ` : '';
      return oneLine(`${name}${firstLine(safeText(thrown.message))}`);
    }
    return oneLine(safeText(thrown));
  } catch {
    return 'a value that cannot be shown';
  }
}

/** Imports a scenario file and returns its default export, checked only to be an object. */
async function importScenario(file: string): Promise<object> {
  const absolute = path.resolve(file);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) {
    throw new ScenarioError(file, [`${file}: no such file; run \`lambda-tui list\` to see the scenarios`]);
  }
  if (info.isDirectory()) {
    throw new ScenarioError(file, [`${file}: is a directory; give a scenario file, or run \`lambda-tui list ${file}\``]);
  }

  if (!info.isFile()) {
    throw new ScenarioError(file, [`${file}: is not a regular file (a pipe, a device or a socket); give a scenario file`]);
  }
  if (info.size > MAX_SCENARIO_BYTES) {
    throw new ScenarioError(file, [`${file}: is ${info.size} bytes; a scenario file may be at most ${MAX_SCENARIO_BYTES} bytes (4 MiB)`]);
  }

  const namespace = await guardedImport(file, absolute, () => scenarioImporter().import(absolute));
  const exported = isModule(namespace) && 'default' in namespace ? namespace.default : undefined;
  if (exported === undefined) {
    throw new ScenarioError(file, [`${file}: has no default export; end it with export default defineScenario({ name, functions, ... })`]);
  }
  if (typeof exported !== 'object' || exported === null || Array.isArray(exported)) {
    throw new ScenarioError(file, [
      `${file}: its default export is ${describeKind(exported)}, not a scenario object; export default defineScenario({ name, functions, ... })`,
    ]);
  }
  return exported;
}

function isModule(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  return `a ${typeof value}`;
}

/** One row of `lambda-tui list`. */
export interface ScenarioListing {
  /** The directory joined with the file name. */
  file: string;
  /** The scenario's name, or the file name when it cannot be read. */
  name: string;
  description: string;
  /** Why the file does not load (the first problem, and how many more), when it does not. */
  error?: string;
}

/**
 * Lists the scenario files (`*.ts`, not `*.d.ts`) of a directory, sorted by file, each loaded and validated.
 * A broken file is listed with its error rather than thrown; a missing directory throws ScenarioError.
 *
 * @example
 * for (const s of await listScenarios('scenarios')) console.log(s.file, s.name, s.error ?? s.description);
 */
export async function listScenarios(dir: string): Promise<ScenarioListing[]> {
  let names: string[];
  try {
    const dirents = await readdir(dir, { withFileTypes: true });
    names = dirents.filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.d.ts')).map((d) => d.name);
  } catch {
    throw new ScenarioError(dir, [`${dir}: no such directory; give a folder of scenario files`]);
  }
  names.sort();
  const out: ScenarioListing[] = [];
  // One at a time: loading runs scenario code, and a list in file order reads the same every time.
  for (const name of names) {
    const file = path.join(dir, name);
    let exported: object | undefined;
    try {
      exported = { ...(await importScenario(file)) };
      // Handler file references ('./src/orders.handler') are resolved as a run and `validate` resolve them.
      await resolveHandlerReferences(file, exported, path.dirname(file));
      const { model } = validated(file, exported);
      out.push({ file, name: model.name, description: model.description });
    } catch (error) {
      const lines = error instanceof ScenarioError ? error.lines : [`${file}: ${error instanceof Error ? error.message : String(error)}`];
      const more = lines.length > 1 ? ` (and ${lines.length - 1} more problem${lines.length > 2 ? 's' : ''})` : '';
      // A file that imports but does not validate still shows the name and description it declares.
      const { name: declared, description } = (exported ?? {}) as { name?: unknown; description?: unknown };
      out.push({
        file,
        name: typeof declared === 'string' && declared !== '' ? declared : path.basename(name, '.ts'),
        description: typeof description === 'string' ? description : '',
        error: `${firstLine(lines[0])}${more}`,
      });
    }
  }
  return out;
}
