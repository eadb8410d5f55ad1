import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { applyThresholds, diffRows, formatDiff, parseThreshold } from '../../src/diff/diff.js';
import type { Summary } from '../../src/output/summary.js';
import type { Scenario } from '../../src/scenario/types.js';
import { run } from '../helpers/run.js';

async function summaries(): Promise<{ a: Summary; b: Summary }> {
  const scenario = (memorySize: number): Scenario => ({
    name: 'diff fixture',
    duration: '30s',
    functions: { api: { duration: '100ms', memorySize } },
    traffic: [{ invoke: 'api', type: 'RequestResponse', rate: 2 }],
  });
  return { a: (await run(scenario(128))).summary, b: (await run(scenario(256))).summary };
}

async function files(a: Summary, b: Summary): Promise<[string, string]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'diff-'));
  const fa = path.join(dir, 'a.json');
  const fb = path.join(dir, 'b.json');
  await writeFile(fa, JSON.stringify(a));
  await writeFile(fb, JSON.stringify(b));
  return [fa, fb];
}

async function exitOf(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: any) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: any) => ((err += String(c)), true));
  try {
    return { status: await main(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('diff: what changed between two runs', () => {
  it('shows the changed rows, per function and cost, with the change and the percentage', async () => {
    const { a, b } = await summaries();
    const table = formatDiff(diffRows(a, b), ['a.json', 'b.json']);
    expect(table).toMatch(/cost\s+\$\S+\s+\$\S+\s+\+\$\S+\s+\+\d+\.\d%/);
    expect(table).toContain('functions.api.usd');
    // Memory changes the price only: invocations are the same and not shown.
    expect(table).not.toContain('functions.api.invocations');
  });

  it('crosses a percent threshold on an increase above it, and not on one below', async () => {
    const { a, b } = await summaries();
    const rise = (b.cost.totalUsd - a.cost.totalUsd) / a.cost.totalUsd * 100;
    expect(applyThresholds(diffRows(a, b), [parseThreshold(`cost>+${Math.floor(rise) - 1}%`)])).toBe(1);
    expect(applyThresholds(diffRows(a, b), [parseThreshold(`cost>+${Math.ceil(rise) + 1}%`)])).toBe(0);
    // A decrease never crosses an increase threshold.
    expect(applyThresholds(diffRows(b, a), [parseThreshold('cost>+0%')])).toBe(0);
  });

  it('crosses an absolute threshold, and matches one name segment with *', async () => {
    const { a } = await summaries();
    const b = structuredClone(a);
    b.functions.api.errors = a.functions.api.errors + 3;
    expect(applyThresholds(diffRows(a, b), [parseThreshold('functions.*.errors > +2')])).toBe(1);
    expect(applyThresholds(diffRows(a, b), [parseThreshold('functions.*.errors > +3')])).toBe(0);
  });

  it('exits 0 when no threshold is crossed, 1 when one is, 2 on usage errors', async () => {
    const { a, b } = await summaries();
    const [fa, fb] = await files(a, b);
    expect((await exitOf(['diff', fa, fa, '--fail-on', 'cost>+0%'])).status).toBe(0);
    expect((await exitOf(['diff', fa, fb])).status).toBe(0);
    const crossed = await exitOf(['diff', fa, fb, '--fail-on', 'cost>+10%']);
    expect(crossed.status).toBe(1);
    expect(crossed.out).toMatch(/^!\s+cost\s/m);
    expect(crossed.err).toContain('1 threshold crossed');
    expect((await exitOf(['diff', fa, fb, '--fail-on', 'cost<10%'])).status).toBe(2);
    const typo = await exitOf(['diff', fa, fb, '--fail-on', 'cots>+10%']);
    expect(typo.status).toBe(2);
    expect(typo.err).toContain("'cots' names no row");
    expect((await exitOf(['diff', fa, path.join(path.dirname(fa), 'missing.json')])).status).toBe(2);
  });
});
