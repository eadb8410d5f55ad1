/**
 * Issue 14 as a person uses it, in a real terminal (tmux): jump to the next failure and land on the
 * bisect, go back to 0:05 from the end of the run, and paste a filter that ends in a carriage return.
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

describe('moving through time in the dashboard', () => {
  it('] lands on the bisect of kinesis-error; : 0:05 goes back there from the end of the run', async () => {
    const tmux = await dashboard('scenarios/kinesis-error.ts --speed 1');
    await tmux.press('space');
    await tmux.waitFor('|| paused');
    await tmux.press(']');
    let screen = await tmux.waitFor(/bisect: 00:11\.\d processor shard-3/, 30_000);
    expect(screen).toMatch(/t 00:11\.\d +tick 11\d /);
    expect(screen).toMatch(/failed \(Error: cannot parse order 200\).*-> bisect/);

    // To the end of the 3-minute run, then back to 0:05 in one go.
    await tmux.press(':');
    await tmux.waitFor('go to: _');
    await tmux.sendRaw('3:00\r');
    screen = await tmux.waitFor(/t 03:00\.0 +tick 1800 /, 60_000);
    await tmux.press(':');
    await tmux.sendRaw('0:05\r');
    screen = await tmux.waitFor(/t 00:05\.0 +tick 50 +x1 +<< past \(live at tick 1800\)/, 10_000);
    // The timeline shows the cursor near the start, and the failures after it.
    expect(screen).toMatch(/ 0:00 \[\.*\|[.xbdr]*[xb][.xbdr]*\] 03:00\.0/);
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m, 10_000);
  });

  it('goes back across a 10-minute run through checkpoints: each jump restores one and re-runs at most 50 ticks', { timeout: 300_000 }, async () => {
    const tmux = await dashboard('scenarios/kinesis-error.ts --duration 10m --speed 1');
    await tmux.press('space');
    await tmux.waitFor('|| paused');
    await tmux.press(':');
    await tmux.waitFor('go to: _');
    await tmux.sendRaw('10:00\r');
    await tmux.waitFor(/t 10:00\.0 +tick 6000 /, 240_000);
    // Near the start: neither in the 600-tick history nor a keyframe (every 10 ticks; 20 past 1,500).
    // Before checkpoints this re-ran from t=0 and gave the head up.
    await tmux.press(':');
    await tmux.sendRaw('0:00.5\r');
    await tmux.waitFor(/t 00:00\.5 +tick 5 +x1 +<< past \(live at tick 6000\)/, 10_000);
    // Back to near the end, again no kept snapshot: from the checkpoint at 9:55, not a re-run from 0:00.5.
    const started = Date.now();
    await tmux.press(':');
    await tmux.sendRaw('9:55.3\r');
    await tmux.waitFor(/t 09:55\.3 +tick 5953 +x1 +<< past \(live at tick 6000\)/, 20_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    // n steps on from there, and the end is still where the run had got to.
    await tmux.press('n');
    await tmux.waitFor(/t 09:55\.4 +tick 5954 /, 10_000);
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m, 10_000);
  });

  it("takes a pasted 'shard-3\\r' into the filter as text and enter", async () => {
    const tmux = await dashboard('scenarios/kinesis-error.ts --speed 20');
    await tmux.waitFor(/t 00:(1[3-9]|[2-5]\d)\.\d/, 30_000);
    await tmux.press('/');
    await tmux.waitFor('filter: _');
    await tmux.sendRaw('shard-3\r');
    const screen = await tmux.waitFor(/Log\]=+ \/shard-3 /, 10_000);
    expect(screen).not.toContain('filter: shard-3_');
    const log = screen.split('\n').filter((line) => /^\| \d\d:\d\d\.\d /.test(line));
    expect(log.length).toBeGreaterThan(0);
    for (const line of log) expect(line).toContain('shard-3');
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m, 10_000);
  });
});
