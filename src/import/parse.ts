/**
 * Reading a template: CloudFormation YAML (with every short-form intrinsic tag) or JSON, into the plain
 * object CloudFormation itself works on, where `!Ref X` is `{ Ref: 'X' }` and `!GetAtt A.B` is
 * `{ 'Fn::GetAtt': ['A', 'B'] }` (the long forms of docs/import.md, "Intrinsics").
 */
import { parseDocument, type Tags } from 'yaml';

/** A template that cannot be read; `lines` holds one line per problem, each naming the file. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly lines: string[],
  ) {
    super(lines.join('\n'));
    this.name = 'TemplateError';
  }
}

/** The short-form tags CloudFormation's YAML accepts, and the long form each one stands for. */
const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  Base64: 'Fn::Base64',
  ImportValue: 'Fn::ImportValue',
  GetAZs: 'Fn::GetAZs',
  Cidr: 'Fn::Cidr',
  Transform: 'Fn::Transform',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

function toPlain(value: unknown): unknown {
  return value !== null && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function'
    ? (value as { toJSON(): unknown }).toJSON()
    : value;
}

/** One custom tag per short form and node kind (scalar, sequence, mapping), for the `yaml` library. */
function cloudFormationTags(): Tags {
  const tags: Tags = [];
  for (const [short, long] of Object.entries(SHORT_FORMS)) {
    for (const collection of [undefined, 'seq', 'map'] as const) {
      tags.push({
        tag: `!${short}`,
        ...(collection ? { collection } : {}),
        resolve: (value: unknown) => {
          const plain = toPlain(value);
          // `!GetAtt Resource.Attribute` is the one short form whose scalar splits (at the first dot).
          if (short === 'GetAtt' && typeof plain === 'string') {
            const dot = plain.indexOf('.');
            return { [long]: dot < 0 ? [plain] : [plain.slice(0, dot), plain.slice(dot + 1)] };
          }
          return { [long]: plain };
        },
      } as Tags[number]);
    }
  }
  return tags;
}

/**
 * Parses a template's text: JSON when it starts with `{`, YAML otherwise (YAML 1.2 core schema, as
 * CloudFormation's parser reads `true`, numbers and strings). Throws TemplateError naming the line.
 *
 * @example
 * parseTemplate('Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  F:\n    Properties: { Queue: !GetAtt Q.Arn }', 't.yaml')
 * // { Resources: { Q: { Type: 'AWS::SQS::Queue' }, F: { Properties: { Queue: { 'Fn::GetAtt': ['Q', 'Arn'] } } } } }
 */
export function parseTemplate(text: string, file: string): Record<string, unknown> {
  let parsed: unknown;
  if (text.trimStart().startsWith('{')) {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new TemplateError(file, [`${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
    }
  } else {
    const doc = parseDocument(text, { customTags: cloudFormationTags(), uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length > 0) {
      throw new TemplateError(
        file,
        doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? '?'}:${e.linePos?.[0]?.col ?? '?'}: not valid YAML: ${e.message.split('\n')[0]}`),
      );
    }
    const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
    if (unknownTag) {
      throw new TemplateError(file, [
        `${file}:${unknownTag.linePos?.[0]?.line ?? '?'}: ${unknownTag.message.split('\n')[0]}; CloudFormation knows !${Object.keys(SHORT_FORMS).join(', !')}`,
      ]);
    }
    parsed = doc.toJS({ maxAliasCount: 1000 });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TemplateError(file, [`${file}: not a template: its top level is not a mapping with Resources`]);
  }
  return parsed as Record<string, unknown>;
}
