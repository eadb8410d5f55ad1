import { describe, expect, it } from 'vitest';
import { snsQueueNotification } from '../../../src/engine/sources/sns.js';
import { snsRecord } from '../../../src/engine/aws/index.js';
import { run } from '../../helpers/run.js';

describe('SNS topics fan out every message to every subscription (docs/aws-rules.md §6)', () => {
  it('invokes each subscribed function asynchronously once per message', async () => {
    const r = await run({
      name: 'fan-out',
      duration: '5s',
      functions: { a: {}, b: {}, c: {} },
      topics: { alerts: { subscriptions: ['a', 'b', 'c'] } },
      traffic: [{ to: 'alerts', count: 7, rate: 10 }],
    });
    for (const fn of ['a', 'b', 'c']) {
      expect(r.summary.sources[`async:${fn}`]).toMatchObject({ put: 7, succeeded: 7 });
      expect(r.of('invoke.start').filter((e) => e.fn === fn && e.trigger === 'async')).toHaveLength(7);
    }
    expect(r.summary.sources.alerts).toMatchObject({ put: 7, succeeded: 7, waiting: 0 });
    expect((r.sim.state.modules.sns as any).topics.alerts).toMatchObject({ published: 7, deliveries: 21 });
    expect(r.sim.checkAccounting().ok).toBe(true);
  });

  it('sends a function the SNS event with capitalised keys, one record, the message as a string', async () => {
    const got: any[] = [];
    const r = await run({
      name: 'shape',
      duration: '2s',
      functions: { a: { handler: (e: unknown) => void got.push(e) } },
      topics: { alerts: { subscriptions: ['a'] } },
      traffic: [{ to: 'alerts', count: 1, rate: 1, body: () => ({ level: 'high' }) }],
    });
    const messageId = r.of('record.put').find((e) => e.source === 'alerts')!.id;
    expect(got[0].Records).toHaveLength(1);
    const rec = got[0].Records[0];
    expect(rec.EventSource).toBe('aws:sns');
    expect(rec.EventVersion).toBe('1.0');
    expect(rec.EventSubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:123456789012:alerts:[0-9a-f-]{36}$/);
    expect(rec.Sns).toMatchObject({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
      Subject: null,
      Message: '{"level":"high"}',
      SignatureVersion: '1',
      MessageAttributes: {},
    });
    expect(rec.Sns.Timestamp).toMatch(/^2025-01-01T00:00:0\d\.\d{3}Z$/);
  });

  it('gives a queue subscriber the notification JSON document (URL spelled upper-case, no empty Subject or attributes)', () => {
    const rec = snsRecord({ account: { region: 'us-east-1', accountId: '123456789012' }, topicName: 't', messageId: 'm-1', message: 'hi', publishedEpochMs: 0 });
    const doc = snsQueueNotification(rec);
    expect(Object.keys(doc)).toEqual(['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL']);
    expect(doc).toMatchObject({ Type: 'Notification', MessageId: 'm-1', Message: 'hi', SigningCertURL: rec.Sns.SigningCertUrl, UnsubscribeURL: rec.Sns.UnsubscribeUrl });
  });

  it('chains: a topic subscriber function fails and its onFailure destination function gets the record', async () => {
    const r = await run({
      name: 'chain',
      duration: '10m',
      functions: { worker: { retryAttempts: 0, onFailure: 'audit' }, audit: {} },
      topics: { jobs: { subscriptions: ['worker'] } },
      traffic: [{ to: 'jobs', count: 3, rate: 1 }],
      faults: [{ function: 'worker', kind: 'error' }],
    });
    expect(r.summary.sources['async:audit']).toMatchObject({ put: 3, succeeded: 3 });
    const p = r.of('deliver')[0].payload as any;
    expect(p.requestPayload.Records[0].Sns.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:jobs');
  });
});
