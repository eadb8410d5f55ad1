/**
 * The mouse in a real terminal (tmux), as a person uses it (issue 14, item 3): the dashboard turns
 * SGR mouse reporting on, the wheel scrolls the log under the pointer, a click focuses a pane and a
 * click on the timeline goes to that time; q and Ctrl-C still quit, and mouse reporting is off again
 * after every way out. tmux reports the pane's mouse modes (#{mouse_sgr_flag}); the reports are written
 * into the pane as a terminal sends them (ESC [ < b ; x ; y M, 1-based).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAllTmux, startTmux, type TmuxSession } from './harness/tmux.js';

afterEach(killAllTmux);

async function dashboard(args: string, env: Record<string, string> = {}) {
  const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols: 100, rows: 30, cwd: process.cwd(), env: { PS1: '$ ', NO_COLOR: '1', ...env } });
  await tmux.waitFor(/^\$/m, 5_000);
  await tmux.sendKeys(`node bin/lambda-tui.js ${args}; echo "exit=$?"`, 'Enter');
  await tmux.waitFor(/lambda-tui +Kinesis poison record/, 20_000);
  return tmux;
}

/** tmux's view of the pane's mouse modes: SGR (1006) and button reporting (1000). */
async function mouseModes(tmux: TmuxSession): Promise<string> {
  return (await tmux.tmux('display-message', '-p', '-t', 'main', '#{mouse_sgr_flag} #{mouse_standard_flag}')).trim();
}

/** A mouse report as a terminal writes it: 1-based column and row. */
const report = (button: number, column: number, row: number) => `\x1b[<${button};${column};${row}M`;

describe('the mouse', () => {
  it('wheel scrolls the log under the pointer, a click focuses a pane; q quits with mouse reporting off', async () => {
    const tmux = await dashboard('scenarios/kinesis-error.ts --speed 20');
    expect(await mouseModes(tmux)).toBe('1 1');
    await tmux.waitFor(/t 00:(1[5-9]|[2-5]\d)\.\d/, 30_000);
    await tmux.press('space');
    let screen = await tmux.waitFor('|| paused');
    const logRow = screen.split('\n').findIndex((line) => line.includes('5 Log')) + 2;
    expect(logRow).toBeGreaterThan(2);
    // Two notches up over the log: it takes the focus and scrolls back 6 lines.
    await tmux.sendRaw(report(64, 10, logRow) + report(64, 10, logRow));
    screen = await tmux.waitFor(/\+=\[5 Log\]=+ scrolled 6 \+/, 5_000);
    expect(screen).toMatch(/\+- 1 Sources -/);
    // One notch down: 3 lines nearer the newest.
    await tmux.sendRaw(report(65, 10, logRow));
    await tmux.waitFor(/\+=\[5 Log\]=+ scrolled 3 \+/, 5_000);
    // A click (press and release) on Concurrency focuses it.
    await tmux.sendRaw(report(0, 70, 6) + '\x1b[<0;70;6m');
    screen = await tmux.waitFor(/\+=\[2 Concurrency\]=/, 5_000);
    expect(screen).toMatch(/\+- 5 Log -/);
    // Keys go on working after mouse reports: tab moves the focus on.
    await tmux.press('tab');
    await tmux.waitFor(/\+=\[3 In flight\]=/, 5_000);
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m, 10_000);
    expect(await mouseModes(tmux)).toBe('0 0');
  });

  it('a click on the timeline goes to that time; Ctrl-C quits with 130 and mouse reporting off', async () => {
    const tmux = await dashboard('scenarios/kinesis-error.ts --speed 20');
    await tmux.waitFor(/t 00:(2\d|3\d)\.\d/, 30_000);
    const screen = await tmux.capture();
    const lines = screen.split('\n');
    const timelineRow = lines.findIndex((line) => /^ 0:00 \[/.test(line)) + 1;
    expect(timelineRow).toBeGreaterThan(0);
    // The first cell of the strip is column 8 (1-based): tick 0.
    await tmux.sendRaw(report(0, 8, timelineRow));
    await tmux.waitFor(/t 00:00\.0 +tick 0 +x20 +<< past \(live at tick \d+\)/, 10_000);
    await tmux.press('ctrl-c');
    await tmux.waitFor(/^exit=130$/m, 10_000);
    expect(await mouseModes(tmux)).toBe('0 0');
  });

  it('LAMBDA_TUI_MOUSE=0 leaves the mouse to the terminal, and the keys work as before', async () => {
    const tmux = await dashboard('scenarios/kinesis-error.ts --speed 20', { LAMBDA_TUI_MOUSE: '0' });
    expect(await mouseModes(tmux)).toBe('0 0');
    await tmux.press('5');
    await tmux.waitFor(/\+=\[5 Log\]=/, 5_000);
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m, 10_000);
  });
});
