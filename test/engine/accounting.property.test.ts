import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceLine } from '../../src/engine/trace.js';
import { mixed, mixedScenario } from '../helpers/mixed-scenario.js';
import { run } from '../helpers/run.js';

describe('accounting across chained sources: every record ends in exactly one state', () => {
  it('closes the books and replays byte for byte, over many random mixed scenarios', async () => {
    await fc.assert(
      fc.asyncProperty(mixed, async (o) => {
        const s = mixedScenario(o);
        const a = await run(s);
        expect(a.summary.accounting.problems).toEqual([]);
        expect(a.summary.accounting.ok).toBe(true);
        for (const src of Object.values(a.summary.sources)) {
          expect(src.put).toBe(src.succeeded + src.failed + src.expired + src.filtered + src.inFlight + src.waiting);
        }
        // Records delivered to the 'failed' queue are new records there: its ledger counts every delivery.
        const delivered = a.of('deliver').filter((e) => e.to === 'failed').length;
        const fromTopic = a.summary.sources.alerts?.succeeded ?? 0;
        expect(a.summary.sources.failed.put).toBe(delivered + fromTopic);
        const b = await run(s);
        expect(b.trace.map(traceLine).join('\n')).toBe(a.trace.map(traceLine).join('\n'));
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
