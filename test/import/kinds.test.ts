import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importFile, toJson, toTypeScript } from '../../src/import/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

const F = 'test/import/fixtures';

afterEach(() => vi.restoreAllMocks());

describe('import: a CloudFormation JSON template', () => {
  const r = importFile(`${F}/cloudformation/template.json`);
  const s = r.scenario as Record<string, any>;

  it('maps inline code, a RedrivePolicy given as a JSON string, SNS to SQS, S3, an on-demand stream, a cron rule, a REST route and an ALB target', () => {
    expect(r.errors).toEqual([]);
    expect(r.handlers.Worker).toMatchObject({ kind: 'inline', export: 'handler', module: 'cjs' });
    expect(s.functions.Worker).toEqual({ timeout: '5s', memorySize: 512 });
    expect(s.functions.Notifier).toEqual({ retryAttempts: 0, maxEventAge: '5m', onFailure: 'NotifierFailed' });
    expect(s.queues.JobsQueue).toEqual({ visibilityTimeout: '30s', deadLetterQueue: { queue: 'JobsDLQ', maxReceiveCount: 2 } });
    expect(s.topics.EventsTopic).toEqual({ subscriptions: [{ endpoint: 'FanoutQueue', rawMessageDelivery: true }] });
    expect(s.streams.Clicks).toEqual({ shardCount: 4 });
    expect(r.comments['streams.Clicks'].join(' ')).toMatch(/on-demand/);
    expect(s.buckets.Uploads.notifications).toEqual([{ events: ['s3:ObjectCreated:*'], prefix: 'incoming/', suffix: '.csv', function: 'Notifier' }]);
    expect(s.buses.default.rules).toEqual([{ name: 'Nightly', schedule: 'cron(0 2 * * ? *)', targets: ['Notifier'], retryAttempts: 4 }]);
    expect(s.eventSourceMappings[2]).toEqual({ source: 'Clicks', function: 'Notifier', startingPosition: 'LATEST', parallelizationFactor: 2, maxRecordAge: '1h', tumblingWindow: '30s' });
    // FanoutQueue is fed by the topic: the topic gets traffic, the queue does not.
    expect(s.traffic.map((t: any) => t.to ?? `${t.via}:${t.http.path}`)).toEqual(['JobsQueue', 'EventsTopic', 'Uploads', 'Clicks', 'apigateway:/jobs/1', 'alb:/']);
    expect(s.traffic[2].body).toEqual({ key: 'incoming/object.csv', size: 1024 });
    expect(r.comments['functions.ApiHandler'][0]).toMatch(/python3\.12: the handler is simulated, not run/);
    // RawMessageDelivery is simulated now (docs/import.md): it is in the subscription, not in the not-imported list.
    expect(r.notImported.find((n) => n.id === 'FanoutSubscription.RawMessageDelivery')).toBeUndefined();
  });

  it('runs the inline code: job 4 fails until the redrive policy moves it to the DLQ; the S3 upload and the routes invoke', async () => {
    const { model } = await loadScenario(`${F}/cloudformation/template.json`);
    const t = await run({ ...model, durationMs: 100_000 });
    expect(t.summary.accounting.ok).toBe(true);
    expect(t.of('invoke.end').some((e) => e.fn === 'Worker' && e.outcome === 'error')).toBe(true);
    expect(t.of('sqs.redrive')).toContainEqual(expect.objectContaining({ queue: 'JobsQueue', dlq: 'JobsDLQ' }));
    const fns = new Set(t.of('invoke.start').map((e) => e.fn));
    expect([...fns].sort()).toEqual(['ApiHandler', 'Notifier', 'Worker']);
    expect(t.of('sync.response').filter((e) => e.via === 'alb').length).toBeGreaterThan(50);
  });
});

