/**
 * Finding the template to import: a SAM or CloudFormation file (YAML or JSON), a Serverless Framework
 * compiled template (`.serverless/cloudformation-template-update-stack.json`), or a CDK cloud assembly
 * folder (`cdk.out`), whose `manifest.json` lists the stacks and their template files.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseTemplate, TemplateError } from './parse.js';

export type TemplateKind = 'sam' | 'cloudformation' | 'cdk' | 'serverless';

/** A template read from disk, with where its paths are relative to. */
export interface TemplateSource {
  /** The template file as the user gave it (or, in a cloud assembly, the folder and the stack's file). */
  file: string;
  /** The folder handler paths (`CodeUri`, `aws:asset:path`) are relative to. */
  baseDir: string;
  kind: TemplateKind;
  /** The stack's name: the CDK stack, else the project folder or the file's base name. */
  stackName: string;
  template: Record<string, unknown>;
}

interface ManifestArtifact {
  type?: string;
  displayName?: string;
  properties?: { templateFile?: string; directoryName?: string; stackName?: string };
}

/** The stacks of a cloud assembly (and of nested assemblies, as CDK stages write them): name → template file. */
function assemblyStacks(dir: string, shown: string, depth = 0): Array<{ name: string; file: string; dir: string }> {
  const manifestFile = path.join(dir, 'manifest.json');
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (error) {
    throw new TemplateError(shown, [`${shown}: manifest.json does not read as JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const out: Array<{ name: string; file: string; dir: string }> = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      out.push({ name: artifact.displayName ?? artifact.properties.stackName ?? id, file: path.join(dir, artifact.properties.templateFile), dir });
      const stackName = artifact.properties.stackName;
      if (stackName && stackName !== out[out.length - 1].name) out.push({ ...out[out.length - 1], name: stackName });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName && depth < 4) {
      out.push(...assemblyStacks(path.join(dir, artifact.properties.directoryName), shown, depth + 1));
    }
  }
  return out;
}

function readText(file: string, shown: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new TemplateError(shown, [`${shown}: cannot be read`]);
  }
}

function transformsOf(template: Record<string, unknown>): string[] {
  const t = template.Transform;
  return (Array.isArray(t) ? t : t === undefined ? [] : [t]).filter((x): x is string => typeof x === 'string');
}

/** Whether a parsed JSON document is a template (it has Resources or AWSTemplateFormatVersion). */
export function isTemplateObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && ('Resources' in value || 'AWSTemplateFormatVersion' in value);
}

/** Whether a path names something `lambda-tui import` reads: a .yaml/.yml/.template file, or a cloud assembly folder. */
export function looksLikeTemplatePath(file: string): boolean {
  if (/\.(ya?ml|template)$/i.test(file)) return true;
  try {
    return statSync(file).isDirectory() && existsSync(path.join(file, 'manifest.json'));
  } catch {
    return false;
  }
}

/**
 * Reads a template or a cloud assembly. `stack` picks one stack of an assembly by its name (required when
 * the assembly has more than one). Throws TemplateError with lines naming the file.
 *
 * @example
 * const source = readTemplateSource('cdk.out', { stack: 'OrdersStack' });
 * source.kind // 'cdk'
 */
export function readTemplateSource(input: string, options: { stack?: string } = {}): TemplateSource {
  const absolute = path.resolve(input);
  let info;
  try {
    info = statSync(absolute);
  } catch {
    throw new TemplateError(input, [`${input}: no such file or folder`]);
  }
  if (info.isDirectory()) {
    if (!existsSync(path.join(absolute, 'manifest.json'))) {
      throw new TemplateError(input, [`${input}: is a folder without manifest.json; give a template file, or a CDK cloud assembly (cdk.out)`]);
    }
    const stacks = assemblyStacks(absolute, input);
    const names = [...new Set(stacks.map((s) => s.name))];
    if (stacks.length === 0) throw new TemplateError(input, [`${input}/manifest.json: lists no CloudFormation stacks (artifacts of type aws:cloudformation:stack)`]);
    let chosen = stacks[0];
    if (options.stack !== undefined) {
      const found = stacks.find((s) => s.name === options.stack);
      if (!found) throw new TemplateError(input, [`${input}: --stack ${options.stack}: no such stack; the assembly has ${names.join(', ')}`]);
      chosen = found;
    } else if (names.length > 1) {
      throw new TemplateError(input, [`${input}: the assembly has ${names.length} stacks (${names.join(', ')}); pick one with --stack NAME`]);
    }
    const shown = path.join(input, path.relative(absolute, chosen.file));
    return { file: shown, baseDir: chosen.dir, kind: 'cdk', stackName: chosen.name, template: parseTemplate(readText(chosen.file, shown), shown) };
  }
  if (options.stack !== undefined) {
    // A single template has one stack: --stack there is a mistake (a wrong path?), not something to ignore.
    throw new TemplateError(input, [`${input}: --stack ${options.stack}: --stack picks a stack of a CDK cloud assembly (a cdk.out folder); this is a single template`]);
  }
  const template = parseTemplate(readText(absolute, input), input);
  if (!isTemplateObject(template)) {
    throw new TemplateError(input, [`${input}: not a template: it has neither Resources nor AWSTemplateFormatVersion`]);
  }
  const parts = absolute.split(path.sep);
  const serverlessAt = parts.lastIndexOf('.serverless');
  const isCdk = Object.values((template.Resources ?? {}) as Record<string, { Type?: string; Metadata?: Record<string, unknown> }>).some(
    (r) => r?.Type === 'AWS::CDK::Metadata' || (r?.Metadata !== undefined && 'aws:cdk:path' in r.Metadata),
  );
  const kind: TemplateKind =
    serverlessAt >= 0 || /cloudformation-template-(update|create)-stack\.json$/.test(absolute)
      ? 'serverless'
      : transformsOf(template).includes('AWS::Serverless-2016-10-31')
        ? 'sam'
        : isCdk
          ? 'cdk'
          : 'cloudformation';
  // A Serverless Framework service packages the folder that holds .serverless: handler paths start there.
  const baseDir = serverlessAt >= 0 ? parts.slice(0, serverlessAt).join(path.sep) || path.sep : path.dirname(absolute);
  const base = path.basename(absolute).replace(/\.(ya?ml|json|template)$/i, '');
  const stackName = /^(template|cloudformation-template-update-stack|cloudformation-template-create-stack)$/.test(base)
    ? path.basename(baseDir) || base
    : base.replace(/\.template$/, '');
  return { file: input, baseDir, kind, stackName, template };
}
