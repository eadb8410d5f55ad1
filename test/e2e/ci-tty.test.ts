/**
 * CI set in a real terminal (issue 16, item 9): Ink alone would render only its last frame at exit (a
 * blank dashboard); a terminal on both ends shows the dashboard, live, whatever CI says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAllTmux, startTmux } from './harness/tmux.js';

afterEach(killAllTmux);

describe('CI=1 with a terminal', () => {
  it('shows the live dashboard, and q quits with 0', async () => {
    const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols: 100, rows: 30, cwd: process.cwd(), env: { PS1: '$ ' } });
    await tmux.waitFor(/^\$/m, 5_000);
    await tmux.sendKeys('CI=1 NO_COLOR=1 node bin/lambda-tui.js scenarios/kinesis-error.ts; echo "exit=$?"', 'Enter');
    const screen = await tmux.waitFor(/\+=\[1 Sources\]=/, 20_000);
    expect(screen).toMatch(/lambda-tui +Kinesis poison record with bisect/);
    // Live: the clock moves while it runs.
    await tmux.waitFor(/tick [1-9]\d* /, 10_000);
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m, 10_000);
  });
});
