/**
 * Max Memory Used (docs/sandbox.md, "Memory"): the sandbox measures each invocation's heap growth in its
 * worker, shows it through Sandbox.measuredMemory(), and keeps it out of the trace, whose REPORT line
 * shows the configured memorySize, so that two runs stay byte-identical.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneFunction, runFile, scenarioFolder } from '../helpers/sandbox.js';

describe('memory of an invocation', () => {
  it('measures the heap an invocation keeps, outside the trace, whose REPORT stays the configured size', async () => {
    const dir = scenarioFolder({
      's.ts': oneFunction(
        "{ memorySize: 256, handler: async (event: { n: number }) => { kept.push(Array.from({ length: 300_000 }, (_, k) => ({ k, n: event.n }))); return kept.length; } }",
        "{ invoke: 'fn', type: 'RequestResponse', rate: 1, count: 3 }",
        'const kept: unknown[][] = [];',
      ),
    });
    const file = path.join(dir, 's.ts');
    const a = await runFile(file);
    const b = await runFile(file);
    const measured = a.sandbox.measuredMemory();
    expect(measured.fn.invocations).toBe(3);
    // 300,000 small objects kept in module state: several MB of heap per invocation.
    expect(measured.fn.maxHeapGrowthMb).toBeGreaterThan(5);
    expect(measured.fn.maxWorkerHeapMb).toBeGreaterThanOrEqual(measured.fn.maxHeapGrowthMb);
    const reports = a.lines().filter((l) => l.startsWith('REPORT'));
    expect(reports).toHaveLength(3);
    for (const line of reports) expect(line).toContain('Memory Size: 256 MB\tMax Memory Used: 256 MB\t');
    // Nothing measured reaches the trace: two runs give the same bytes.
    expect(JSON.stringify(a.trace)).toBe(JSON.stringify(b.trace));
    expect(JSON.stringify(a.trace)).not.toContain('heapGrowth');
  }, 60_000);
});
