import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/import/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

const SAM_APP = 'test/import/fixtures/sam-app/template.yaml';

describe('import: a SAM app (SQS, Kinesis, DynamoDB Streams, SNS fan-out, EventBridge, schedule, HTTP API, canary)', () => {
  const result = importFile(SAM_APP);
  const s = result.scenario as Record<string, any>;

  it('names every resource by its logical id and applies Globals, parameters, mappings and conditions', () => {
    expect(result.errors).toEqual([]);
    expect(Object.keys(s.functions)).toEqual([
      'OrdersFunction', 'ClickFunction', 'TableFunction', 'EmailFunction', 'AuditFunction', 'FraudFunction', 'ReportFunction', 'ApiFunction',
    ]);
    // Globals.Function: Timeout 10, MemorySize 256; !If [IsProd, 50, 5] with Stage=dev.
    expect(s.functions.OrdersFunction).toEqual({ timeout: '10s', memorySize: 256, reservedConcurrentExecutions: 5 });
    expect(s.queues.OrdersQueue).toEqual({ visibilityTimeout: '1m', deadLetterQueue: { queue: 'OrdersDLQ', maxReceiveCount: 3 } });
    expect(s.streams.ClickStream).toEqual({ shardCount: 2, retentionPeriod: '48h' });
    expect(s.tables.OrdersTable).toEqual({ partitionKey: 'orderId', streamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(s.topics.NotificationsTopic).toEqual({ subscriptions: ['EmailFunction', { endpoint: 'AuditFunction', filterPolicy: { kind: ['audit'] } }] });
    expect(s.queues.DebugQueue).toBeUndefined();
    expect(s.queues.DevOnlyQueue).toEqual({ deliveryDelay: '5s' });
  });

  it('maps each Events entry to its mapping, subscription, rule or caller, with every field the template sets', () => {
    expect(s.eventSourceMappings).toEqual([
      { source: 'OrdersQueue', function: 'OrdersFunction', batchSize: 5, reportBatchItemFailures: true },
      { source: 'ClickStream', function: 'ClickFunction', batchSize: 100, maxBatchingWindow: '5s', startingPosition: 'TRIM_HORIZON', bisectBatchOnError: true, retryAttempts: 2, onFailure: 'ClicksFailed' },
      { source: 'OrdersTable', function: 'TableFunction', filters: [{ eventName: ['INSERT'] }], startingPosition: 'LATEST' },
    ]);
    expect(s.buses.OrdersBus.rules).toEqual([
      { name: 'BigOrders', eventPattern: { source: ['shop.orders'], detail: { total: [{ numeric: ['>=', 100] }] } }, targets: ['FraudFunction'] },
    ]);
    expect(s.buses.default.rules).toEqual([{ name: 'Minutely', schedule: 'rate(1 minute)', targets: ['ReportFunction'] }]);
    expect(s.functions.AuditFunction).toMatchObject({ retryAttempts: 1, onFailure: 'AuditFailed' });
    expect(s.traffic).toContainEqual({ invoke: 'ApiFunction:live', type: 'RequestResponse', via: 'apigateway', rate: 1, http: { method: 'GET', path: '/orders/1', payloadFormatVersion: '2.0' } });
    // The rule's traffic carries an event its pattern matches.
    expect(s.traffic).toContainEqual({ to: 'OrdersBus', rate: 1, body: { source: 'shop.orders', 'detail-type': 'Traffic Event', detail: { total: 100 } } });
    expect(s.traffic.map((t: any) => t.to ?? t.invoke)).toEqual(['OrdersQueue', 'ClickStream', 'OrdersTable', 'NotificationsTopic', 'OrdersBus', 'ApiFunction:live']);
  });

  it('resolves each Node.js handler from CodeUri and Handler (CommonJS, ESM and TypeScript)', () => {
    expect(result.handlers.OrdersFunction).toMatchObject({ kind: 'file', export: 'handler' });
    expect(result.handlers.OrdersFunction.kind === 'file' && result.handlers.OrdersFunction.file).toMatch(/sam-app\/src\/orders\.js$/);
    expect(result.handlers.ClickFunction.kind === 'file' && result.handlers.ClickFunction.file).toMatch(/clicks\.mjs$/);
    expect(result.handlers.ApiFunction.kind === 'file' && result.handlers.ApiFunction.file).toMatch(/api\.ts$/);
    expect(result.handlers.EmailFunction).toMatchObject({ kind: 'file', export: 'email' });
  });

  it('lists what it does not import, with the type and the reason, and warns about the import from another stack', () => {
    expect(result.notImported.map((n) => `${n.id} ${n.type}`)).toEqual([
      'DebugQueue AWS::SQS::Queue',
      'ApiErrorsAlarm AWS::CloudWatch::Alarm',
    ]);
    expect(result.notImported[0].reason).toBe('its Condition IsProd is false');
    expect(result.notImported[1].reason).toMatch(/in the commented deployments entry/);
    expect(result.warnings.join('\n')).toMatch(/Fn::ImportValue 'shared-dlq-arn' is exported by another stack; it becomes the placeholder \$\{ImportValue:shared-dlq-arn\}/);
    expect(s.functions.EmailFunction.deadLetterQueue).toBe('shared-dlq-arn');
    expect(s.queues['shared-dlq-arn']).toEqual({});
  });

  it('publishes version 1 behind the AutoPublishAlias, and writes the DeploymentPreference as a deployments entry that runs once a version 2 exists', async () => {
    expect(s.functions.ApiFunction.versions).toEqual({ '1': {} });
    expect(s.functions.ApiFunction.aliases).toEqual({ live: { version: '1' } });
    expect(result.deployments).toEqual([
      {
        function: 'ApiFunction',
        entry: {
          alias: 'ApiFunction:live', to: '2', at: '30s', config: 'Canary10Percent5Minutes',
          alarms: [{ name: 'ApiErrorsAlarm', metric: 'Errors', threshold: 1, period: '1m', evaluationPeriods: 1, statistic: 'Sum', comparisonOperator: 'GreaterThanOrEqualToThreshold' }],
        },
      },
    ]);
    // As the generated comment says: add version 2 and the entry is a valid deployment. (The engine's
    // traffic shifting belongs to the versions work; here the contract is that the entry validates.)
    const { validateScenario } = await import('../../src/scenario/validate.js');
    const scenario = {
      name: 'deploy',
      functions: { ApiFunction: { versions: { '1': {}, '2': { handler: async () => { throw new Error('v2 is broken'); } } }, aliases: { live: { version: '1' } } } },
      traffic: [s.traffic.find((t: any) => t.invoke === 'ApiFunction:live')],
      deployments: [result.deployments[0].entry],
    };
    const { model, errors } = validateScenario(scenario, 'x.ts');
    expect(errors).toEqual([]);
    expect(model!.deployments).toHaveLength(1);
  });

  it('validates and runs headless with the real handlers: the redrive, the bisect, the fan-out, the rule, the schedule and the route', async () => {
    const { model, notes } = await loadScenario(SAM_APP);
    expect(notes?.some((n) => n.includes('not imported: DebugQueue'))).toBe(true);
    // Long enough for order 3's third receive (the queue's visibility timeout is 60 s).
    const r = await run({ ...model, durationMs: 200_000 });
    expect(r.summary.accounting.ok).toBe(true);
    // Order 3 fails as a batch item failure until the redrive policy moves it to the DLQ.
    expect(r.of('sqs.redrive').map((e) => [e.queue, e.dlq])).toContainEqual(['OrdersQueue', 'OrdersDLQ']);
    // Click 7 is poison: the batch bisects, and after 2 retries the batch-info record goes to ClicksFailed.
    expect(r.of('batch.bisect').length).toBeGreaterThan(0);
    const failed = r.of('deliver').filter((d) => d.to === 'ClicksFailed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].kind).toBe('onFailure');
    // SNS fans out to both subscribers; the rule runs FraudFunction; the schedule fires ReportFunction each minute.
    const fns = new Set(r.of('invoke.start').map((e) => e.fn));
    for (const fn of ['EmailFunction', 'AuditFunction', 'FraudFunction', 'TableFunction', 'ReportFunction']) expect(fns).toContain(fn);
    expect(r.of('invoke.start').filter((e) => e.fn === 'ReportFunction').map((e) => e.t)).toEqual([60_000, 120_000, 180_000]);
    // The HTTP API route answers with what the TypeScript handler returns.
    const api = r.of('sync.response').filter((e) => e.fn === 'ApiFunction');
    expect(api.length).toBeGreaterThan(100);
    expect(api[0]).toMatchObject({ via: 'apigateway', statusCode: 200 });
  });
});

describe('import: what AWS would refuse is the error AWS would give, naming the logical id', () => {
  it('refuses a stream mapping without StartingPosition', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const dir = await mkdtemp('/tmp/lt-import-');
    const file = `${dir}/template.yaml`;
    await writeFile(
      file,
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Stream: { Type: AWS::Kinesis::Stream, Properties: { ShardCount: 1 } }',
        '  Queue: { Type: AWS::SQS::Queue }',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Runtime: python3.12',
        '      Handler: app.handler',
        '      Timeout: 60',
        '      Bogus: 1',
        '      Events:',
        '        S: { Type: Kinesis, Properties: { Stream: !GetAtt Stream.Arn } }',
        '        Q: { Type: SQS, Properties: { Queue: !GetAtt Queue.Arn } }',
      ].join('\n'),
    );
    const r = importFile(file);
    expect(r.errors).toEqual([
      `${file}: Resources.Fn.Properties.Events.S.Properties.StartingPosition: missing; AWS requires StartingPosition for a Kinesis stream mapping (Fn.Events.S): TRIM_HORIZON, LATEST or AT_TIMESTAMP`,
      `${file}: Resources.Fn.Properties.Events.Q.Properties: Fn.Events.Q: Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds (AWS refuses the mapping; raise Queue's VisibilityTimeout to at least 60, AWS recommends 360)`,
    ]);
    expect(r.warnings).toContain(`${file}: Resources.Fn.Properties.Bogus: unknown property of AWS::Serverless::Function; ignored`);
    await expect(loadScenario(file)).rejects.toThrow(/StartingPosition: missing/);
  });
});
