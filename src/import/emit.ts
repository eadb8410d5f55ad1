/**
 * Writing an imported scenario out: as a TypeScript file a person is glad to edit (defineScenario, the
 * template's logical ids as names, a comment naming each resource's type, the traffic to change, and the
 * list of what was not imported), or as a JSON scenario file. Handlers become file references relative to
 * the file written (`'src/orders.handler'`), the way Lambda's own Handler setting reads.
 */
import path from 'node:path';
import type { HandlerRef, ImportResult } from './map.js';

/** A file the import writes beside the scenario (inline `ZipFile` code). */
export interface ExtraFile {
  file: string;
  text: string;
}

export interface EmitOptions {
  /** The file the scenario is written to; handler paths are relative to its folder. Without it: the template's folder. */
  out?: string;
}

const KIND_NAMES = { sam: 'AWS SAM', cloudformation: 'CloudFormation', cdk: 'a CDK cloud assembly', serverless: 'Serverless Framework' } as const;

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

/** `src/orders.handler`: the module path without its extension, relative to `dir`, then the export. */
function handlerReference(file: string, exportName: string, dir: string): string {
  const rel = posix(path.relative(dir, file)).replace(/\.(c|m)?(j|t)s$/, '');
  return `${rel}.${exportName}`;
}

/**
 * The scenario with handler references filled in, and the inline-code files to write. Inline code is only
 * written when there is an output file to put it beside; otherwise the function keeps the default handler.
 */
export function withHandlers(result: ImportResult, options: EmitOptions = {}): { scenario: Record<string, unknown>; extra: ExtraFile[]; inlineOmitted: string[] } {
  const dir = options.out ? path.dirname(path.resolve(options.out)) : result.source.baseDir;
  const extra: ExtraFile[] = [];
  const inlineOmitted: string[] = [];
  const functions: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(result.scenario.functions)) {
    const ref: HandlerRef | undefined = result.handlers[name];
    let handler: string | undefined;
    if (ref?.kind === 'file') handler = handlerReference(ref.file, ref.export, dir);
    else if (ref?.kind === 'inline') {
      if (options.out) {
        const base = path.basename(options.out).replace(/\.(json|ts)$/, '');
        const file = path.join(dir, `${base}.inline`, `${name}.${ref.module === 'esm' ? 'mjs' : 'cjs'}`);
        extra.push({ file, text: ref.code.endsWith('\n') ? ref.code : `${ref.code}\n` });
        handler = handlerReference(file, ref.export, dir);
      } else {
        inlineOmitted.push(name);
      }
    }
    functions[name] = handler ? { handler, ...spec } : { ...spec };
  }
  return { scenario: { ...result.scenario, functions }, extra, inlineOmitted };
}

/** The scenario as a JSON scenario file (handlers as file references). */
export function toJson(result: ImportResult, options: EmitOptions = {}): { text: string; extra: ExtraFile[] } {
  const { scenario, extra } = withHandlers(result, options);
  return { text: JSON.stringify(scenario, null, 2) + '\n', extra };
}

// ---- TypeScript ----------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name);
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function commentSafe(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

/** The fields of a traffic entry that are functions of the record index in a scenario file. */
const FUNCTION_FIELDS = ['body', 'messageAttributes'];

/** A traffic entry's path (`traffic.3`): only there are `body` and `messageAttributes` functions. */
const TRAFFIC_ENTRY = /^traffic\.\d+$/;

/**
 * A value on one line. With `entry` (a traffic entry), its `body` and `messageAttributes` become
 * `() => (...)`; nowhere else (an SQS filter pattern's `body` is a pattern, not a function).
 */
function inline(value: unknown, entry = false): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return quote(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => inline(v)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${key(k)}: ${entry && FUNCTION_FIELDS.includes(k) && typeof v === 'object' && v !== null ? `() => (${inline(v)})` : inline(v)}`).join(', ')} }`;
}

class Printer {
  constructor(private readonly comments: Record<string, string[]>) {}

  private hasComments(prefix: string): boolean {
    return Object.keys(this.comments).some((k) => k.startsWith(`${prefix}.`));
  }

  /** The value at `at`, indented by `depth` levels, with the comments for its entries. */
  value(value: unknown, at: string, depth: number, field?: string): string {
    const pad = '  '.repeat(depth);
    const parent = at.slice(0, at.lastIndexOf('.'));
    const fn = field !== undefined && FUNCTION_FIELDS.includes(field) && TRAFFIC_ENTRY.test(parent) && typeof value === 'object' && value !== null;
    const one = fn ? `() => (${inline(value)})` : inline(value, TRAFFIC_ENTRY.test(at));
    if (typeof value !== 'object' || value === null || (depth > 0 && !this.hasComments(at) && pad.length + one.length <= 96)) return one;
    const inner = '  '.repeat(depth + 1);
    const lines: string[] = [];
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value as Record<string, unknown>);
    for (const [k, v] of entries) {
      const path = at ? `${at}.${k}` : k;
      for (const c of this.comments[path] ?? []) lines.push(`${inner}// ${commentSafe(c)}`);
      const printed = this.value(v, path, depth + 1, Array.isArray(value) ? undefined : k);
      lines.push(Array.isArray(value) ? `${inner}${printed},` : `${inner}${key(k)}: ${printed},`);
    }
    for (const c of this.comments[at ? `${at}.$end` : '$end'] ?? []) lines.push(c === '' ? '' : `${inner}// ${commentSafe(c)}`);
    return Array.isArray(value) ? `[\n${lines.join('\n')}\n${pad}]` : `{\n${lines.join('\n')}\n${pad}}`;
  }
}

