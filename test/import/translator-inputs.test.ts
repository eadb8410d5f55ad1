import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile, scenarioForRun } from '../../src/import/index.js';
import { loadScenario, ScenarioError } from '../../src/scenario/load.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function template(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-import-'));
  dirs.push(dir);
  const file = path.join(dir, 'template.yaml');
  writeFileSync(file, text);
  return file;
}

/** Found running `lambda-tui import` over aws/serverless-application-model's tests/translator/input (831 templates). */
describe('import: what SAM translator inputs showed', () => {
  it('subscribes a function to an SNS topic outside the template (an ARN or a parameter), instead of an internal error', () => {
    const file = template(`Transform: AWS::Serverless-2016-10-31
Parameters:
  TopicArn: { Type: String, Default: 'arn:aws:sns:us-east-1:123456789012:my_topic' }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: 'exports.handler = async () => ({})'
      Events:
        A: { Type: SNS, Properties: { Topic: 'arn:aws:sns:us-east-1:123456789012:other', FilterPolicy: { store: [example] } } }
        B: { Type: SNS, Properties: { Topic: { Ref: TopicArn } } }
`);
    const r = importFile(file);
    expect(r.errors).toEqual([]);
    const topics = (r.scenario as Record<string, any>).topics;
    expect(topics.other.subscriptions).toEqual([{ endpoint: 'Fn', filterPolicy: { store: ['example'] } }]);
    expect(topics.my_topic.subscriptions).toEqual(['Fn']);
  });

  it('refuses a resource whose Properties is not an object with one line naming it, instead of an internal error', () => {
    const file = template(`Transform: AWS::Serverless-2016-10-31
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: This should be a dict
  Fn:
    Type: AWS::Serverless::Function
    Properties: I'm not valid
`);
    const r = importFile(file);
    expect(r.errors).toEqual(expect.arrayContaining([
      `${file}: Resources.Bucket.Properties: "This should be a dict" is not an object of properties; AWS refuses the template`,
      `${file}: Resources.Fn.Properties: "I'm not valid" is not an object of properties; AWS refuses the template`,
    ]));
  });

  it('`import` names the template resource of a mapping AWS would refuse, as a run and `validate` do', () => {
    const file = template(`Transform: AWS::Serverless-2016-10-31
Resources:
  Stream: { Type: AWS::Kinesis::Stream, Properties: { ShardCount: 1 } }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: 'exports.handler = async () => ({})'
      Events:
        Clicks: { Type: Kinesis, Properties: { Stream: { 'Fn::GetAtt': [Stream, Arn] }, StartingPosition: LATEST, ParallelizationFactor: 50 } }
`);
    const stderr = (args: string[]) => {
      try {
        execFileSync(process.execPath, [path.resolve('bin/lambda-tui.js'), ...args], { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
        return '';
      } catch (error) {
        return String((error as { stderr: Buffer }).stderr);
      }
    };
    const line = `${file}: eventSourceMappings[0] (Fn.Events.Clicks).parallelizationFactor: 50 is out of range; allowed 1..10\n`;
    expect(stderr(['import', file, '--json'])).toBe(line);
    expect(stderr(['validate', file])).toBe(line);
  });

  it('writes inline code to a folder of its own (0700), never to a fixed name in the temporary directory someone else could fill first', () => {
    const code = 'exports.handler = async () => ({ ok: true })';
    const file = template(`Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, Role: r, Code: { ZipFile: '${code}' } }
`);
    // What another user of the machine could plant under the old fixed name.
    const shared = path.join(os.tmpdir(), 'lambda-tui-inline');
    const planted = path.join(shared, `${createHash('sha256').update(code).digest('hex').slice(0, 16)}.cjs`);
    const made = !existsSync(shared);
    if (made) mkdirSync(shared);
    const plantedBefore = existsSync(planted);
    if (!plantedBefore) writeFileSync(planted, 'exports.handler = async () => ({ planted: true })');
    try {
      const { scenario } = scenarioForRun(importFile(file));
      const handler = (scenario.functions as Record<string, { handler: string }>).Fn.handler;
      const dir = path.dirname(handler);
      expect(dir).not.toBe(shared);
      expect(path.dirname(dir)).toBe(os.tmpdir());
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(handler.startsWith(`${dir}${path.sep}`)).toBe(true);
    } finally {
      if (!plantedBefore) rmSync(planted, { force: true });
      if (made) rmSync(shared, { recursive: true, force: true });
    }
  });

  it('names the resource when its inline code fails to load, not the temporary file it was written to', async () => {
    const file = template(`Transform: AWS::Serverless-2016-10-31
Resources:
  Connect:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: hello.handler, InlineCode: "const x = require('some-package-not-installed'); exports.handler = async () => x" }
`);
    const error = await loadScenario(file).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const lines = (error as ScenarioError).lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Resources\\.Connect \\(inline code\\) failed to load: Cannot find module 'some-package-not-installed'`));
    expect(lines[0]).not.toContain('lambda-tui-inline');
    expect(lines[0]).toMatch(/move it to a file beside the template and npm install its dependencies there$/);
  });
});
