/**
 * Issue 16, item 8, in a real terminal (tmux): long work in the dashboard (going to a time far ahead, with
 * 200 functions, takes seconds) must not hold q up: q must take effect within a second while it runs,
 * because the run gives the keys a turn every RERUN_SLICE_MS of wall time. Going back past the history
 * no longer re-runs from t=0 (it restores a checkpoint, docs/checkpoints.md): that is instant here.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllTmux, startTmux } from './harness/tmux.js';

afterEach(killAllTmux);

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lambda-tui-many-'));
  file = join(dir, 'many-functions.ts');
  const functions: Record<string, unknown> = {};
  const traffic: unknown[] = [];
  // Every function costs the engine work each tick, busy or not: a few carry traffic, so the run is slow
  // per tick rather than busy.
  for (let i = 0; i < 200; i++) {
    functions[`fn${i}`] = { duration: { p50: '50ms', p99: '200ms' }, timeout: '3s' };
    if (i % 20 === 0) traffic.push({ invoke: `fn${i}`, type: 'Event', rate: 2 });
  }
  const scenario = { name: 'Two hundred functions', description: 'many functions: a re-run takes a while', duration: '5m', functions, traffic };
  await writeFile(file, `export default ${JSON.stringify(scenario, null, 1)};\n`);
});

afterAll(async () => {
  await killAllTmux();
  await rm(dir, { recursive: true, force: true });
});

describe('a long re-run', () => {
  it('q quits within a second while going far ahead runs 200 functions', { timeout: 240_000 }, async () => {
    const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols: 100, rows: 30, cwd: process.cwd(), env: { PS1: '$ ', NO_COLOR: '1' } });
    await tmux.waitFor(/^\$/m, 5_000);
    await tmux.sendKeys(`node bin/lambda-tui.js ${file}; echo "exit=$?"`, 'Enter');
    await tmux.waitFor(/lambda-tui +Two hundred functions/, 20_000);
    await tmux.press('space');
    await tmux.waitFor('|| paused');
    // Forward to 1:01 (610 ticks): the 600-tick history no longer reaches 0:00.5.
    await tmux.press(':');
    await tmux.sendRaw('1:01\r');
    await tmux.waitFor(/t 01:01\.0 +tick 610 +x10 +\|\| paused/, 150_000);
    // 0:00.5 is no keyframe (every 10 ticks) and out of the history: the checkpoint at t=0 and 5 ticks.
    await tmux.press(':');
    await tmux.sendRaw('0:00.5\r');
    await tmux.waitFor(/t 00:00\.5 +tick 5 +x10 +<< past \(live at tick 610\)/, 10_000);
    // Far past the run's frontier: long work, and still going after 3 s.
    await tmux.press(':');
    await tmux.sendRaw('4:50\r');
    await tmux.waitFor(/>> going to tick 2900 /, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await tmux.capture()).toMatch(/>> going to tick 2900 /);
    const pressed = Date.now();
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m, 10_000);
    const quitMs = Date.now() - pressed;
    expect(quitMs).toBeLessThan(1_000);
  });
});
