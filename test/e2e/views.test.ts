/**
 * Issues 14, 15 and 17 in a real terminal (tmux), as a person uses them: the Logs view (L) shows the
 * handler's CloudWatch lines, the Metrics view (m) opened on shard-3 charts its iterator age with the
 * peak where the trace has it, the Cost view (c) breaks down the header's cost, z zooms a pane, and
 * q still quits with the terminal restored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAllTmux, startTmux } from './harness/tmux.js';

afterEach(killAllTmux);

async function dashboard(args: string) {
  const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols: 100, rows: 30, cwd: process.cwd(), env: { PS1: '$ ' } });
  await tmux.waitFor(/^\$/m, 5_000);
  await tmux.sendKeys(`node bin/lambda-tui.js ${args}; echo "exit=$?"`, 'Enter');
  await tmux.waitFor(/lambda-tui +Kinesis poison record/, 20_000);
  return tmux;
}

describe('the views over the panes', () => {
  it('L shows the handler logs, m charts shard-3 up to the cursor, c the cost, z zooms; q quits', async () => {
    const tmux = await dashboard('scenarios/kinesis-error.ts --speed 20');
    await tmux.press('space');
    await tmux.waitFor('|| paused');
    await tmux.press(':');
    await tmux.sendRaw('1:00\r');
    await tmux.waitFor(/t 01:00\.0 +tick 600 /, 30_000);

    await tmux.press('L');
    let screen = await tmux.waitFor(/\[0 Logs\]=+ all functions +\d+ lines/, 10_000);
    expect(screen).toMatch(/processor START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(screen).toMatch(/REPORT RequestId: [0-9a-f-]{36} +Duration: \d+\.\d\d ms/);
    expect(screen).toContain('Max Memory Used is the configured memorySize: not measured');
    await tmux.press('esc');
    await tmux.waitFor(/1 Sources/, 5_000);

    // Sources: shard-3 is the fifth row (stream, shard-0..3).
    for (let i = 0; i < 4; i++) await tmux.press('j');
    await tmux.press('m');
    screen = await tmux.waitFor(/Metrics -+ orders shard-3 \(processor\)/, 10_000);
    const peak = /IteratorAge {2}now \S+ {2}peak (\S+) at (\d\d):(\d\d)\.(\d)/.exec(screen);
    expect(peak).not.toBeNull();
    // The poisoned batch reaches orders-failed when shard-3's age is at its peak (the trace: 00:45).
    const at = Number(peak![2]) * 60 + Number(peak![3]);
    expect(at).toBeGreaterThanOrEqual(40);
    expect(at).toBeLessThanOrEqual(50);
    expect(screen).toMatch(/[\u2801-\u28ff]/);
    expect(screen).toMatch(/00:00\.0 -+ 01:00\.0/);

    await tmux.press('c');
    screen = await tmux.waitFor(/0 Cost/, 10_000);
    const header = /cost (\$[\d.]+)/.exec(screen);
    expect(header).not.toBeNull();
    expect(screen).toContain(`${header![1]} so far (01:00.0 simulated)`);
    await tmux.press('esc');
    await tmux.waitFor(/1 Sources/, 5_000);

    await tmux.press('z');
    screen = await tmux.waitFor(/\[1 Sources\]=+\+\n/, 5_000);
    expect(screen).not.toContain('2 Concurrency');
    await tmux.press('z');
    await tmux.waitFor('2 Concurrency', 5_000);

    // Shift-Tab goes back to the last pane (the log), h to the one before; PgUp scrolls the log.
    await tmux.press('shift-tab');
    await tmux.waitFor('[5 Log]', 5_000);
    await tmux.press('pageup');
    await tmux.waitFor(/5 Log\]=+ scrolled \d+ /, 5_000);
    await tmux.press('G');
    await tmux.press('h');
    await tmux.waitFor('[4 Destinations]', 5_000);

    await tmux.press('q');
    screen = await tmux.waitFor(/^exit=0$/m, 10_000);
    expect(screen).not.toContain('1 Sources');
  });
});