describe('import: a CDK cloud assembly (cdk.out)', () => {
  it('asks for --stack when the manifest lists more than one stack, and names them', () => {
    expect(() => importFile(`${F}/cdk.out`)).toThrow(/the assembly has 2 stacks \(OrdersStack, AuditStack\); pick one with --stack NAME/);
    expect(() => importFile(`${F}/cdk.out`, { stack: 'Nope' })).toThrow(/--stack Nope: no such stack; the assembly has OrdersStack, AuditStack/);
  });

  it('refuses --stack on a single template instead of ignoring it', () => {
    expect(() => importFile('examples/orders-stack/template.yaml', { stack: 'OrdersStack' })).toThrow(
      'examples/orders-stack/template.yaml: --stack OrdersStack: --stack picks a stack of a CDK cloud assembly (a cdk.out folder); this is a single template',
    );
  });

  it('finds the Node.js handler through aws:asset:path and names resources by logical id with their construct path', () => {
    const r = importFile(`${F}/cdk.out`, { stack: 'OrdersStack' });
    const s = r.scenario as Record<string, any>;
    expect(r.source).toMatchObject({ kind: 'cdk', stackName: 'OrdersStack' });
    expect(r.handlers.Processor8C1E2F3A.kind === 'file' && r.handlers.Processor8C1E2F3A.file).toMatch(/cdk\.out\/asset\.3f1c0a9d[0-9a-f]+\/index\.js$/);
    expect(r.comments['functions.Processor8C1E2F3A'][0]).toBe('AWS::Lambda::Function (OrdersStack/Processor/Resource), nodejs20.x: runs the real handler');
    expect(s.queues.OrdersQueue9A3B4C5D).toEqual({ visibilityTimeout: '3m', deadLetterQueue: { queue: 'OrdersQueueDLQ5F3B2A1C', maxReceiveCount: 2 } });
    expect(s.eventSourceMappings).toEqual([
      { source: 'OrdersQueue9A3B4C5D', function: 'Processor8C1E2F3A', batchSize: 10, maxBatchingWindow: '2s', reportBatchItemFailures: true, maxConcurrency: 5 },
    ]);
    // CDKMetadata's condition (an Fn::Or over regions) holds in us-east-1: it is listed as CDK bookkeeping.
    expect(r.notImported.map((n) => n.type)).toEqual(['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::CDK::Metadata']);
  });

  it('runs the bundled asset: order 5 is reported failed until it is redriven', async () => {
    const { model } = await loadScenario(`${F}/cdk.out`, { stack: 'OrdersStack' });
    const t = await run({ ...model, durationMs: 600_000 });
    expect(t.of('invoke.end').some((e) => e.outcome === 'partial')).toBe(true);
    expect(t.of('sqs.redrive').length).toBeGreaterThan(0);
    expect(t.summary.accounting.ok).toBe(true);
  });

  it('imports the other stack: an SNS subscription to inline code', async () => {
    const { model } = await loadScenario(`${F}/cdk.out`, { stack: 'AuditStack' });
    expect(model.topics.AuditTopic1F2E3D4C.subscriptions).toEqual(['AuditFn5A4B3C2D']);
    const t = await run({ ...model, durationMs: 10_000 });
    expect(t.of('invoke.end').filter((e) => e.fn === 'AuditFn5A4B3C2D' && e.outcome === 'success').length).toBeGreaterThan(5);
  });
});

describe('import: a Serverless Framework compiled template', () => {
  it('finds the handler in the service folder (the parent of .serverless) and maps the sqs, stream and httpApi events', async () => {
    const file = `${F}/serverless-app/.serverless/cloudformation-template-update-stack.json`;
    const r = importFile(file);
    const s = r.scenario as Record<string, any>;
    expect(r.source.kind).toBe('serverless');
    expect(r.handlers.HelloLambdaFunction.kind === 'file' && r.handlers.HelloLambdaFunction.file).toMatch(/serverless-app\/handler\.js$/);
    // The framework's AWS::Lambda::Version is version 1; its callers invoke the unqualified function.
    expect(s.functions.HelloLambdaFunction).toEqual({ timeout: '6s', memorySize: 1024, versions: { '1': {} } });
    expect(s.eventSourceMappings[1]).toEqual({ source: 'EventsStream', function: 'HelloLambdaFunction', batchSize: 10, startingPosition: 'TRIM_HORIZON', bisectBatchOnError: true, retryAttempts: 3 });
    expect(s.traffic[2]).toEqual({ invoke: 'HelloLambdaFunction', type: 'RequestResponse', via: 'apigateway', rate: 1, http: { method: 'GET', path: '/hello', payloadFormatVersion: '2.0' } });
    expect(r.notImported.map((n) => n.id)).toContain('ServerlessDeploymentBucket');
    const { model } = await loadScenario(file);
    const t = await run({ ...model, durationMs: 20_000 });
    const api = t.of('sync.response').filter((e) => e.fn === 'HelloLambdaFunction');
    expect(api[0]).toMatchObject({ statusCode: 200 });
    expect(t.of('invoke.start').some((e) => e.trigger === 'esm' && e.source === 'EventsStream')).toBe(true);
  });
});