function wrap(text: string, width: number, prefix: string): string[] {
  const words = text.split(/\s+/);
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && prefix.length + line.length + 1 + w.length > width) {
      out.push(prefix + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(prefix + line);
  return out;
}

/** The not-imported list, one line each: `id  type  reason`. */
export function notImportedLines(result: ImportResult): string[] {
  const idWidth = Math.min(40, Math.max(0, ...result.notImported.map((n) => n.id.length)));
  const typeWidth = Math.min(36, Math.max(0, ...result.notImported.map((n) => n.type.length)));
  return result.notImported.map((n) => `${n.id.padEnd(idWidth)}  ${n.type.padEnd(typeWidth)}  ${n.reason}`);
}

/**
 * The scenario as a TypeScript file.
 *
 * @example
 * const { text } = toTypeScript(importTemplate(readTemplateSource('template.yaml')), { out: 'scenario.ts' });
 * // import { defineScenario } from 'lambda-tui'; export default defineScenario({ ... });
 */
export function toTypeScript(result: ImportResult, options: EmitOptions = {}): { text: string; extra: ExtraFile[] } {
  const { scenario, extra, inlineOmitted } = withHandlers(result, options);
  const comments: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(result.comments)) comments[k] = [...v];
  for (const name of inlineOmitted) {
    (comments[`functions.${name}`] ??= []).push('its code is inline in the template (ZipFile/InlineCode): import with -o FILE to write it beside the scenario and run it');
  }
  if (scenario.traffic && (scenario.traffic as unknown[]).length > 0) {
    (comments['traffic.0'] ??= []).unshift('One entry per entry point, at a modest 1 per second: change the rates, counts and bodies to what you expect.');
  }
  if (result.deployments.length > 0) {
    const end = (comments['$end'] ??= []);
    end.push('');
    for (const { function: fn, entry } of result.deployments) {
      end.push(
        `${fn}'s DeploymentPreference: the next deploy shifts ${String(entry.alias)} to a new version. To rehearse it, add that version`,
        `(functions.${fn}.versions['2'] = { handler: ... }, e.g. a buggy copy) and uncomment this:`,
      );
    }
    end.push('deployments: [');
    for (const { entry } of result.deployments) end.push(`  ${inline(entry)},`);
    end.push('],');
  }
  const source = posix(path.relative(options.out ? path.dirname(path.resolve(options.out)) : process.cwd(), path.resolve(result.source.file))) || result.source.file;
  const header = [
    '/**',
    ...wrap(
      `${scenario.name as string}: imported from ${source} (${KIND_NAMES[result.source.kind]}) by \`lambda-tui import\`. Edit it freely: the names are the template's logical ids, durations are lambda-tui's defaults (a template cannot say how long code runs: set each function's duration), and the traffic is a guess to change.`,
      104,
      ' * ',
    ),
  ];
  if (result.notImported.length > 0) {
    header.push(' *', ' * Not imported (logical id, type, reason):');
    for (const line of notImportedLines(result)) header.push(` *   ${commentSafe(line)}`);
  }
  header.push(' */');
  const body = new Printer(comments).value(scenario, '', 0);
  const text = `${header.join('\n')}\nimport { defineScenario } from 'lambda-tui';\n\nexport default defineScenario(${body});\n`;
  return { text, extra };
}
