/**
 * Issue 16, item 9, in a real terminal (tmux): Esc followed at once by q (one write, as a fast typist
 * or a paste sends it) closes the fault menu and then quits; the q is not lost.
 */
import { afterEach, describe, it } from 'vitest';
import { killAllTmux, startTmux } from './harness/tmux.js';

afterEach(killAllTmux);

describe('Esc then q, quickly', () => {
  it('closes the fault menu and quits with 0', async () => {
    const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols: 100, rows: 30, cwd: process.cwd(), env: { PS1: '$ ', NO_COLOR: '1' } });
    await tmux.waitFor(/^\$/m, 5_000);
    await tmux.sendKeys('node bin/lambda-tui.js scenarios/kinesis-error.ts; echo "exit=$?"', 'Enter');
    await tmux.waitFor(/lambda-tui +Kinesis poison record/, 20_000);
    await tmux.press('f');
    await tmux.waitFor('Inject a fault', 5_000);
    await tmux.sendRaw('\x1bq');
    await tmux.waitFor(/^exit=0$/m, 10_000);
  });
});
