import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, toTypeScript } from '../../src/import/index.js';
import { loadScenario, ScenarioError } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-import-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Found running the importer over aws-samples/serverless-patterns (issue 13). */
describe('import: what real templates showed', () => {
  it('leaves out a rule target lambda-tui does not deliver to (a Kinesis stream, a state machine), instead of refusing or inventing a function', () => {
    const dir = folder({
      'template.json': JSON.stringify({
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: {
          Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'a.b', Role: 'r', Code: { ZipFile: 'x' } } },
          Clicks: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } },
          Rule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              EventPattern: { source: ['shop'] },
              Targets: [
                { Id: 'a', Arn: { 'Fn::GetAtt': ['Clicks', 'Arn'] } },
                { Id: 'b', Arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders' },
                { Id: 'c', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
              ],
            },
          },
        },
      }),
    });
    const r = importFile(path.join(dir, 'template.json'));
    expect(r.errors).toEqual([]);
    const s = r.scenario as Record<string, any>;
    expect(Object.keys(s.functions)).toEqual(['Fn']);
    expect(s.buses.default.rules).toEqual([{ name: 'Rule', eventPattern: { source: ['shop'] }, targets: ['Fn'] }]);
    expect(r.notImported).toEqual(expect.arrayContaining([
      { id: 'Rule.Targets[0]', type: 'EventBridge target (AWS::Kinesis::Stream)', reason: 'only Lambda, SQS, SNS and event bus targets are simulated' },
      { id: 'Rule.Targets[1]', type: 'EventBridge target (arn:…:states:…)', reason: 'only Lambda, SQS, SNS and event bus targets are simulated' },
    ]));
  });

  it('says that Lambda provides the AWS SDK and this machine needs it installed, when a handler imports it', async () => {
    const dir = folder({
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: app.handler, CodeUri: src }
`,
      'src/app.mjs': "import { S3Client } from '@aws-sdk/client-not-installed-here';\nexport const handler = async () => new S3Client();\n",
    });
    const error = await loadScenario(path.join(dir, 'template.yaml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const lines = (error as ScenarioError).lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/functions\.Fn\.handler: 'src\/app\.handler' .*app\.mjs failed to load: Cannot find (module|package) '@aws-sdk\/client-not-installed-here.*; Lambda's Node\.js runtime provides the AWS SDK, this machine does not: install it beside the handler \(npm install @aws-sdk\/client-not-installed-here in .*src\)$/);
  });

  it('sends traffic that each mapping\'s first filter lets through, so filtered SQS, Kinesis and DynamoDB mappings run', async () => {
    const fn = { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'a.b', InlineCode: 'x' } };
    const dir = folder({
      'template.json': JSON.stringify({
        Transform: 'AWS::Serverless-2016-10-31',
        Resources: {
          Orders: { Type: 'AWS::SQS::Queue' },
          Clicks: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } },
          Items: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], StreamSpecification: { StreamViewType: 'NEW_IMAGE' } } },
          OrderFn: { ...fn, Properties: { ...fn.Properties, Events: { Q: { Type: 'SQS', Properties: { Queue: { 'Fn::GetAtt': ['Orders', 'Arn'] }, FilterCriteria: { Filters: [{ Pattern: '{"body":{"type":["order"],"total":[{"numeric":[">",100]}]}}' }] } } } } } },
          ClickFn: { ...fn, Properties: { ...fn.Properties, Events: { K: { Type: 'Kinesis', Properties: { Stream: { 'Fn::GetAtt': ['Clicks', 'Arn'] }, StartingPosition: 'LATEST', FilterCriteria: { Filters: [{ Pattern: '{"data":{"page":[{"prefix":"/shop"}]}}' }] } } } } } },
          ItemFn: { ...fn, Properties: { ...fn.Properties, Events: { D: { Type: 'DynamoDB', Properties: { Stream: { 'Fn::GetAtt': ['Items', 'StreamArn'] }, StartingPosition: 'LATEST', FilterCriteria: { Filters: [{ Pattern: '{"dynamodb":{"NewImage":{"status":{"S":["paid"]}}}}' }] } } } } } },
        },
      }),
    });
    const r = importFile(path.join(dir, 'template.json'));
    expect(r.errors).toEqual([]);
    const bodies = Object.fromEntries((r.scenario as Record<string, any>).traffic.map((t: any) => [t.to, t.body]));
    expect(bodies).toEqual({ Orders: { type: 'order', total: 101 }, Clicks: { page: '/shopexample' }, Items: { status: 'paid' } });
    const { model } = await loadScenario(path.join(dir, 'template.json'));
    const t = await run({ ...model, durationMs: 20_000 });
    const ran = new Set(t.of('invoke.start').map((e) => e.fn));
    expect([...ran].sort()).toEqual(['ClickFn', 'ItemFn', 'OrderFn']);
    // Written as TypeScript, a filter's body stays a pattern and a traffic body becomes a function (the SQS
    // filter's `body` was written as a function, which the scenario then refused).
    const out = path.join(dir, 'scenario.ts');
    const ts = toTypeScript(r, { out });
    expect(ts.text).toContain("filters: [{ body: { type: ['order'], total: [{ numeric: ['>', 100] }] } }]");
    expect(ts.text).toContain("body: () => ({ type: 'order', total: 101 })");
    writeFileSync(out, ts.text);
    const written = await loadScenario(out);
    expect(written.model.eventSourceMappings[0].filters).toEqual([{ body: { type: ['order'], total: [{ numeric: ['>', 100] }] } }]);
  });
});
