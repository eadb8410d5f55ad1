import { describe, expect, it } from 'vitest';
import { errorMatches, retryDelayMs } from '../../../src/engine/sources/stepfunctions.js';
import { traceLine } from '../../../src/engine/trace.js';
import type { Scenario, StateSpec } from '../../../src/scenario/types.js';
import { formatValidationError, validateScenario } from '../../../src/scenario/validate.js';
import { run } from '../../helpers/run.js';

class CustomError extends Error {
  override name = 'CustomError';
}

const machine = (states: Record<string, StateSpec>, functions: Scenario['functions'], extra: Partial<Scenario> = {}): Scenario => ({
  name: 'sfn',
  duration: '2m',
  functions,
  stateMachines: { orders: { definition: { StartAt: Object.keys(states)[0], States: states } } },
  traffic: [{ to: 'orders', count: 1, body: (i) => ({ orderId: i }) }],
  ...extra,
});

describe('Step Functions Lambda tasks: Retry', () => {
  it('retries the named error IntervalSeconds x BackoffRate^n apart, then goes on with the result', async () => {
    let calls = 0;
    const r = await run(
      machine(
        {
          Charge: { Type: 'Task', Resource: 'charge', Retry: [{ ErrorEquals: ['CustomError'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3 }], Next: 'Done' },
          Done: { Type: 'Succeed' },
        },
        { charge: { duration: '100ms', handler: (e: { orderId: number }) => { if (++calls < 3) throw new CustomError('card declined'); return { ...e, charged: true }; } } },
      ),
    );
    expect(r.of('sfn.task.retry').map((e) => [e.error, e.attempt, e.delayMs])).toEqual([
      ['CustomError', 2, 1000],
      ['CustomError', 3, 2000],
    ]);
    const starts = r.of('invoke.start').map((s) => s.t);
    // The first attempt cold-starts (300 ms) and runs 100 ms; each retry waits its delay after the failure.
    expect(starts[1] - starts[0]).toBe(1400);
    expect(starts[2] - starts[1]).toBe(2100);
    expect(r.of('sfn.execution.end')[0]).toMatchObject({ status: 'SUCCEEDED', output: { orderId: 0, charged: true } });
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('caps the wait at MaxDelaySeconds, and draws FULL jitter from the seed: same seed, same trace', async () => {
    expect(retryDelayMs({ errorEquals: ['X'], intervalSeconds: 2, backoffRate: 3, maxAttempts: 5, maxDelaySeconds: 10, jitterStrategy: 'NONE' }, 4, () => 0.5)).toBe(10_000);
    const jittered = (seed: number) =>
      run(
        machine(
          { T: { Type: 'Task', Resource: 'fn', Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 4, MaxAttempts: 2, JitterStrategy: 'FULL' }], End: true } },
          { fn: { handler: () => { throw new Error('always'); } } },
          { seed },
        ),
      );
    const a = await jittered(1);
    const b = await jittered(1);
    const c = await jittered(2);
    const delays = a.of('sfn.task.retry').map((e) => e.delayMs);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeLessThanOrEqual(4000);
    expect(delays[1]).toBeLessThanOrEqual(8000);
    expect(b.trace.map(traceLine)).toEqual(a.trace.map(traceLine));
    expect(c.of('sfn.task.retry').map((e) => e.delayMs)).not.toEqual(delays);
  });
});

describe('Step Functions Lambda tasks: Catch', () => {
  it('after the retries, the first matching catcher gets { Error, Cause } at its ResultPath', async () => {
    const r = await run(
      machine(
        {
          Charge: {
            Type: 'Task',
            Resource: 'charge',
            Retry: [{ ErrorEquals: ['CustomError'], MaxAttempts: 1 }],
            Catch: [
              { ErrorEquals: ['Lambda.TooManyRequestsException'], Next: 'Throttled' },
              { ErrorEquals: ['CustomError'], Next: 'Refund', ResultPath: '$.error' },
            ],
            End: true,
          },
          Throttled: { Type: 'Fail', Error: 'Throttled' },
          Refund: { Type: 'Pass', End: true },
        },
        { charge: { handler: () => { throw new CustomError('card declined'); } } },
      ),
    );
    expect(r.of('invoke.start')).toHaveLength(2);
    expect(r.of('sfn.task.catch')[0]).toMatchObject({ state: 'Charge', error: 'CustomError', next: 'Refund' });
    const end = r.of('sfn.execution.end')[0];
    expect(end.status).toBe('SUCCEEDED');
    expect(end.output).toMatchObject({ orderId: 0, error: { Error: 'CustomError' } });
    expect(JSON.parse((end.output as { error: { Cause: string } }).error.Cause)).toMatchObject({ errorType: 'CustomError', errorMessage: 'card declined' });
  });

  it('a throttled task fails with Lambda.TooManyRequestsException, which Retry and Catch can name', async () => {
    const r = await run(
      machine(
        {
          T: { Type: 'Task', Resource: 'fn', Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2, IntervalSeconds: 1 }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Gave up' }], End: true },
          'Gave up': { Type: 'Fail', Error: 'TooBusy', Cause: 'throttled three times' },
        },
        { fn: { reservedConcurrentExecutions: 0 } },
      ),
    );
    expect(r.of('throttle')).toHaveLength(3);
    expect(r.of('sfn.task.retry').map((e) => e.error)).toEqual(['Lambda.TooManyRequestsException', 'Lambda.TooManyRequestsException']);
    expect(r.of('sfn.execution.end')[0]).toMatchObject({ status: 'FAILED', error: 'TooBusy', cause: 'throttled three times' });
    expect(r.summary.sources.orders).toMatchObject({ put: 1, failed: 1 });
  });

  it('TimeoutSeconds ends a slow task with States.Timeout, which States.TaskFailed does not match', async () => {
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(errorMatches(['States.TaskFailed'], 'Sandbox.Timedout')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Timeout')).toBe(true);
    const r = await run(
      machine(
        {
          Slow: { Type: 'Task', Resource: 'slow', TimeoutSeconds: 2, Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Failed' }, { ErrorEquals: ['States.Timeout'], Next: 'TimedOut' }], End: true },
          Failed: { Type: 'Fail', Error: 'TaskFailed' },
          TimedOut: { Type: 'Fail', Error: 'TimedOut' },
        },
        { slow: { duration: '5s', timeout: '10s' } },
      ),
    );
    const start = r.of('invoke.start')[0].t;
    const caught = r.of('sfn.task.catch')[0];
    expect(caught).toMatchObject({ error: 'States.Timeout', next: 'TimedOut' });
    expect(caught.t - start).toBe(2000);
    expect(r.of('sfn.execution.end')[0]).toMatchObject({ status: 'FAILED', error: 'TimedOut' });
  });

  it('a function timeout is Sandbox.Timedout, and an uncaught error fails the execution', async () => {
    const r = await run(machine({ T: { Type: 'Task', Resource: 'fn', End: true } }, { fn: { duration: '5s', timeout: '1s' } }));
    expect(r.of('sfn.execution.end')[0]).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
  });

  it('Wait and Pass states run between tasks', async () => {
    const r = await run(
      machine(
        { Start: { Type: 'Pass', Result: { step: 1 }, ResultPath: '$.meta', Next: 'Pause' }, Pause: { Type: 'Wait', Seconds: 3, Next: 'Work' }, Work: { Type: 'Task', Resource: 'fn', ResultPath: null, End: true } },
        { fn: {} },
      ),
    );
    const entered = r.of('sfn.state.enter');
    expect(entered.map((e) => e.state)).toEqual(['Start', 'Pause', 'Work']);
    expect(entered[2].t - entered[1].t).toBe(3000);
    expect(r.of('sfn.execution.end')[0]).toMatchObject({ status: 'SUCCEEDED', output: { orderId: 0, meta: { step: 1 } } });
  });
});

describe('stateMachines validation', () => {
  const lines = (definition: unknown) =>
    validateScenario({ name: 'x', functions: { fn: {} }, stateMachines: { m: { definition } } }, 'x.ts').errors.map(formatValidationError);

  it('refuses references to states and functions that do not exist', () => {
    expect(lines({ StartAt: 'Nope', States: { A: { Type: 'Task', Resource: 'fn', End: true } } })).toEqual([
      "x.ts: stateMachines.m.definition.StartAt: 'Nope' names no state of this machine; states: A",
    ]);
    expect(lines({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'missing', Next: 'B' } } })).toEqual([
      "x.ts: stateMachines.m.definition.States.A.Next: 'B' names no state of this machine; states: A",
      "x.ts: stateMachines.m.definition.States.A.Resource: 'missing' is not a function; declared: fn",
    ].sort((a, b) => (a.includes('Resource') ? 1 : 0) - (b.includes('Resource') ? 1 : 0)));
  });

  it('refuses retriers out of the States Language rules', () => {
    expect(lines({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'fn', End: true, Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['X'], BackoffRate: 0.5 }] } } })).toEqual([
      "x.ts: stateMachines.m.definition.States.A.Retry[0].ErrorEquals: [\"States.ALL\"] uses States.ALL before the last retrier; States.ALL must be in the last one",
      'x.ts: stateMachines.m.definition.States.A.Retry[1].BackoffRate: 0.5 is out of range; allowed 1.0 or more',
    ]);
    expect(lines({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'fn', End: true, Retry: [{ ErrorEquals: [] }] } } })[0]).toContain('is not a non-empty list of error names');
    expect(lines({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'fn', End: true, Retry: [{ ErrorEquals: ['X'], JitterStrategy: 'HALF' }] } } })[0]).toContain("allowed: 'FULL', 'NONE'");
  });

  it('needs Next or End on a Task, and knows the state types', () => {
    expect(lines({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'fn' } } })).toEqual([
      'x.ts: stateMachines.m.definition.States.A.Next: is missing; a Task, Pass or Wait state needs Next (a state name) or End: true',
    ]);
    expect(lines({ StartAt: 'A', States: { A: { Type: 'Map' } } })[0]).toContain("Type: 'Map' is not valid; allowed: 'Task', 'Pass', 'Wait', 'Succeed', 'Fail'");
  });
});
