import { describe, expect, it } from 'vitest';
import { parseTemplate, TemplateError } from '../../src/import/parse.js';
import { Resolver, NO_VALUE } from '../../src/import/intrinsics.js';

function resolver(over: Partial<ConstructorParameters<typeof Resolver>[0]> = {}, warnings: string[] = []) {
  return new Resolver({
    parameters: { Env: 'dev', Size: 3, Names: ['a', 'b'] },
    conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Env' }, 'dev'] }, IsProd: { 'Fn::Not': [{ Condition: 'IsDev' }] } },
    mappings: { Config: { dev: { Batch: 5 } } },
    pseudo: { 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012', 'AWS::Partition': 'aws' },
    refOf: (id) => (id === 'Queue' ? 'https://sqs.eu-west-1.amazonaws.com/123456789012/q' : undefined),
    attOf: (id, att) => (id === 'Queue' && att === 'Arn' ? 'arn:aws:sqs:eu-west-1:123456789012:q' : undefined),
    warn: (m) => warnings.push(m),
    ...over,
  });
}

describe('CloudFormation YAML: every short-form intrinsic reads as its long form', () => {
  it('turns each tag, in scalar, sequence and mapping form, into the Fn:: object CloudFormation uses', () => {
    const t = parseTemplate(
      [
        'A: !Ref X',
        'B: !GetAtt Queue.Arn',
        'C: !GetAtt [Queue, Arn]',
        "D: !Sub 'x-${Env}'",
        'E: !Sub [ "${A}-b", { A: !Ref Env } ]',
        "F: !Join ['-', [a, !Ref Env]]",
        'G: !Select [0, !GetAZs ""]',
        "H: !Split [',', 'a,b']",
        'I: !FindInMap [Config, !Ref Env, Batch]',
        'J: !If [IsDev, 1, 2]',
        'K: !Equals [a, a]',
        'L: !And [!Condition IsDev, !Or [!Condition IsDev, !Not [!Condition IsProd]]]',
        'M: !Base64 hi',
        'N: !ImportValue shared-arn',
        'O: !Cidr [10.0.0.0/16, 2, 8]',
        'P: !ToJsonString { a: 1 }',
        'Q: !Length [1, 2]',
      ].join('\n'),
      't.yaml',
    );
    expect(t).toMatchObject({
      A: { Ref: 'X' },
      B: { 'Fn::GetAtt': ['Queue', 'Arn'] },
      C: { 'Fn::GetAtt': ['Queue', 'Arn'] },
      D: { 'Fn::Sub': 'x-${Env}' },
      E: { 'Fn::Sub': ['${A}-b', { A: { Ref: 'Env' } }] },
      F: { 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] },
      G: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      H: { 'Fn::Split': [',', 'a,b'] },
      I: { 'Fn::FindInMap': ['Config', { Ref: 'Env' }, 'Batch'] },
      J: { 'Fn::If': ['IsDev', 1, 2] },
      K: { 'Fn::Equals': ['a', 'a'] },
      L: { 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Or': [{ Condition: 'IsDev' }, { 'Fn::Not': [{ Condition: 'IsProd' }] }] }] },
      M: { 'Fn::Base64': 'hi' },
      N: { 'Fn::ImportValue': 'shared-arn' },
      O: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
      P: { 'Fn::ToJsonString': { a: 1 } },
      Q: { 'Fn::Length': [1, 2] },
    });
  });

  it('reports an unknown tag and bad YAML with the file and line', () => {
    expect(() => parseTemplate('a: 1\nb: !Bogus x\n', 't.yaml')).toThrow(/t\.yaml:2: .*!Bogus/);
    expect(() => parseTemplate('a: [1, 2\n', 't.yaml')).toThrow(TemplateError);
    expect(() => parseTemplate('{ "a": ', 't.json')).toThrow(/t\.json: not valid JSON/);
  });
});

describe('intrinsics resolve where the template allows', () => {
  it('evaluates parameters, pseudo parameters, mappings, conditions and the string functions', () => {
    const r = resolver();
    expect(r.resolve({ 'Fn::Sub': '${Env}-${AWS::Region}-${Queue.Arn}-${!Literal}' }, 'x')).toBe('dev-eu-west-1-arn:aws:sqs:eu-west-1:123456789012:q-${Literal}');
    expect(r.resolve({ 'Fn::Sub': ['${A}/${Size}', { A: { Ref: 'AWS::AccountId' } }] }, 'x')).toBe('123456789012/3');
    expect(r.resolve({ 'Fn::Join': [':', [{ Ref: 'Env' }, { 'Fn::GetAtt': ['Queue', 'Arn'] }]] }, 'x')).toBe('dev:arn:aws:sqs:eu-west-1:123456789012:q');
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] }, 'x')).toBe('b');
    expect(r.resolve({ 'Fn::Select': [1, { Ref: 'Names' }] }, 'x')).toBe('b');
    expect(r.resolve({ 'Fn::FindInMap': ['Config', { Ref: 'Env' }, 'Batch'] }, 'x')).toBe(5);
    expect(r.resolve({ 'Fn::If': ['IsProd', 'big', 'small'] }, 'x')).toBe('small');
    expect(r.resolve({ 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Or': [{ Condition: 'IsProd' }, true] }] }, 'x')).toBe(true);
    expect(r.resolve({ 'Fn::Base64': 'hi' }, 'x')).toBe('aGk=');
    expect(r.resolve({ Ref: 'Queue' }, 'x')).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/q');
    expect(r.resolve({ 'Fn::GetAZs': '' }, 'x')).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  it('removes a property set to AWS::NoValue', () => {
    expect(resolver().resolve({ a: { Ref: 'AWS::NoValue' }, b: [1, { 'Fn::If': ['IsProd', 2, { Ref: 'AWS::NoValue' }] }] }, 'x')).toEqual({ b: [1] });
    expect(resolver().resolve({ Ref: 'AWS::NoValue' }, 'x')).toBe(NO_VALUE);
  });

  it('turns an import from another stack or an unknown reference into a named placeholder and a warning, never a crash', () => {
    const warnings: string[] = [];
    const r = resolver({}, warnings);
    expect(r.resolve({ 'Fn::ImportValue': { 'Fn::Sub': '${Env}-orders-arn' } }, 'Resources.F.Properties.X')).toBe('${ImportValue:dev-orders-arn}');
    expect(r.resolve({ Ref: 'Nowhere' }, 'Resources.F.Properties.Y')).toBe('${Ref:Nowhere}');
    expect(r.resolve({ 'Fn::GetAtt': ['Nowhere', 'Arn'] }, 'Resources.F.Properties.Z')).toBe('${GetAtt:Nowhere.Arn}');
    expect(warnings).toEqual([
      "Resources.F.Properties.X.Fn::ImportValue: Fn::ImportValue 'dev-orders-arn' is exported by another stack; it becomes the placeholder ${ImportValue:dev-orders-arn}",
      "Resources.F.Properties.Y.Ref: Ref to 'Nowhere', which is neither a parameter nor a resource of the template; it becomes the placeholder ${Ref:Nowhere}",
      "Resources.F.Properties.Z.Fn::GetAtt: Fn::GetAtt to 'Nowhere', which is not a resource of the template; it becomes the placeholder ${GetAtt:Nowhere.Arn}",
    ]);
  });
});
