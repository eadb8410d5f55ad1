/**
 * "What to watch" in a real terminal (tmux, issue 14, item 5): kinesis-error's header says which of its
 * moments the run has reached, and going back in time shows the description again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAllTmux, startTmux } from './harness/tmux.js';

afterEach(killAllTmux);

describe('what to watch', () => {
  it('the header follows kinesis-error to the bisect and to onFailure, and back', async () => {
    const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols: 100, rows: 30, cwd: process.cwd(), env: { PS1: '$ ', NO_COLOR: '1' } });
    await tmux.waitFor(/^\$/m, 5_000);
    await tmux.sendKeys('node bin/lambda-tui.js scenarios/kinesis-error.ts --speed 1; echo "exit=$?"', 'Enter');
    let screen = await tmux.waitFor(/lambda-tui +Kinesis poison record/, 20_000);
    expect(screen).toMatch(/^ order 200 poisons shard-3/m);
    await tmux.press('space');
    await tmux.waitFor('|| paused');
    await tmux.press(']');
    await tmux.waitFor(/bisect: 00:11\.\d processor shard-3/, 30_000);
    // The notice of the jump goes with the next key; then the step shows.
    await tmux.press('k');
    screen = await tmux.waitFor(/^ watch 1\/3: order 200 fails its batch on shard-3/m, 5_000);
    await tmux.press(':');
    await tmux.sendRaw('3:00\r');
    screen = await tmux.waitFor(/t 03:00\.0 +tick 1800 /, 60_000);
    expect(screen).toMatch(/^ watch 3\/3: the poison record went to onFailure \(orders-failed\)/m);
    await tmux.press(':');
    await tmux.sendRaw('0:05\r');
    screen = await tmux.waitFor(/t 00:05\.0 +tick 50 /, 10_000);
    expect(screen).toMatch(/^ order 200 poisons shard-3/m);
    expect(screen).not.toContain('watch ');
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m, 10_000);
  });
});
