import type { ALBEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { createSimulation } from '../../src/engine/simulation.js';
import { run } from '../helpers/run.js';

describe('scenarios/alb-hello.ts: an ALB converts requests to events and results to responses', async () => {
  const { model } = await loadScenario('scenarios/alb-hello.ts');
  const r = await run(model);
  const responses = r.of('sync.response');

  it('hands the function an ALBEvent with single-value maps where a repeated query key keeps its last value', async () => {
    const events: ALBEvent[] = [];
    const spy = { ...model, functions: { hello: { ...model.functions.hello, handler: (e: ALBEvent) => (events.push(e), { statusCode: 200 }) } } };
    const sim = createSimulation(spy);
    while (sim.now < 1000) await sim.step();
    const [event] = events;
    expect(event.requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\//);
    expect(event.httpMethod).toBe('POST');
    expect(event.path).toBe('/hello');
    expect(event.queryStringParameters).toEqual({ name: 'ada' });
    expect(event.multiValueHeaders).toBeUndefined();
    expect(JSON.parse(event.body!)).toEqual({ n: 0 });
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes the handler response through as the HTTP response', () => {
    expect(responses[0]).toMatchObject({ via: 'alb', statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hello ada #0' });
  });

  it('turns a function error into a 502 from the load balancer, not the error JSON', () => {
    const failed = responses.filter((e) => e.statusCode === 502);
    expect(failed.length).toBe(r.summary.functions.hello.errors);
    expect(failed.length).toBeGreaterThan(10);
    expect(String(failed[0].body)).toMatch(/502 Bad Gateway/);
    expect(String(failed[0].body)).not.toMatch(/boom/);
  });

  it('with multi-value headers on, hands the function multiValue maps instead', async () => {
    const events: ALBEvent[] = [];
    const traffic = model.traffic.map((t) => ({ ...t, http: { ...t.http, multiValueHeaders: true } }));
    const sim = createSimulation({
      ...model,
      traffic,
      functions: { hello: { ...model.functions.hello, handler: (e: ALBEvent) => (events.push(e), { statusCode: 200, multiValueHeaders: {} }) } },
    });
    while (sim.now < 1000) await sim.step();
    expect(events[0].multiValueQueryStringParameters).toEqual({ name: ['first', 'ada'] });
    expect(events[0].queryStringParameters).toBeUndefined();
  });
});
