import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/sqs-visibility-too-short.ts: processing that outlasts the visibility timeout duplicates messages', async () => {
  const { model } = await loadScenario('scenarios/sqs-visibility-too-short.ts');
  const r = await run(model);

  it('passes validation: the function timeout equals the visibility timeout', () => {
    expect(model.functions.exporter.timeoutMs).toBe(model.queues.exports.visibilityTimeoutMs);
  });

  it('invokes some messages again while their first invocation is still running', () => {
    const running = new Map<string, string[]>();
    let overlaps = 0;
    for (const e of r.trace) {
      if (e.type === 'invoke.start') {
        for (const id of e.records!) if ([...running.values()].some((ids) => ids.includes(id))) overlaps++;
        running.set(e.requestId, e.records!);
      } else if (e.type === 'invoke.end') running.delete(e.requestId);
    }
    expect(overlaps).toBeGreaterThan(0);
    expect(r.summary.functions.exporter.invocations).toBeGreaterThan(20);
    expect(r.of('sqs.visible').length).toBeGreaterThan(0);
  });

  it('deletes each message once, with its latest receipt', () => {
    const deleted = r.of('sqs.delete').flatMap((d) => d.ids);
    expect(new Set(deleted).size).toBe(deleted.length);
    expect(r.summary.sources.exports).toMatchObject({ put: 20, succeeded: 20 });
  });
});
