import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/function-url-webhook.ts: a function URL under a replay burst', async () => {
  const { model } = await loadScenario('scenarios/function-url-webhook.ts');
  const r = await run(model);
  const responses = r.of('sync.response');
  const webhook = responses.filter((e) => e.fn === 'webhook');
  const at = (code: number) => webhook.filter((e) => e.statusCode === code);

  it('throttles only during the burst, as 429, and never above reserved concurrency 4', () => {
    expect(at(429).length).toBeGreaterThan(100);
    expect(at(429).every((e) => e.t >= 30_000 && e.t < 51_000)).toBe(true);
    expect(r.summary.functions.webhook.peakConcurrency).toBe(4);
    expect(r.of('throttle').filter((e) => e.fn === 'webhook')).toHaveLength(at(429).length);
  });

  it('answers 502 for every unsigned payload that ran, and 202 with the event id for signed ones', () => {
    const unsignedRan = r.of('invoke.end').filter((e) => e.fn === 'webhook' && e.outcome === 'error');
    expect(at(502)).toHaveLength(unsignedRan.length);
    expect(unsignedRan.length).toBeGreaterThan(5);
    expect(at(202)[0].body).toBe(JSON.stringify({ received: 'evt_0' }));
  });

  it('turns the admin function\'s plain object into a 200 JSON body naming the IAM caller', () => {
    const admin = responses.filter((e) => e.fn === 'admin');
    expect(admin.length).toBeGreaterThan(40);
    expect(admin[0]).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(admin[0].body as string)).toEqual({ caller: 'arn:aws:iam::123456789012:user/example-user', path: '/admin/status' });
    expect(r.summary.accounting.ok).toBe(true);
  });
});
