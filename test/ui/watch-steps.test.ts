/**
 * "What to watch" (issue 14, item 5): each bundled scenario with steps reaches every one of them, in
 * order, within its duration; the header shows the newest reached at the cursor, and going back shows
 * an earlier one again.
 */
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { Controller } from '../../src/ui/controller.js';
import { WATCH_STEPS, watchLine } from '../../src/ui/watch-steps.js';

async function bundledByName(): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  for (const file of (await readdir('scenarios')).filter((f) => f.endsWith('.ts'))) {
    const { model } = await loadScenario(`scenarios/${file}`);
    byName.set(model.name, `scenarios/${file}`);
  }
  return byName;
}

describe('what to watch', () => {
  it('names only bundled scenarios, and each reaches its steps in order within its duration', { timeout: 120_000 }, async () => {
    const byName = await bundledByName();
    for (const [name, steps] of Object.entries(WATCH_STEPS)) {
      const file = byName.get(name);
      expect(file, name).toBeDefined();
      const { model } = await loadScenario(file!);
      const c = new Controller(model, { paused: true, historySize: 10 });
      const end = Math.ceil(model.durationMs / model.tickMs);
      const seen: string[] = [];
      for (let tick = 0; tick <= end; tick += 5) {
        await c.seek(tick);
        const line = c.watch;
        if (line !== undefined && seen[seen.length - 1] !== line) seen.push(line);
      }
      expect(seen, name).toEqual(steps.map((s, i) => `watch ${i + 1}/${steps.length}: ${s.text}`));
    }
  });

  it('kinesis-error: the header line follows the cursor, back to an earlier step and to none', async () => {
    const { model } = await loadScenario('scenarios/kinesis-error.ts');
    const c = new Controller(model, { paused: true });
    expect(c.watch).toBeUndefined();
    await c.seek(1800);
    expect(c.watch).toMatch(/^watch 3\/3: the poison record went to onFailure/);
    await c.jumpNotable(-1);
    await c.seekTime(0);
    expect(c.watch).toBeUndefined();
    // The first failure, then the bisect: each step at the tick it was first reached.
    await c.jumpNotable(1);
    expect(c.watch).toMatch(/^watch [12]\/3: /);
  });

  it('picks the newest step reached by the cursor', () => {
    const steps = WATCH_STEPS['Kinesis poison record with bisect'];
    expect(watchLine(steps, [10, 12, undefined], 9)).toBeUndefined();
    expect(watchLine(steps, [10, 12, undefined], 11)).toBe(`watch 1/3: ${steps[0].text}`);
    expect(watchLine(steps, [10, 12, 40], 100)).toBe(`watch 3/3: ${steps[2].text}`);
  });
});
