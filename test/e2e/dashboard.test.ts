/**
 * The dashboard as a person uses it: the real binary in a real terminal (tmux), started from a shell,
 * driven by key presses, read from the screen, resized, quit; then the shell must be usable again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAllTmux, startTmux, type TmuxSession } from './harness/tmux.js';

afterEach(killAllTmux);

const SCENARIO = 'scenarios/kinesis-error.ts';

async function altScreenOn(tmux: TmuxSession): Promise<boolean> {
  return (await tmux.tmux('display-message', '-p', '-t', tmux.target, '#{alternate_on}')).trim() === '1';
}

async function shell(cols = 100, rows = 30): Promise<TmuxSession> {
  const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols, rows, cwd: process.cwd(), env: { PS1: '$ ' } });
  await tmux.waitFor(/^\$/m, 5_000);
  await tmux.sendKeys('echo before-dashboard', 'Enter');
  await tmux.waitFor(/^before-dashboard$/m, 5_000);
  return tmux;
}

describe('the dashboard in a real terminal', () => {
  it('runs kinesis-error: first frame, pause, step, back, help, inspect, resize, quit, and gives the shell back', async () => {
    const tmux = await shell();
    await tmux.sendKeys(`node bin/lambda-tui.js ${SCENARIO} --speed 20; echo "exit=$?"`, 'Enter');

    // First frame: header, panes and the key hints.
    let screen = await tmux.waitFor(/lambda-tui +Kinesis poison record with bisect/, 20_000);
    expect(await altScreenOn(tmux)).toBe(true);
    screen = await tmux.waitFor(/shard-3 \[/, 10_000);
    expect(screen).toMatch(/\+=\[1 Sources\]=/);
    expect(screen).toContain('q quit');
    // Never taller than rows-1: the key hints are on row 29 of 30, and row 30 stays empty.
    const lines = screen.split('\n');
    expect(lines.findIndex((line) => line.includes('q quit'))).toBe(28);
    expect((lines[29] ?? '').trim()).toBe('');

    // Let it run into the bisect, then pause.
    await tmux.waitFor(/t 00:(1[2-9]|[2-5]\d)\.\d/, 30_000);
    await tmux.press('space');
    screen = await tmux.waitFor('|| paused');
    const tick = Number(/tick (\d+)/.exec(screen)![1]);

    await tmux.press('n');
    await tmux.waitFor(`tick ${tick + 1} `);
    await tmux.press('b');
    await tmux.press('b');
    screen = await tmux.waitFor(`tick ${tick - 1} `);
    expect(screen).toContain(`<< past (live at tick ${tick + 1})`);

    await tmux.press('?');
    screen = await tmux.waitFor('Help');
    expect(screen).toContain('pause / resume');
    expect(screen).toContain('inspect the selection as AWS-shaped JSON');
    await tmux.press('esc');
    await tmux.waitFor('[1 Sources]');

    // Run on until the poison record's batch-info record reaches orders-failed, then inspect it.
    await tmux.press('space');
    await tmux.waitFor(/onFailure RetryAttemptsExhausted +1\b/, 60_000);
    await tmux.press('space');
    await tmux.press('4');
    await tmux.waitFor('[4 Destinations]');
    await tmux.press('j');
    await tmux.waitFor(/\|> +onFailure RetryAttemptsExhausted/);
    await tmux.press('enter');
    screen = await tmux.waitFor('"condition": "RetryAttemptsExhausted"');
    expect(screen).toContain('Inspect orders-failed onFailure RetryAttemptsExhausted');
    expect(screen).toContain('"KinesisBatchInfo"');
    await tmux.press('esc');
    await tmux.waitFor('[4 Destinations]');

    // The compact layout at 80x24, then the too-small message at 40x10.
    await tmux.resize(80, 24);
    screen = await tmux.waitFor(/^\+[-=].{77}\+$/m);
    expect(screen).toContain('Sources');
    const compact = screen.split('\n');
    expect(compact.findIndex((line) => line.includes('space pause'))).toBe(22);
    expect((compact[23] ?? '').trim()).toBe('');
    await tmux.resize(40, 10);
    screen = await tmux.waitFor('needs at least');
    expect(screen.replace(/\n/g, ' ')).toMatch(/needs at least 60x16 \(now 40x10\) +— q quits/);
    await tmux.resize(100, 30);
    await tmux.waitFor('[4 Destinations]');

    await tmux.press('q');
    screen = await tmux.waitFor(/^exit=0$/m);
    expect(await altScreenOn(tmux)).toBe(false);
    // The shell's screen is back as it was, and the prompt takes commands.
    expect(screen).toMatch(/^before-dashboard$/m);
    await tmux.sendKeys('echo after-dashboard', 'Enter');
    await tmux.waitFor(/^after-dashboard$/m, 5_000);
  });

  it('restores the terminal on Ctrl-C (exit 130), and quits with q from the too-small message', async () => {
    const tmux = await shell(40, 10);
    await tmux.sendKeys(`NO_COLOR=1 node bin/lambda-tui.js ${SCENARIO}; echo "exit=$?"`, 'Enter');
    await tmux.waitFor('needs at least', 20_000);
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m);
    expect(await altScreenOn(tmux)).toBe(false);

    await tmux.resize(100, 30);
    await tmux.sendKeys('clear', 'Enter');
    await tmux.sendKeys(`NO_COLOR=1 node bin/lambda-tui.js ${SCENARIO}; echo "exit=$?"`, 'Enter');
    const screen = await tmux.waitFor(/\|>stream orders/, 20_000);
    // Without colour the focus and the selection still show, as glyphs.
    expect(screen).toContain('+=[1 Sources]=');
    const raw = await tmux.capture({ escapes: true });
    expect(raw).not.toMatch(/\x1b\[3[1-7]m/);
    await tmux.press('ctrl-c');
    // Ctrl-C is an interrupt: 128 + SIGINT, as the shell expects (issue 16), after the same restore as q.
    await tmux.waitFor(/^exit=130$/m);
    expect(await altScreenOn(tmux)).toBe(false);
    await tmux.sendKeys('echo after-ctrl-c', 'Enter');
    await tmux.waitFor(/^after-ctrl-c$/m, 5_000);
  });

  it('stays responsive at x1000: the clock moves, the header says the speed reached, and q quits at once', async () => {
    const tmux = await shell();
    await tmux.sendKeys(`node bin/lambda-tui.js ${SCENARIO} --speed 1000; echo "exit=$?"`, 'Enter');
    await tmux.waitFor(/lambda-tui +Kinesis poison record/, 20_000);
    // The run leaves tick 0 (it used to lock up there) and says when x1000 cannot be met.
    let screen = await tmux.waitFor(/tick [1-9]\d* /, 10_000);
    screen = await tmux.waitFor(/x1000( \(lagging: x\d+(\.\d)?\))?  > running/, 10_000);
    const pressed = Date.now();
    await tmux.press('q');
    screen = await tmux.waitFor(/^exit=0$/m, 3_000);
    expect(Date.now() - pressed).toBeLessThan(3_000);
    expect(await altScreenOn(tmux)).toBe(false);
    expect(screen).toMatch(/^before-dashboard$/m);
    expect(screen).not.toContain('Sources');
  });

  it('repaints every line after a resize while paused: header, pane titles and key hints', async () => {
    const tmux = await shell();
    await tmux.sendKeys(`node bin/lambda-tui.js ${SCENARIO} --speed 20; echo "exit=$?"`, 'Enter');
    await tmux.waitFor(/shard-3 \[/, 20_000);
    await tmux.press('space');
    await tmux.waitFor('|| paused');
    // Paused, nothing changes by itself: whatever the resize did not repaint would stay blank.
    const everything = [/lambda-tui +Kinesis poison record/, /order 200 poisons/, /\[1 Sources\]/, / 2 Concurrency /, / 3 In flight/, / 4 Destinations /, / 5 Log /, /\? help +q quit/, /shard-3 \[/];
    for (const [cols, rows] of [[120, 30], [100, 40], [100, 30]] as const) {
      await tmux.resize(cols, rows);
      // The new layout: the frame as wide as the window, the key hints on its last row but one.
      const laidOut = (screen: string) => {
        const lines = screen.split('\n');
        return lines.findIndex((line) => line.includes('q quit')) === rows - 2 && lines.some((line) => line.length === cols && /^\+.*\+$/.test(line));
      };
      const screen = await waitForAll(tmux, [...everything, laidOut]);
      expect(screen.split('\n')[0]).toMatch(/^ lambda-tui /);
    }
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m);
  });
});

/** Polls the screen until every pattern shows at once; on timeout, throws with the screen. */
async function waitForAll(tmux: TmuxSession, patterns: ReadonlyArray<RegExp | ((screen: string) => boolean)>, timeoutMs = 3_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = await tmux.capture();
    const missing = patterns.filter((p) => !(typeof p === 'function' ? p(screen) : p.test(screen)));
    if (missing.length === 0) return screen;
    if (Date.now() >= deadline) throw new Error(`missing ${missing.map(String).join(', ')}; the screen was:\n${screen}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
