/**
 * The bundled example stack as a user meets it (README, "Your own stack"): `npx lambda-tui import` from a
 * folder outside the repository with the handler code beside the template, the imported scenario run
 * headless, and the template itself run in the dashboard in a real terminal.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllTmux, startTmux } from './harness/tmux.js';

const exec = promisify(execFile);
const REPO = path.resolve('.');

afterEach(killAllTmux);

describe('examples/orders-stack, imported', () => {
  it('npx lambda-tui import writes a scenario outside the repository whose run shows the redrive, the bisect and the fan-out', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-npx-import-'));
    await cp(path.join(REPO, 'examples/orders-stack'), dir, { recursive: true });
    const npx = (args: string[]) => exec('npx', ['--yes', `--package=${REPO}`, 'lambda-tui', ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    const imported = await npx(['import', 'template.yaml', '-o', 'orders.ts']);
    expect(imported.stderr).toContain('wrote orders.ts');
    const text = await readFile(path.join(dir, 'orders.ts'), 'utf8');
    expect(text).toContain("import { defineScenario } from 'lambda-tui';");
    expect(text).toContain("ClickCounter: { handler: 'src/clicks.handler', timeout: '5s' },");
    const { stdout } = await npx(['orders.ts', '--json', '--trace', 'trace.jsonl']);
    const summary = JSON.parse(stdout);
    expect(summary.accounting.ok).toBe(true);
    const trace = (await readFile(path.join(dir, 'trace.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    // Order 7 is redriven after its third receive; click 11's batch is bisected and ends in ClicksFailed.
    expect(trace.some((e) => e.type === 'sqs.redrive' && e.queue === 'OrdersQueue' && e.dlq === 'OrdersDLQ')).toBe(true);
    expect(trace.some((e) => e.type === 'batch.bisect')).toBe(true);
    expect(trace.some((e) => e.type === 'deliver' && e.to === 'ClicksFailed' && e.kind === 'onFailure')).toBe(true);
    // SNS fans out to both subscribers; the HTTP API route answers 200.
    for (const fn of ['Emailer', 'Ledger']) expect(summary.functions[fn].invocations).toBeGreaterThan(100);
    expect(trace.find((e) => e.type === 'sync.response' && e.fn === 'OrdersApi')).toMatchObject({ statusCode: 200 });
  });

  it('runs the template itself in the dashboard: its logical ids on screen, q quits', async () => {
    const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols: 100, rows: 30, cwd: REPO, env: { PS1: '$ ' } });
    await tmux.waitFor(/^\$/m, 5_000);
    await tmux.sendKeys('node bin/lambda-tui.js examples/orders-stack/template.yaml --speed 10 2>/dev/null; echo "exit=$?"', 'Enter');
    const screen = await tmux.waitFor(/lambda-tui +orders-stack/, 20_000);
    expect(screen).toContain('Orders stack - an SQS worker');
    await tmux.waitFor(/OrdersQueue/, 10_000);
    await tmux.waitFor(/Clicks/, 10_000);
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m, 10_000);
  });
});
