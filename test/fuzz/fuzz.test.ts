/**
 * The scenario fuzz (issue 16): every mutant must end as a clear one-line error or a run whose books
 * close. `npm test` runs a fixed slice (seeds 0..FUZZ_RUNS-1, default 200, at the light scale: a few
 * seconds); `npm run fuzz` runs 10,000 at the audit's full sizes and prints the counts by outcome class.
 *
 * Every finding names the seed that replays it: `FUZZ_SEED=43 npm run fuzz` (add FUZZ_SCALE=light for a
 * finding of the npm test slice) judges that one mutant and prints what it was and what it became.
 */
import { describe, expect, it } from 'vitest';
import { judge, KINDS, mutantFor, type Outcome, type Scale } from './mutants.js';

const FULL = process.env.FUZZ_FULL === '1';
const ONE = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const SCALE: Scale = process.env.FUZZ_SCALE === 'light' || (!FULL && process.env.FUZZ_SCALE !== 'full') ? 'light' : 'full';
const RUNS = Number(process.env.FUZZ_RUNS ?? (FULL ? 10_000 : 200));

const GOOD: readonly Outcome[] = ['error', 'ran'];

function replay(seed: number, scale: Scale): string {
  return `FUZZ_SEED=${seed}${scale === 'light' ? ' FUZZ_SCALE=light' : ''} npm run fuzz`;
}

describe('the scenario fuzz', () => {
  it.runIf(ONE === undefined)(`${RUNS} mutants (${SCALE} scale) are each a clear one-line error or a run whose books close`, async () => {
    const counts = new Map<string, number>();
    const findings: string[] = [];
    const started = Date.now();
    for (let seed = 0; seed < RUNS; seed++) {
      const mutant = mutantFor(seed, SCALE);
      const judged = await judge(mutant, SCALE === 'light' ? 5_000 : undefined);
      for (const key of [judged.outcome, `${judged.outcome} ${mutant.kind}`]) counts.set(key, (counts.get(key) ?? 0) + 1);
      if (!GOOD.includes(judged.outcome)) findings.push(`seed ${seed} (${mutant.note}): ${judged.outcome}: ${judged.detail ?? ''}\n  replay: ${replay(seed, SCALE)}`);
    }
    // Every kind is exercised by the slice, or the slice proves less than it claims.
    const kinds = new Set([...counts.keys()].filter((k) => k.includes(' ')).map((k) => k.split(' ')[1]));
    expect([...Object.keys(KINDS)].filter((k) => !kinds.has(k))).toEqual([]);
    if (FULL) {
      const lines = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k.padEnd(34)} ${n}`);
      process.stdout.write(`\nfuzz: ${RUNS} mutants at the ${SCALE} scale in ${Math.round((Date.now() - started) / 1000)} s\n${lines.join('\n')}\n`);
    }
    expect(findings.slice(0, 20).join('\n'), `${findings.length} findings`).toBe('');
  }, FULL ? 3_600_000 : 60_000);

  it.runIf(ONE !== undefined)(`replays one mutant (FUZZ_SEED=${ONE})`, async () => {
    const mutant = mutantFor(ONE!, SCALE);
    const judged = await judge(mutant, SCALE === 'light' ? 5_000 : undefined);
    process.stdout.write(`\nseed ${ONE} (${SCALE} scale): ${mutant.kind}: ${mutant.note}\n  expected: ${mutant.expect === 'invalid' ? 'a clear error' : 'a clear error or a run'}\n  outcome: ${judged.outcome}${judged.detail ? `: ${judged.detail}` : ''}\n`);
    expect(GOOD, `${judged.outcome}: ${judged.detail ?? ''}`).toContain(judged.outcome);
  }, 600_000);
});
