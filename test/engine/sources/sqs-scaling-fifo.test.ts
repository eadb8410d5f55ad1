import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SqsViewState } from '../../../src/engine/sources/sqs.js';
import type { TraceEvent } from '../../../src/engine/trace.js';
import type { FaultSpec, Scenario } from '../../../src/scenario/types.js';
import { run } from '../../helpers/run.js';

type Start = Extract<TraceEvent, { type: 'invoke.start' }>;

/** Concurrent invocations of `fn` just after each whole second, replayed from the trace. */
function concurrencyPerSecond(trace: TraceEvent[], fn: string, seconds: number): number[] {
  const out: number[] = [];
  let now = 0;
  let i = 0;
  for (let s = 1; s <= seconds; s++) {
    let peak = 0;
    for (; i < trace.length && trace[i].t < s * 1000; i++) {
      const e = trace[i];
      if (e.type === 'invoke.start' && e.fn === fn) peak = Math.max(peak, ++now);
      else if (e.type === 'invoke.end' && e.fn === fn) now--;
    }
    out.push(peak);
  }
  return out;
}

describe('SQS pollers scale (docs/aws-rules.md §3.2)', () => {
  const backlog: Scenario = {
    name: 'backlog',
    duration: '20s',
    account: { concurrentExecutions: 2000 },
    functions: { f: { duration: '2s', timeout: '3s', coldStart: '0ms' } },
    queues: { q: { visibilityTimeout: '30s' } },
    eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 10, maxConcurrency: 40 }],
    traffic: [{ to: 'q', count: 20_000, rate: 100_000 }],
  };

  it('starts with 5 concurrent batches and climbs by 5 per second (300 per minute) while messages wait', async () => {
    const r = await run(backlog);
    const perSecond = concurrencyPerSecond(r.trace, 'f', 10);
    expect(perSecond.slice(0, 7)).toEqual([5, 10, 15, 20, 25, 30, 35]);
  });

  it('stops climbing at maxConcurrency', async () => {
    const r = await run(backlog);
    const perSecond = concurrencyPerSecond(r.trace, 'f', 20);
    expect(Math.max(...perSecond)).toBe(40);
    expect(perSecond.slice(7)).toEqual(Array(13).fill(40));
    expect((r.sim.state.modules.sqs as SqsViewState).mappings['esm-0']).toMatchObject({ concurrencyTarget: 40, concurrencyCap: 40 });
  });

  // re:Post knowledge-center/lambda-sqs-scaling: "Event source mappings don't account for reserved
  // concurrency and can process more messages off your queue than can be sent to your function."
  const reserved: Scenario = { ...backlog, functions: { f: { duration: '2s', timeout: '3s', coldStart: '0ms', reservedConcurrentExecutions: 12 } } };

  it("climbs past the function's reserved concurrency: the pollers receive more than the function may run, and get throttled", async () => {
    const r = await run(reserved);
    // The function never runs more than its reserved 12 ...
    expect(Math.max(...concurrencyPerSecond(r.trace, 'f', 20))).toBe(12);
    // ... but the pollers are not capped there: batches beyond it are received and throttled.
    const throttles = r.of('throttle');
    expect(throttles.length).toBeGreaterThan(0);
    expect(throttles.every((e) => e.trigger === 'esm' && e.source === 'q')).toBe(true);
    expect(r.summary.functions.f.throttles).toBe(throttles.length);
    expect((r.sim.state.modules.sqs as SqsViewState).mappings['esm-0'].concurrencyCap).toBe(40);
    expect(r.sim.checkAccounting().ok).toBe(true);
  });

  it('redrives throttled messages to the dead-letter queue with a low maxReceiveCount, though the function never failed', async () => {
    // A visibility timeout (3 s) short enough that a throttled batch gets one retry (after 1 s) before it ends.
    const r = await run({
      ...reserved,
      duration: '60s',
      queues: { q: { visibilityTimeout: '3s', deadLetterQueue: { queue: 'dlq', maxReceiveCount: 1 } }, dlq: {} },
      traffic: [{ to: 'q', count: 1_500, rate: 100_000 }],
    });
    expect(r.of('throttle').length).toBeGreaterThan(0);
    expect(r.of('invoke.end').every((e) => e.outcome === 'success')).toBe(true);
    const redriven = r.of('sqs.redrive').map((e) => e.id);
    expect(redriven.length).toBeGreaterThan(0);
    // Held after a throttle until the visibility timeout ended: received once, then redriven. Most never
    // ran; a batch whose retry got a slot late ran past its visibility timeout: its messages were back in
    // the queue before the function finished, and the next receive redrove them.
    const startOf = new Map(r.of('invoke.start').flatMap((s) => (s.records ?? []).map((id) => [id, s] as const)));
    const endOf = new Map(r.of('invoke.end').map((e) => [e.requestId, e.t]));
    expect(redriven.filter((id) => !startOf.has(id)).length).toBeGreaterThan(0);
    for (const id of redriven.filter((x) => startOf.has(x))) {
      const start = startOf.get(id)!;
      const back = r.of('sqs.visible').find((v) => v.id === id && v.t > start.t)!;
      // In the same millisecond, the visibility timer fires before the invocation completes (docs/time.md).
      expect(back.t).toBeLessThanOrEqual(endOf.get(start.requestId)!);
    }
    expect(r.summary.sources.q.failedTo).toEqual({ 'dlq:dlq': redriven.length });
    expect(r.summary.functions.f.errors).toBe(0);
  });

  it('backs off after throttles: the target drops by 5 a second while throttles last, and the batch reappears after its visibility timeout', async () => {
    const r = await run({
      ...backlog,
      duration: '40s',
      functions: { f: { duration: '2s', timeout: '3s', coldStart: '0ms' } },
      queues: { q: { visibilityTimeout: '10s' } },
      faults: [{ function: 'f', kind: 'throttle', from: '8s', until: '12s' }],
    });
    const throttles = r.of('throttle');
    expect(throttles.length).toBeGreaterThan(0);
    expect(throttles.every((e) => e.trigger === 'esm' && e.source === 'q')).toBe(true);
    const perSecond = concurrencyPerSecond(r.trace, 'f', 40);
    // Climbing to 40 by 8 s; after the throttles the climb starts again from a lower target.
    expect(perSecond[7]).toBe(40);
    expect(Math.min(...perSecond.slice(12, 16))).toBeLessThan(40);
    expect(r.sim.checkAccounting().ok).toBe(true);
  });

  it('backs off after function errors unless the mapping reports batch item failures', async () => {
    const errors: FaultSpec[] = [{ function: 'f', kind: 'error', from: '5s', until: '10s' }];
    const plain = await run({ ...backlog, faults: errors });
    const reporting = await run({
      ...backlog,
      eventSourceMappings: [{ ...backlog.eventSourceMappings![0], reportBatchItemFailures: true }],
      faults: errors,
    });
    const a = concurrencyPerSecond(plain.trace, 'f', 12);
    const b = concurrencyPerSecond(reporting.trace, 'f', 12);
    expect(a[10]).toBeLessThan(b[10]);
    expect(b.slice(0, 8)).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
  });

  it('scales back to 5 when the backlog is gone', async () => {
    const r = await run({ ...backlog, duration: '60s', traffic: [{ to: 'q', count: 2_000, rate: 100_000 }] });
    expect((r.sim.state.modules.sqs as SqsViewState).mappings['esm-0'].concurrencyTarget).toBe(5);
  });
});

