/**
 * Exit statuses and output failures (issue 16, items 2 and 6; README "Exit status"): each case runs the
 * real binary in a subprocess, since each one ends a process.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/lambda-tui.js');
const SCENARIO = path.resolve('scenarios/alb-hello.ts');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the binary; with `closeAfterBytes`, stdout is closed by the reader after that many bytes (as
 * `| head -c N` does).
 */
function run(args: string[], options: { env?: Record<string, string>; cwd?: string; closeAfterBytes?: number; stdoutFile?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', LAMBDA_TUI_IMPORT_TIMEOUT_MS: '3000', ...options.env },
      stdio: ['ignore', options.stdoutFile ? openForWrite(options.stdoutFile) : 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.closeAfterBytes !== undefined && stdout.length >= options.closeAfterBytes) child.stdout?.destroy();
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function openForWrite(file: string): number {
  return openSync(file, 'w');
}

/** No Node stack reaches the user: no "    at fn (file:line:col)" lines. */
function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(text).not.toMatch(/internal error/);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-exit-'));
});

function scenarioFile(name: string, body: string, prelude = ''): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    `import { defineScenario } from 'lambda-tui';\n${prelude}\nexport default defineScenario({ name: '${name}', duration: '5s', functions: { f: {} }, traffic: [{ invoke: 'f', type: 'Event', rate: 5 }]${body} });\n`,
  );
  return file;
}

describe('a closed pipe ends quietly with 0', () => {
  it('lambda-tui list | head', async () => {
    const r = await run(['list', path.resolve('scenarios')], { closeAfterBytes: 10 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('lambda-tui FILE --json | head', async () => {
    // A long trace-free run whose summary is written after the reader has gone.
    const r = await run([SCENARIO, '--json'], { closeAfterBytes: 1 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('output that cannot be written: one line, exit 3', () => {
  it('--trace into a missing folder, a folder, a full disk', async () => {
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'missing', 'run.jsonl'), /^lambda-tui: --trace: cannot write .*missing\/run\.jsonl: no such file or folder \(ENOENT\)$/],
      [dir, /^lambda-tui: --trace: cannot write .*: it is a folder \(EISDIR\)$/],
      ['/dev/full', /^lambda-tui: --trace: cannot write \/dev\/full: no space left on the device \(ENOSPC\)$/],
    ];
    for (const [trace, line] of cases) {
      const r = await run([SCENARIO, '--json', '--trace', trace]);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(line);
      expectNoStack(r.stderr);
    }
  });

  it('stdout on a full disk (ENOSPC)', async () => {
    const r = await run([SCENARIO, '--json'], { stdoutFile: '/dev/full' });
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe('lambda-tui: cannot write to stdout: no space left on the device (ENOSPC)');
  });

  it('--record to a bad path fails before anything is rendered', async () => {
    const started = Date.now();
    // A day of simulated time would take minutes to render: the failure must come first.
    const r = await run([SCENARIO, '--record', path.join(dir, 'missing', 'demo.cast'), '--duration', '1d']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toMatch(/^lambda-tui: --record: cannot write .*demo\.cast: no such file or folder \(ENOENT\)$/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('code a scenario file runs while it loads (issue 16, item 2)', () => {
  it('a top-level await that never settles: timed out with one line, exit 1', async () => {
    const r = await run([scenarioFile('tla.ts', '', 'await new Promise(() => {});'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/tla\.ts: did not finish loading within 3 s \(a top-level await that never settles\?\)$/);
    expect(r.stdout).toBe('');
  });

  it('a timer left running does not keep the process alive after the run', async () => {
    const r = await run([scenarioFile('interval.ts', '', 'setInterval(() => {}, 100);'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).accounting.ok).toBe(true);
  });

  it('a promise rejected and never handled while loading: one line, exit 1', async () => {
    const r = await run([scenarioFile('floating.ts', '', "Promise.reject(new Error('nobody catches me'));"), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/floating\.ts: a promise was rejected and never handled while it loads: nobody catches me$/);
    expectNoStack(r.stderr);
  });

  it('console.log and stdout writes at import go to stderr: --json stays JSON', async () => {
    const r = await run([scenarioFile('chatty.ts', '', "console.log('hello from import'); console.info('info'); process.stdout.write('raw\\n');"), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).scenario).toBe('chatty.ts');
    expect(r.stderr).toContain('hello from import');
    expect(r.stderr).toContain('raw');
  });

  it('process.exit at import is reported, exit 1 (not the status the file chose)', async () => {
    const r = await run([scenarioFile('exits.ts', '', 'process.exit(7);'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/exits\.ts: calls process\.exit\(7\) while it loads; a scenario file must not end the process$/);
    const v = await run(['validate', path.join(dir, 'exits.ts')]);
    expect(v.code).toBe(1);
  });

  it('list shows such a file as not loading, and goes on', async () => {
    const listDir = path.join(dir, 'list');
    mkdirSync(listDir);
    writeFileSync(path.join(listDir, 'a-exits.ts'), "process.exit(4);\nexport default {};\n");
    writeFileSync(path.join(listDir, 'b-ok.ts'), "import { defineScenario } from 'lambda-tui';\nexport default defineScenario({ name: 'fine', functions: { f: {} } });\n");
    const r = await run(['list', listDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/a-exits\.ts\n {2}\(does not load: .*calls process\.exit\(4\)/);
    expect(r.stdout).toMatch(/b-ok\.ts\n {2}fine/);
  });
});

describe('scenario code failing after the run started: one line, exit 3', () => {
  it('an exception thrown by a timer outside any handler', async () => {
    const file = scenarioFile('thrower.ts', '', "setTimeout(() => { throw new Error('boom in a timer'); }, 0);");
    const r = await run([file, '--json']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toMatch(/^lambda-tui: the run failed: an error was thrown outside any handler: boom in a timer \(.*thrower\.ts:2\)$/);
    expectNoStack(r.stderr);
  });

  it('a promise rejected after the summary changes the status to 3, and says so', async () => {
    const file = scenarioFile(
      'late.ts',
      ", get description() { setImmediate(() => setImmediate(() => void Promise.reject(new Error('late one')))); return 'd'; }",
    );
    const r = await run([file, '--json']);
    expect(JSON.parse(r.stdout).accounting.ok).toBe(true);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toMatch(/^lambda-tui: a promise in the scenario's code was rejected and never handled: late one/);
  });
});

describe('interrupted', () => {
  it('SIGINT during a headless run ends it by that signal (130 in a shell), SIGTERM likewise (143)', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const r = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, SCENARIO, '--json', '--duration', '30d'], { env: { ...process.env, NO_COLOR: '1' } });
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        // Once it runs (the loader is done when the engine starts), interrupt it.
        setTimeout(() => child.kill(signal), 4_000);
        child.on('close', (code, sig) => resolve({ code, signal: sig, stderr }));
      });
      // A shell reports death by SIGINT as 130 and by SIGTERM as 143.
      expect(r.signal ?? r.code).toBe(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
      expectNoStack(r.stderr);
    }
  });
});
