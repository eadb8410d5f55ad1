/**
 * Function URLs come in as synchronous traffic via 'url' (docs/import.md): SAM's FunctionUrlConfig (on the
 * AutoPublishAlias when there is one) and CloudFormation's AWS::Lambda::Url (on a Qualifier alias).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/import/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

function templateFile(template: object): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-url-'));
  writeFileSync(path.join(dir, 'index.js'), 'exports.handler = async (event) => ({ statusCode: 200, body: event.requestContext.domainName });\n');
  const file = path.join(dir, 'template.json');
  writeFileSync(file, JSON.stringify(template));
  return file;
}

describe('import: function URLs', () => {
  const file = templateFile({
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      Web: {
        Type: 'AWS::Serverless::Function',
        Properties: { Handler: 'index.handler', Runtime: 'nodejs20.x', CodeUri: '.', AutoPublishAlias: 'live', FunctionUrlConfig: { AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' } },
      },
      Admin: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: 'exports.handler = async () => ({ statusCode: 204 });' }, Role: 'arn:aws:iam::123456789012:role/r' } },
      AdminVersion: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Admin' } } },
      AdminAlias: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Admin' }, FunctionVersion: { 'Fn::GetAtt': ['AdminVersion', 'Version'] }, Name: 'prod' } },
      AdminUrl: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { 'Fn::GetAtt': ['Admin', 'Arn'] }, Qualifier: 'prod', AuthType: 'AWS_IAM' } },
    },
  });

  it('writes url traffic on the alias, with the AuthType and the InvokeMode', () => {
    const r = importFile(file);
    expect(r.errors).toEqual([]);
    const traffic = (r.scenario as any).traffic.filter((t: any) => t.via === 'url');
    expect(traffic).toEqual([
      { invoke: 'Web:live', type: 'RequestResponse', via: 'url', rate: 1, http: { method: 'GET', path: '/' }, url: { authType: 'NONE', invokeMode: 'RESPONSE_STREAM' } },
      { invoke: 'Admin:prod', type: 'RequestResponse', via: 'url', rate: 1, http: { method: 'GET', path: '/' }, url: { authType: 'AWS_IAM' } },
    ]);
    expect(r.notImported.map((n) => n.id)).not.toContain('Web.FunctionUrlConfig.InvokeMode');
  });

  it('refuses an InvokeMode AWS does not have, naming the template field', () => {
    const bad = templateFile({
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: 'exports.handler = async () => 1;' }, Role: 'arn:aws:iam::123456789012:role/r' } },
        FnUrl: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] }, AuthType: 'NONE', InvokeMode: 'STREAMING' } },
      },
    });
    const r = importFile(bad);
    expect(r.errors.join('\n')).toContain(`Resources.FnUrl.Properties.InvokeMode: "STREAMING" is not valid; allowed: 'BUFFERED', 'RESPONSE_STREAM'`);
  });

  it('runs: the handler sees a lambda-url domain and the caller its answer', async () => {
    const { model } = await loadScenario(file);
    const t = await run({ ...model, durationMs: 3_000 });
    expect(t.summary.accounting.ok).toBe(true);
    const responses = t.of('sync.response').filter((e) => e.via === 'url');
    expect(responses.length).toBeGreaterThan(0);
    expect(responses.some((e) => e.statusCode === 204)).toBe(true);
    const web = responses.find((e) => e.fn === 'Web')!;
    expect(String(web.body)).toMatch(/\.lambda-url\.us-east-1\.on\.aws$/);
  });
});

describe('import: a FIFO queue with ContentBasedDeduplication', () => {
  it('keeps the setting, which the engine now simulates (a repeated body within 5 minutes is not delivered)', async () => {
    const file = templateFile({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Jobs: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, ContentBasedDeduplication: true, DeduplicationScope: 'messageGroup' } } },
    });
    const r = importFile(file);
    expect((r.scenario as any).queues.Jobs).toEqual({ fifo: true, contentBasedDeduplication: true });
    expect(r.notImported.map((n) => n.id)).toEqual(['Jobs.DeduplicationScope']);
  });
});