describe('SQS FIFO mappings (docs/aws-rules.md §3.3)', () => {
  const groups = ['a', 'b', 'c', 'd'];

  /** Per group, the message ids in the order the function first received them. */
  function firstReceiveOrder(trace: TraceEvent[]): Record<string, string[]> {
    const groupOf = new Map<string, string>();
    for (const e of trace) if (e.type === 'record.put' && e.group) groupOf.set(e.id, e.group);
    const seen = new Set<string>();
    const out: Record<string, string[]> = {};
    for (const e of trace) {
      if (e.type !== 'invoke.start') continue;
      for (const id of e.records ?? []) {
        if (seen.has(id)) continue;
        seen.add(id);
        (out[groupOf.get(id)!] ??= []).push(id);
      }
    }
    return out;
  }

  function putOrder(trace: TraceEvent[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const e of trace) if (e.type === 'record.put' && e.source === 'q.fifo') (out[e.group!] ??= []).push(e.id);
    return out;
  }

  const fifo: Scenario = {
    name: 'fifo',
    duration: '2m',
    functions: { f: { duration: { p50: '100ms', p99: '900ms' }, coldStart: '0ms' } },
    queues: { 'q.fifo': { fifo: true, visibilityTimeout: '10s', deadLetterQueue: { queue: 'dlq.fifo', maxReceiveCount: 3 } }, 'dlq.fifo': { fifo: true } },
    eventSourceMappings: [{ source: 'q.fifo', function: 'f', batchSize: 3 }],
    traffic: [{ to: 'q.fifo', count: 200, rate: 20, messageGroups: groups }],
  };

  it('keeps order within each message group', async () => {
    const r = await run(fifo);
    expect(firstReceiveOrder(r.trace)).toEqual(putOrder(r.trace));
  });

  it('has at most one batch in flight per message group', async () => {
    const r = await run(fifo);
    const groupOf = new Map<string, string>();
    for (const e of r.trace) if (e.type === 'record.put' && e.group) groupOf.set(e.id, e.group);
    const busy = new Map<string, string[]>();
    for (const e of r.trace) {
      if (e.type === 'invoke.start') {
        const gs = [...new Set((e.records ?? []).map((id) => groupOf.get(id)!))];
        for (const g of gs) expect(busy.get(g) ?? [], `group ${g} at ${e.t}`).toEqual([]);
        for (const g of gs) busy.set(g, [e.requestId]);
        busy.set(e.requestId, gs);
      } else if (e.type === 'invoke.end') {
        for (const g of busy.get(e.requestId) ?? []) busy.set(g, []);
      }
    }
  });

  // Batches of one message: a batch may mix groups (docs/aws-rules.md §3.3), and a failed mixed batch holds back
  // every group in it; single-message batches show the one-group rule on its own.
  const single: Scenario = { ...fifo, eventSourceMappings: [{ source: 'q.fifo', function: 'f', batchSize: 1 }] };

  it('blocks only the failing group until the message is redriven, while the other groups flow', async () => {
    const r = await run({ ...single, faults: [{ function: 'f', kind: 'error', match: { index: 1 } }] });
    const puts = r.of('record.put').filter((p) => p.source === 'q.fifo');
    const poison = puts[1];
    expect(poison.group).toBe('b');
    // The poison message is received maxReceiveCount times, then redriven; group b waits for it.
    const poisonStarts = r.of('invoke.start').filter((s) => s.records!.includes(poison.id));
    expect(poisonStarts).toHaveLength(3);
    const redrive = r.of('sqs.redrive');
    expect(redrive.map((e) => e.id)).toEqual([poison.id]);
    const laterB = puts.filter((p, i) => p.group === 'b' && i > 1).map((p) => p.id);
    const firstB = r.of('invoke.start').find((s) => s.records!.some((id) => laterB.includes(id) && !poisonStarts.some((p) => p.records!.includes(id))));
    expect(firstB!.t).toBeGreaterThanOrEqual(redrive[0].t);
    // Other groups kept flowing meanwhile.
    const flowing = r.of('sqs.delete').filter((d) => d.t < redrive[0].t).flatMap((d) => d.ids);
    const groupOf = new Map(puts.map((p) => [p.id, p.group]));
    expect(new Set(flowing.map((id) => groupOf.get(id)))).toEqual(new Set(['a', 'c', 'd']));
    expect(firstReceiveOrder(r.trace)).toEqual(putOrder(r.trace));
    expect(r.summary.sources['q.fifo'].failedTo).toEqual({ 'dlq:dlq.fifo': 1 });
  });

  it('lists the blocked group in the view state while it waits', async () => {
    const r = await run({ ...single, faults: [{ function: 'f', kind: 'error', match: { index: 1 } }] }, { untilMs: 5_000 });
    const view = (r.sim.state.modules.sqs as SqsViewState).queues['q.fifo'];
    expect(view.blockedGroups).toEqual(['b']);
    expect(view.blockedGroupCount).toBe(1);
    expect(view.invisibleAfterFailure).toBeGreaterThan(0);
  });

  /**
   * One group, 4 messages in one batch; that invocation reports `report(records)` as failed. A lead message
   * goes first, alone (the group's first message is received as it is sent): the 4 that follow 1 ms apart
   * wait behind it, since its batch locks the group, and are received together when it ends.
   */
  const fifoPartial = (report: (ids: string[]) => string[]): Scenario => {
    let first = true;
    return {
      name: 'fifo partial',
      duration: '20s',
      functions: {
        f: {
          coldStart: '0ms',
          handler: (e: { Records: Array<{ messageId: string }> }) => {
            if (!first || e.Records.length < 4) return {};
            first = false;
            return { batchItemFailures: report(e.Records.map((r) => r.messageId)).map((itemIdentifier) => ({ itemIdentifier })) };
          },
        },
      },
      queues: { 'q.fifo': { fifo: true, visibilityTimeout: '5s' } },
      eventSourceMappings: [{ source: 'q.fifo', function: 'f', batchSize: 4, reportBatchItemFailures: true }],
      traffic: [{ to: 'q.fifo', count: 5, rate: 1000, messageGroups: ['g'] }],
    };
  };

  // LDG with-sqs.html: "the function should stop processing messages after the first failure and return
  // all failed and unprocessed messages in batchItemFailures". That is the function's job: Lambda deletes
  // every message the response does not list, on FIFO queues as on standard ones.
  it('deletes every message the response does not list, so a later message of the group is processed before the failed one', async () => {
    const r = await run(fifoPartial((ids) => [ids[1]]));
    expect(r.of('invoke.start')[0].records).toHaveLength(1); // the lead message
    const ids = r.of('invoke.start')[1].records!;
    expect(ids).toHaveLength(4);
    const [, firstDelete, secondDelete] = r.of('sqs.delete');
    expect(firstDelete.ids).toEqual([ids[0], ids[2], ids[3]]);
    expect(r.of('sqs.visible').map((v) => [v.id, v.receiveCount])).toEqual([[ids[1], 1]]);
    // The failed message comes back after 2 and 3 were deleted: the group's order is broken.
    const retry = r.of('invoke.start')[2];
    expect(retry).toMatchObject({ records: [ids[1]], attempt: 2 });
    expect(retry.t).toBeGreaterThan(firstDelete.t);
    expect(secondDelete.ids).toEqual([ids[1]]);
    expect(r.summary.sources['q.fifo']).toMatchObject({ put: 5, succeeded: 5 });
  });

  it('keeps the group in order when the function reports the failed message and every later one, as AWS tells it to', async () => {
    const r = await run(fifoPartial((ids) => ids.slice(1)));
    const ids = r.of('invoke.start')[1].records!;
    expect(ids).toHaveLength(4);
    expect(r.of('sqs.delete')[1].ids).toEqual([ids[0]]);
    expect(r.of('sqs.visible').map((v) => v.id)).toEqual([ids[1], ids[2], ids[3]]);
    expect(r.of('invoke.start')[2].records).toEqual([ids[1], ids[2], ids[3]]);
  });

  it('starts a batch for every active message group at once, with no 5-start and no +5/s ramp', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `g${i}`);
    const many: Scenario = {
      name: 'fifo groups',
      duration: '30s',
      functions: { f: { duration: '2s', timeout: '3s', coldStart: '0ms' } },
      queues: { 'q.fifo': { fifo: true, visibilityTimeout: '30s' } },
      // The mapping is created once the 5,000 messages (100 per group) are in the queue.
      eventSourceMappings: [{ source: 'q.fifo', function: 'f', batchSize: 10, startAt: '100ms' }],
      traffic: [{ to: 'q.fifo', count: 5_000, rate: 100_000, messageGroups: fifty }],
    };
    const r = await run(many);
    // All 50 start at once when the mapping starts, and that is the peak.
    const starts = r.of('invoke.start');
    expect(starts[0].t).toBe(100);
    expect(starts.filter((s) => s.t === 100)).toHaveLength(50);
    expect(r.summary.functions.f.peakConcurrency).toBe(50);
    // Each batch holds one group's next 10 messages.
    const groupOf = new Map(r.of('record.put').map((p) => [p.id, p.group]));
    for (const s of r.of('invoke.start').slice(0, 50)) expect(new Set(s.records!.map((id) => groupOf.get(id))).size).toBe(1);
    const mid = await run(many, { untilMs: 500 });
    expect((mid.sim.state.modules.sqs as SqsViewState).mappings['esm-0']).toMatchObject({ concurrencyTarget: 50, inFlightBatches: 50, concurrencyCap: 1250 });
    // maxConcurrency still caps it.
    const capped = await run({ ...many, eventSourceMappings: [{ source: 'q.fifo', function: 'f', batchSize: 10, maxConcurrency: 20, startAt: '100ms' }] });
    const cappedStarts = capped.of('invoke.start');
    expect(cappedStarts.filter((s) => s.t === 100)).toHaveLength(20);
    expect(capped.summary.functions.f.peakConcurrency).toBe(20);
  });

  it('runs at most as many batches at once as there are active groups', async () => {
    const r = await run({
      ...fifo,
      functions: { f: { duration: '2s', coldStart: '0ms' } },
      eventSourceMappings: [{ source: 'q.fifo', function: 'f', batchSize: 1 }],
      traffic: [{ to: 'q.fifo', count: 400, rate: 1000, messageGroups: ['a', 'b', 'c'] }],
    });
    expect(r.summary.functions.f.peakConcurrency).toBe(3);
  });
});

