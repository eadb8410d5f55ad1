/**
 * Real handler code misbehaving in the dashboard (issue 17, docs/sandbox.md), in a real terminal: a handler
 * stuck in a CPU loop, one flooding the console, one calling process.exit. Whatever the handler does, the
 * dashboard keeps drawing, q quits within a second and the shell gets its terminal back.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllTmux, startTmux, type TmuxSession } from './harness/tmux.js';

afterEach(killAllTmux);

/** A scenario file with one function `fn` running `handler`, invoked asynchronously at `rate` per second. */
function scenario(name: string, handler: string, rate: number, timeout = '2s'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-e2e-sandbox-'));
  const file = path.join(dir, 's.ts');
  writeFileSync(
    file,
    `import { defineScenario } from 'lambda-tui';
export default defineScenario({
  name: '${name}',
  duration: '10m',
  functions: { fn: { timeout: '${timeout}', handler: ${handler} } },
  traffic: [{ invoke: 'fn', type: 'Event', rate: ${rate} }],
});
`,
  );
  return file;
}

async function shell(): Promise<TmuxSession> {
  const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols: 100, rows: 30, cwd: process.cwd(), env: { PS1: '$ ' } });
  await tmux.waitFor(/^\$/m, 5_000);
  await tmux.sendKeys('echo before-dashboard', 'Enter');
  await tmux.waitFor(/^before-dashboard$/m, 5_000);
  return tmux;
}

async function terminalState(tmux: TmuxSession): Promise<{ alternate: boolean; cursor: boolean }> {
  const [alternate, cursor] = (await tmux.tmux('display-message', '-p', '-t', tmux.target, '#{alternate_on} #{cursor_flag}')).trim().split(' ');
  return { alternate: alternate === '1', cursor: cursor === '1' };
}

/** Presses q and returns how long it took until the shell printed the exit status, and that status. */
async function quit(tmux: TmuxSession): Promise<{ ms: number; status: number }> {
  const pressed = Date.now();
  await tmux.press('q');
  const screen = await tmux.waitFor(/^exit=\d+$/m, 5_000);
  return { ms: Date.now() - pressed, status: Number(/^exit=(\d+)$/m.exec(screen)![1]) };
}

async function shellIsBack(tmux: TmuxSession): Promise<void> {
  expect(await terminalState(tmux)).toEqual({ alternate: false, cursor: true });
  const screen = await tmux.capture();
  expect(screen).toMatch(/^before-dashboard$/m);
  expect(screen).not.toContain('Sources');
  await tmux.sendKeys('echo after-dashboard', 'Enter');
  await tmux.waitFor(/^after-dashboard$/m, 5_000);
}

function tickOf(screen: string): number {
  return Number(/tick (\d+)/.exec(screen)?.[1] ?? -1);
}

describe('handler code that misbehaves, in the dashboard', () => {
  it('a handler in a CPU loop: the run reports Sandbox.Timedout, and q quits within a second with the terminal restored', async () => {
    const file = scenario('cpu loop', 'async () => { for (;;) {} }', 1);
    const tmux = await shell();
    await tmux.sendKeys(`node bin/lambda-tui.js ${file} --speed 1; echo "exit=$?"`, 'Enter');
    await tmux.waitFor(/lambda-tui +cpu loop/, 20_000);
    // The worker is stopped past the wall-clock guard; the invocation ends at its simulated timeout.
    const screen = await tmux.waitFor(/fn timed out \(Sandbox\.Timedout/, 30_000);
    expect(screen).toContain('q quit');
    // A handler is looping right now (one starts every simulated second): q must not wait for it.
    const { ms, status } = await quit(tmux);
    expect(status).toBe(0);
    expect(ms).toBeLessThan(1_000);
    await shellIsBack(tmux);

    // Ctrl-C while a handler loops: the interrupt status, as fast, with the same restore.
    await tmux.sendKeys('clear', 'Enter');
    await tmux.sendKeys('echo before-dashboard', 'Enter');
    await tmux.sendKeys(`node bin/lambda-tui.js ${file} --speed 1; echo "exit=$?"`, 'Enter');
    await tmux.waitFor(/fn start 1 rec \(cold\)/, 20_000);
    const pressed = Date.now();
    await tmux.press('ctrl-c');
    await tmux.waitFor(/^exit=130$/m, 5_000);
    expect(Date.now() - pressed).toBeLessThan(1_000);
    await shellIsBack(tmux);
  });

  it('a handler flooding the console: the screen keeps its frame, the clock moves, space and q answer at once', async () => {
    const file = scenario('console flood', "async (event: unknown) => { for (let i = 0; i < 2_000; i++) { console.log('flood-line', i); console.error('flood-error', i); process.stdout.write('flood-raw\\n'); } return 'ok'; }", 20);
    const tmux = await shell();
    await tmux.sendKeys(`node bin/lambda-tui.js ${file} --speed 1; echo "exit=$?"`, 'Enter');
    let screen = await tmux.waitFor(/lambda-tui +console flood/, 20_000);
    screen = await tmux.waitFor(/tick (1[5-9]|[2-9]\d|\d{3,}) /, 30_000);
    const first = tickOf(screen);
    screen = await tmux.waitFor(new RegExp(`tick (?!${first} )\\d+ `), 10_000);
    expect(tickOf(screen)).toBeGreaterThan(first);
    // What the handler writes never lands on the terminal: every row is the dashboard's own frame.
    const rows = screen.split('\n');
    expect(rows[0]).toMatch(/^ lambda-tui +console flood/);
    expect(rows.findIndex((row) => row.includes('q quit'))).toBe(28);
    for (const row of rows) if (/flood-/.test(row)) expect(row).toMatch(/^\|.*\|$/);
    expect(await tmux.capture()).not.toMatch(/^flood-/m);

    const paused = Date.now();
    await tmux.press('space');
    await tmux.waitFor('|| paused', 2_000);
    expect(Date.now() - paused).toBeLessThan(1_000);
    await tmux.press('space');
    await tmux.waitFor('> running', 2_000);
    const { ms, status } = await quit(tmux);
    expect(status).toBe(0);
    expect(ms).toBeLessThan(1_000);
    await shellIsBack(tmux);
  });

  it('a handler calling process.exit: each call is a Runtime.ExitError, the dashboard runs on and exits 0 on q', async () => {
    const file = scenario('exit', 'async () => { process.exit(7); }', 2);
    const tmux = await shell();
    await tmux.sendKeys(`node bin/lambda-tui.js ${file} --speed 1; echo "exit=$?"`, 'Enter');
    await tmux.waitFor(/lambda-tui +exit/, 20_000);
    let screen = await tmux.waitFor(/fn failed \(Runtime\.ExitError/, 20_000);
    // The dashboard is still running after the exits: the clock moves on.
    const tick = tickOf(screen);
    screen = await tmux.waitFor(new RegExp(`tick (?!${tick} )\\d+ `), 10_000);
    expect(screen).toMatch(/> running/);
    expect(screen).not.toMatch(/^exit=/m);
    const { ms, status } = await quit(tmux);
    expect(status).toBe(0);
    expect(ms).toBeLessThan(1_000);
    await shellIsBack(tmux);
  });
});
