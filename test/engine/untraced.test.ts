/**
 * A run without a trace listener skips building events nobody reads (invoke.start, invoke.end,
 * record.put, sync.response) and the direct caller's answer to the default handler's null: it must end
 * with the same snapshot, summary, cost and event count as the same run traced.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type SimulationOptions } from '../../src/engine/simulation.js';
import { summarize } from '../../src/output/summary.js';
import { validateExport } from '../../src/scenario/load.js';

function model() {
  return validateExport('untraced.ts', {
    name: 'untraced',
    duration: '20s',
    account: { concurrentExecutions: 200 },
    functions: {
      direct: { duration: { p50: '30ms', p99: '3s' }, timeout: '1s' },
      answers: { duration: '5ms', handler: async (event: { n: number }) => (event.n % 3 === 0 ? { ok: event.n } : null) },
      reserved: { duration: '80ms', reservedConcurrentExecutions: 2 },
      background: { duration: '30ms' },
    },
    traffic: [
      { invoke: 'direct', type: 'RequestResponse', via: 'cli', rate: 400, count: 4000 },
      { invoke: 'answers', type: 'RequestResponse', via: 'cli', rate: 50 },
      { invoke: 'reserved', type: 'RequestResponse', via: 'cli', rate: 60 },
      { invoke: 'direct', type: 'RequestResponse', via: 'apigateway', rate: 20 },
      { invoke: 'background', type: 'Event', rate: 30 },
    ],
    faults: [{ function: 'direct', kind: 'error', rate: 0.1 }],
  }).model;
}

async function run(options: SimulationOptions) {
  const sim = createSimulation(model(), options);
  while (!sim.done) await sim.advance();
  return { sim, summary: JSON.stringify(summarize(sim)) };
}

describe('a run without a trace listener', () => {
  it('ends as the traced run does: snapshot, summary, cost, accounting and the count of events', async () => {
    let events = 0;
    const traced = await run({ views: false, onTrace: () => void events++ });
    const untraced = await run({ views: false });
    expect(untraced.summary).toBe(traced.summary);
    expect(untraced.sim.state.functions).toEqual(traced.sim.state.functions);
    expect(untraced.sim.state.sources).toEqual(traced.sim.state.sources);
    expect(untraced.sim.usage.snapshot()).toEqual(traced.sim.usage.snapshot());
    expect(untraced.sim.traceEvents).toBe(traced.sim.traceEvents);
    expect(traced.sim.traceEvents).toBe(events);
    expect(untraced.sim.checkAccounting().ok).toBe(true);
    // The run has what the shortcuts skip and what they must not: successes, errors, timeouts, throttles.
    const f = untraced.sim.state.functions;
    expect(f.direct.successes).toBeGreaterThan(0);
    expect(f.direct.errors).toBeGreaterThan(0);
    expect(f.direct.timeouts).toBeGreaterThan(0);
    expect(f.reserved.throttles).toBeGreaterThan(0);
    expect(f.answers.successes).toBeGreaterThan(0);
  });
});