describe('SQS accounting: every message ends deleted, redriven, expired, filtered, or is still queued or in flight', () => {
  it('closes the ledger over random SQS scenarios', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          fifo: fc.boolean(),
          batchSize: fc.integer({ min: 1, max: 10 }),
          window: fc.constantFrom(0, 1000),
          visibility: fc.constantFrom(3_000, 5_000, 20_000),
          delay: fc.constantFrom(0, 2_000),
          retention: fc.constantFrom(60_000, 345_600_000),
          maxReceiveCount: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
          rbif: fc.boolean(),
          filter: fc.boolean(),
          errorRate: fc.constantFrom(0, 0.2, 0.6),
          throttle: fc.boolean(),
          partial: fc.boolean(),
          reserved: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
          count: fc.integer({ min: 1, max: 150 }),
          rate: fc.constantFrom(5, 50, 500),
          durationMs: fc.integer({ min: 50, max: 2_900 }),
          seed: fc.integer({ min: 1, max: 1_000_000 }),
        }),
        async (p) => {
          const q = p.fifo ? 'q.fifo' : 'q';
          const dlq = p.fifo ? 'dlq.fifo' : 'dlq';
          const faults: FaultSpec[] = [];
          if (p.errorRate > 0) faults.push({ function: 'f', kind: 'error', rate: p.errorRate });
          if (p.throttle) faults.push({ function: 'f', kind: 'throttle', rate: 0.3, until: '20s' });
          if (p.partial) faults.push({ function: 'f', kind: 'partial', rate: 0.3 });
          const scenario: Scenario = {
            name: 'random sqs',
            seed: p.seed,
            duration: '2m',
            functions: {
              f: { duration: `${p.durationMs}ms`, timeout: '3s', ...(p.reserved !== undefined ? { reservedConcurrentExecutions: p.reserved } : {}) },
              g: {},
            },
            queues: {
              [q]: {
                fifo: p.fifo,
                visibilityTimeout: `${p.visibility}ms`,
                deliveryDelay: `${p.delay}ms`,
                retentionPeriod: `${p.retention}ms`,
                ...(p.maxReceiveCount !== undefined ? { deadLetterQueue: { queue: dlq, maxReceiveCount: p.maxReceiveCount } } : {}),
              },
              [dlq]: { fifo: p.fifo, retentionPeriod: '60s' },
            },
            eventSourceMappings: [
              {
                source: q,
                function: 'f',
                batchSize: p.batchSize,
                ...(p.fifo ? {} : { maxBatchingWindow: `${p.window}ms` }),
                reportBatchItemFailures: p.rbif,
                ...(p.filter ? { filters: [{ body: { n: [{ numeric: ['>=', 3] }] } }] } : {}),
              },
              { source: dlq, function: 'g' },
            ],
            traffic: [{ to: q, count: p.count, rate: p.rate, ...(p.fifo ? { messageGroups: 3 } : {}) }],
            faults,
          };
          const r = await run(scenario);
          const check = r.sim.checkAccounting();
          expect(check.problems).toEqual([]);
          const s = r.summary.sources[q];
          expect(s.put).toBe(p.count);
          expect(s.succeeded + s.failed + s.expired + s.filtered + s.waiting + s.inFlight).toBe(p.count);
          expect(s.failed).toBe(r.of('sqs.redrive').filter((e) => e.queue === q).length);
          expect(r.summary.sources[dlq].put).toBe(s.failed);
          const view = (r.sim.state.modules.sqs as SqsViewState).queues[q];
          expect(view.visible + view.delayed + view.invisibleAfterFailure).toBe(s.waiting);
          expect(view.inFlight).toBe(s.inFlight);
          expect(view.deleted).toBe(s.succeeded);
          if (p.fifo) {
            // Order within each group holds for first receives, whatever failed.
            const order: Record<string, string[]> = {};
            const groupOf = new Map<string, string>();
            for (const e of r.trace) if (e.type === 'record.put' && e.source === q) groupOf.set(e.id, e.group!);
            const seen = new Set<string>();
            for (const e of r.trace) {
              if (e.type !== 'invoke.start' || e.source !== q) continue;
              for (const id of (e as Start).records ?? []) if (!seen.has(id)) (seen.add(id), (order[groupOf.get(id)!] ??= []).push(id));
            }
            const puts: Record<string, string[]> = {};
            for (const e of r.trace) if (e.type === 'record.put' && e.source === q && seen.has(e.id)) (puts[e.group!] ??= []).push(e.id);
            expect(order).toEqual(puts);
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
