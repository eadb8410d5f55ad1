import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/scenario/types.js';
import { validateScenario, formatValidationError } from '../../src/scenario/validate.js';
import { run } from '../helpers/run.js';

/** A 'serviceError' fault: Lambda fails the request with 500 ServiceException before the function runs. */
describe('a Lambda service error (fault kind serviceError)', () => {
  it('a direct caller gets the Invoke API\'s 500 ServiceException; nothing runs, nothing is throttled', async () => {
    const r = await run({
      name: 'sync service error',
      duration: '1s',
      functions: { fn: { duration: '10ms' } },
      traffic: [{ invoke: 'fn', type: 'RequestResponse', count: 3, rate: 10 }],
      faults: [{ function: 'fn', kind: 'serviceError' }],
    });
    const responses = r.of('sync.response');
    expect(responses).toHaveLength(3);
    for (const e of responses) {
      expect(e).toMatchObject({ statusCode: 500, reason: 'ServiceException', body: { Type: 'Service', message: 'The AWS Lambda service encountered an internal error.' } });
    }
    expect(r.of('invoke.start')).toHaveLength(0);
    expect(r.of('throttle')).toHaveLength(0);
    expect(r.of('fault.injected').map((e) => e.kind)).toEqual(['serviceError', 'serviceError', 'serviceError']);
    expect(r.summary.functions.fn).toMatchObject({ invocations: 0, throttles: 0, errors: 0 });
    expect(r.summary.sources['cli:fn']).toMatchObject({ put: 3, failed: 3, failedTo: { caller: 3 } });
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('an asynchronous event goes back to the queue with backoff, not using a retry attempt, and runs once Lambda recovers', async () => {
    const r = await run({
      name: 'async service error',
      duration: '30s',
      functions: { fn: { duration: '10ms', retryAttempts: 0 } },
      traffic: [{ invoke: 'fn', type: 'Event', count: 1 }],
      faults: [{ function: 'fn', kind: 'serviceError', until: '3s' }],
    });
    const retries = r.of('async.retry');
    expect(retries.length).toBeGreaterThan(1);
    expect(retries.every((e) => e.reason === 'serviceError' && e.attempt === 1)).toBe(true);
    expect(r.of('invoke.start')).toHaveLength(1);
    expect(r.of('invoke.start')[0].t).toBeGreaterThanOrEqual(3_000);
    expect(r.of('invoke.end')[0].outcome).toBe('success');
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('a Step Functions task fails with Lambda.ServiceException, which a Retrier retries and a Catcher catches', async () => {
    const scenario = (retry: boolean): Scenario => ({
      name: 'sfn service error',
      duration: '30s',
      functions: { work: { duration: '50ms', handler: async (input: unknown) => ({ done: input }) } },
      stateMachines: {
        flow: {
          definition: {
            StartAt: 'Work',
            States: {
              Work: {
                Type: 'Task',
                Resource: 'work',
                ...(retry ? { Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }] } : {}),
                Catch: [{ ErrorEquals: ['Lambda.ServiceException'], Next: 'Fallback' }],
                End: true,
              },
              Fallback: { Type: 'Pass', Result: 'fallback', End: true },
            },
          },
        },
      },
      traffic: [{ to: 'flow', count: 1 }],
      faults: [{ function: 'work', kind: 'serviceError', until: '2500ms' }],
    });
    const retried = await run(scenario(true));
    // Tries at 0, 1 s and 3 s (`attempt` names the try to come): the third comes after the fault ends and succeeds.
    expect(retried.of('sfn.task.retry').map((e) => [e.error, e.attempt, e.delayMs])).toEqual([
      ['Lambda.ServiceException', 2, 1000],
      ['Lambda.ServiceException', 3, 2000],
    ]);
    expect(retried.of('sfn.execution.end')[0]).toMatchObject({ status: 'SUCCEEDED' });
    expect(retried.of('invoke.start')).toHaveLength(1);
    const caught = await run(scenario(false));
    expect(caught.of('sfn.task.catch')).toEqual([expect.objectContaining({ error: 'Lambda.ServiceException', next: 'Fallback' })]);
    expect(caught.of('sfn.execution.end')[0]).toMatchObject({ status: 'SUCCEEDED', output: 'fallback' });
    expect(caught.summary.accounting.ok).toBe(true);
  });

  it('a Kinesis mapping retries the batch without counting it against retryAttempts', async () => {
    const r = await run({
      name: 'stream service error',
      duration: '30s',
      functions: { fn: { duration: '10ms' } },
      streams: { s: { shardCount: 1 } },
      queues: { failed: {} },
      eventSourceMappings: [{ source: 's', function: 'fn', batchSize: 10, startingPosition: 'TRIM_HORIZON', retryAttempts: 0, onFailure: 'failed' }],
      traffic: [{ to: 's', count: 5, rate: 100 }],
      faults: [{ function: 'fn', kind: 'serviceError', until: '5s' }],
    });
    expect(r.of('fault.injected').length).toBeGreaterThan(1);
    expect(r.summary.sources.s).toMatchObject({ put: 5, succeeded: 5, failed: 0 });
    expect(r.of('invoke.end').every((e) => e.outcome === 'success')).toBe(true);
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('validates: serviceError is a kind, and its message lists it', () => {
    const errors = (kind: string) =>
      validateScenario({ name: 'x', functions: { fn: {} }, faults: [{ function: 'fn', kind }] } as unknown as Scenario, 's.ts').errors.map(formatValidationError);
    expect(errors('serviceError')).toEqual([]);
    expect(errors('service')).toEqual([expect.stringContaining("'serviceError'")]);
  });
});
