import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../src/engine/simulation.js';
import type { HandlerCall, HandlerPort } from '../../../src/engine/lambda/handler-port.js';
import { eventOf } from '../../../src/engine/lambda/handler-port.js';
import { base64OfPayload, payloadBytes } from '../../../src/engine/aws/format.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { modelOf } from '../../helpers/run.js';

/** Bodies the data must carry exactly: escapes, non-ASCII, a lone surrogate, bytes (a view too), a long text. */
const bodies: Array<(i: number) => unknown> = [
  (i) => `plain ${i}`,
  (i) => ({ quote: 'a"b\\c', nl: 'x\ny', i }),
  () => 'ünïcødé 😀',
  () => 'lone \ud800 surrogate',
  (i) => new Uint8Array([0, 255, i & 255, 10]),
  (i) => Buffer.from(`pooled ${i}`),
  () => 'é'.repeat(9_000),
  () => null,
  () => undefined,
  (i) => i * 1.5,
];

function scenario(body?: (i: number) => unknown, extra: Partial<Scenario['eventSourceMappings'] extends (infer E)[] | undefined ? E : never> = {}): Scenario {
  return {
    name: 'event json',
    duration: '6s',
    functions: { p: { handler: async () => ({}) } },
    streams: { 'str"eam': { shardCount: 3 } },
    eventSourceMappings: [{ source: 'str"eam', function: 'p', batchSize: 7, ...extra }],
    traffic: [{ to: 'str"eam', rate: 40, count: 60, partitionKeys: ['k"1', 'ü\n', '😀', 'plain'], ...(body ? { body } : {}) }],
  };
}

/** Runs the scenario with a port that checks every call's packed event against the event built as objects. */
async function check(s: Scenario): Promise<number> {
  const model = modelOf(s);
  const batchOf = new Map<string, string>();
  let sim!: Simulation;
  let checked = 0;
  const port: HandlerPort = {
    async run(calls: HandlerCall[]) {
      for (const call of calls) {
        const batchId = batchOf.get(call.requestId)!;
        const built = sim.inspect('stream', batchId);
        expect(built).toBeDefined();
        expect(call.packedEvent).toBeDefined();
        expect(call.event).toBeUndefined();
        // What a worker receives is a structured clone of the call.
        const unpacked = eventOf(structuredClone(call));
        expect(JSON.stringify(unpacked)).toBe(JSON.stringify(built));
        expect(unpacked).toEqual(built);
        checked++;
      }
      return { outcomes: calls.map(() => ({ kind: 'response' as const, value: {}, logs: [] })) };
    },
  };
  sim = createSimulation(model, {
    handlers: port,
    onTrace: (e) => {
      if (e.type === 'invoke.start' && e.batchId) batchOf.set(e.requestId, e.batchId);
    },
  });
  await sim.run();
  return checked;
}

describe('a Kinesis batch packed for the port (stream/event.ts, packedBatchEvent; stream/records.ts, unpackKinesisBatch)', () => {
  it('unpacks to the event built as objects (same JSON text), for the default body and every kind of body', async () => {
    expect(await check(scenario())).toBeGreaterThan(5);
    for (const body of bodies) expect(await check(scenario(body))).toBeGreaterThan(5);
  });

  it('holds with a parallelization factor', async () => {
    expect(await check(scenario(undefined, { parallelizationFactor: 3 }))).toBeGreaterThan(5);
  });

  it('base64OfPayload is the base64 of payloadBytes', () => {
    for (const [i, body] of bodies.entries()) {
      const payload = body(i);
      expect(base64OfPayload(payload)).toBe(Buffer.from(payloadBytes(payload)).toString('base64'));
    }
  });
});