describe('import: real public templates (fixtures/real/README.md)', () => {
  it("SAM's own translator inputs import; what they point at outside the template stands in with AWS's defaults", () => {
    const sqs = importFile(`${F}/real/sam/sqs.yaml`);
    expect(sqs.scenario.eventSourceMappings).toEqual([{ source: 'my-queue', function: 'SQSFunction', enabled: false, batchSize: 10 }]);
    expect(sqs.warnings[0]).toMatch(/arn:aws:sqs:us-west-2:012345678901:my-queue is not in this template; simulated as a queue named my-queue/);
    const streams = importFile(`${F}/real/sam/streams.yaml`);
    expect(streams.notImported).toContainEqual({ id: 'MSKFunction.Events.MyMSKStream', type: 'MSK event', reason: 'Kafka, MQ and DocumentDB sources are not simulated' });
    expect((streams.scenario as any).tables.TestTable).toEqual({ partitionKey: 'id' });
    const sns = importFile(`${F}/real/sam/sns_sqs.yaml`);
    // The filter policy comes in as a subscription object (docs/import.md), and nothing is left out.
    expect((sns.scenario as any).topics.Notifications.subscriptions).toEqual([
      {
        endpoint: 'SaveNotificationFunctionNotificationTopicQueue',
        filterPolicy: { store: ['example_corp'], price_usd: [{ numeric: ['>=', 100] }] },
        filterPolicyScope: 'MessageAttributes',
      },
    ]);
    expect(sns.notImported).toEqual([]);
    // Its traffic carries attributes the policy accepts, so the filtered subscriber gets messages.
    expect((sns.scenario as any).traffic.find((t: any) => t.to === 'Notifications')?.messageAttributes).toEqual({ store: 'example_corp', price_usd: 100 });
    const eb = importFile(`${F}/real/sam/eventbridgerule_with_retry_policy.yaml`);
    expect((eb.scenario as any).buses.ExternalEventBridge.rules[0]).toEqual({ name: 'OnTerminate', eventPattern: { detail: { state: ['terminated'] } }, targets: ['TriggeredFunction'], retryAttempts: 3, maxEventAge: '200s' });
  });

  it('kinesis_intrinsics.yaml resolves its parameters and conditions, and its values AWS would refuse are refused naming the event', async () => {
    const r = importFile(`${F}/real/sam/kinesis_intrinsics.yaml`);
    expect(r.scenario.eventSourceMappings).toEqual([
      { source: 'MyStream', function: 'MyLambdaFunction', batchSize: 50, maxBatchingWindow: '50s', reportBatchItemFailures: true, startingPosition: 'LATEST', parallelizationFactor: 50, bisectBatchOnError: false, retryAttempts: 50, maxRecordAge: '50s', tumblingWindow: '50s' },
    ]);
    await expect(loadScenario(`${F}/real/sam/kinesis_intrinsics.yaml`)).rejects.toThrow(
      /eventSourceMappings\[0\] \(MyLambdaFunction\.Events\.KinesisStream\)\.parallelizationFactor: 50 is out of range; allowed 1\.\.10/,
    );
  });

  it("the CDK integration snapshot runs its inline handler on the queue's messages", async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { model } = await loadScenario(`${F}/real/cdk-sqs.out`);
    const t = await run({ ...model, durationMs: 10_000 });
    expect(t.of('invoke.end').filter((e) => e.fn === 'FC4345940' && e.outcome === 'success').length).toBeGreaterThan(5);
  });
});

describe('import: the generated files are scenarios', () => {
  it('writes TypeScript that loads and validates, with handlers relative to the output file, and JSON that loads too', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lt-emit-'));
    const result = importFile(`${F}/sam-app/template.yaml`);
    const out = path.join(dir, 'nested', 'scenario.ts');
    const ts = toTypeScript(result, { out });
    expect(ts.text).toMatch(/^\/\*\*\n \* sam-app: imported from /);
    expect(ts.text).toContain("import { defineScenario } from 'lambda-tui';");
    expect(ts.text).toContain(' * Not imported (logical id, type, reason):\n *   DebugQueue ');
    expect(ts.text).toContain('// AWS::Serverless::Function, nodejs20.x: runs the real handler\n    OrdersFunction: {');
    const rel = path.relative(path.dirname(out), path.resolve(`${F}/sam-app/src`)).split(path.sep).join('/');
    expect(ts.text).toContain(`handler: '${rel}/orders.handler'`);
    await (await import('node:fs/promises')).mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, ts.text);
    const fromTs = await loadScenario(out);
    expect(Object.keys(fromTs.model.functions)).toHaveLength(8);
    expect(typeof fromTs.model.functions.OrdersFunction.handler).toBe('function');
    const jsonFile = path.join(dir, 'scenario.json');
    await writeFile(jsonFile, toJson(result, { out: jsonFile }).text);
    const json = JSON.parse(await readFile(jsonFile, 'utf8'));
    expect(json.functions.OrdersFunction.handler).toMatch(/sam-app\/src\/orders\.handler$/);
    expect(json.traffic[4].body).toEqual({ source: 'shop.orders', 'detail-type': 'Traffic Event', detail: { total: 100 } });
    const fromJson = await loadScenario(jsonFile);
    const t = await run({ ...fromJson.model, durationMs: 5_000 });
    expect(t.of('invoke.start').some((e) => e.fn === 'FraudFunction')).toBe(true);
  });

  it('writes inline code beside the output file and points the handler at it', () => {
    const result = importFile(`${F}/cloudformation/template.json`);
    const out = path.join(os.tmpdir(), 'x', 'jobs.ts');
    const { text, extra } = toTypeScript(result, { out });
    expect(extra.map((e) => path.relative(path.dirname(out), e.file))).toEqual(['jobs.inline/Worker.cjs', 'jobs.inline/Notifier.cjs']);
    expect(extra[0].text).toContain("throw new Error('job 4 always fails')");
    expect(text).toContain("handler: 'jobs.inline/Worker.handler'");
  });

  it('reports a handler file reference that does not load, naming the file and the field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lt-json-'));
    const file = path.join(dir, 'scenario.json');
    await writeFile(file, JSON.stringify({ name: 'x', functions: { a: { handler: 'src/missing.handler' } } }));
    await expect(loadScenario(file)).rejects.toThrow(/scenario\.json: functions\.a\.handler: 'src\/missing\.handler' no module src\/missing/);
  });
});
