/**
 * `lambda-tui import <template> [-o FILE] [--json] [--stack NAME] [--parameter K=V]` (docs/import.md):
 * prints (or writes) the scenario, lists on stderr what was not imported and every warning, and exits 1
 * with the errors AWS would give when the template would not deploy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { validateScenario, formatValidationError } from '../scenario/validate.js';
import { importFile, notImportedLines, scenarioForRun, TemplateError, toJson, toTypeScript, withOrigins, type ImportFileOptions } from './index.js';

export interface ImportCommandOptions extends ImportFileOptions {
  out?: string;
  json: boolean;
}

/** Runs the import command; resolves to the exit status. */
export async function importCommand(input: string, options: ImportCommandOptions): Promise<number> {
  let result;
  try {
    result = importFile(input, options);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    for (const line of error.lines) process.stderr.write(line + '\n');
    return 1;
  }
  for (const line of result.warnings) process.stderr.write(`${line}\n`);
  for (const line of notImportedLines(result)) process.stderr.write(`${result.source.file}: not imported: ${line}\n`);
  if (result.errors.length > 0) {
    for (const line of result.errors) process.stderr.write(`${line}\n`);
    return 1;
  }
  // The scenario must pass the same validation a run would apply (handlers are checked when it loads).
  const { scenario } = scenarioForRun(result);
  const functions = Object.fromEntries(Object.entries(scenario.functions as Record<string, Record<string, unknown>>).map(([k, v]) => [k, { ...v, handler: undefined }]));
  const traffic = (scenario.traffic as Array<Record<string, unknown>>).map((t) => ({
    ...t,
    ...('body' in t ? { body: () => t.body } : {}),
    ...('messageAttributes' in t ? { messageAttributes: () => t.messageAttributes } : {}),
  }));
  const { errors } = validateScenario({ ...scenario, functions, traffic }, result.source.file);
  if (errors.length > 0) {
    for (const line of withOrigins(errors.map(formatValidationError), result)) process.stderr.write(`${line}\n`);
    return 1;
  }
  const asJson = options.json || (options.out !== undefined && /\.json$/i.test(options.out));
  const { text, extra } = asJson ? toJson(result, { out: options.out }) : toTypeScript(result, { out: options.out });
  if (!options.out) {
    process.stdout.write(text);
    return 0;
  }
  for (const file of extra) {
    mkdirSync(path.dirname(file.file), { recursive: true });
    writeFileSync(file.file, file.text);
    process.stderr.write(`wrote ${path.relative(process.cwd(), file.file)} (inline code from the template)\n`);
  }
  mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  writeFileSync(options.out, text);
  process.stderr.write(`wrote ${options.out}: run it with \`lambda-tui ${options.out}\`\n`);
  return 0;
}
