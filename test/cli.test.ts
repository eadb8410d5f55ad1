import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const BIN = path.resolve('bin/lambda-tui.js');

/** Runs the real binary without a TTY (as CI and pipes do) and returns its exit status and output. */
async function cli(args: string[], options: { cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the command line (DESIGN, CLI contract)', () => {
  it('runs headless with a one-line note when there is no terminal', async () => {
    const r = await cli(['scenarios/sync-throttle.ts', '--duration', '20s']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no terminal.*headless/);
    expect(r.stdout).toMatch(/checkout: \d+ invocations/);
    expect(r.stdout).toMatch(/accounting: ok/);
  });

  it('prints a JSON summary with --json, with the seed and duration overrides applied', async () => {
    const r = await cli(['scenarios/sync-throttle.ts', '--json', '--seed', '7', '--duration', '15s']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ scenario: 'Synchronous throttling at reserved concurrency', seed: 7, simulatedMs: 15_000 });
    expect(summary.accounting.ok).toBe(true);
    expect(summary.functions.checkout.throttles).toBeGreaterThan(0);
  });

  it('writes the trace as JSON lines, byte-identical for the same seed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-trace-'));
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    await cli(['scenarios/alb-hello.ts', '--json', '--trace', a]);
    await cli(['scenarios/alb-hello.ts', '--json', '--trace', b]);
    const [ta, tb] = await Promise.all([readFile(a, 'utf8'), readFile(b, 'utf8')]);
    expect(ta.length).toBeGreaterThan(1000);
    expect(ta).toBe(tb);
    for (const line of ta.trim().split('\n')) {
      const event = JSON.parse(line);
      expect(typeof event.t).toBe('number');
      expect(typeof event.type).toBe('string');
    }
  });

  it('validate: exit 0 for a good scenario, 1 with one line per error naming file, field, value and range', async () => {
    expect((await cli(['validate', 'scenarios/alb-hello.ts'])).code).toBe(0);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-bad-'));
    const file = path.join(dir, 'bad.ts');
    await writeFile(
      file,
      `import { defineScenario } from 'lambda-tui';
export default defineScenario({ name: 'bad', functions: { f: { timeout: '20m', memorySize: 64 } },
  traffic: [{ invoke: 'nope', type: 'RequestResponse' }] });
`,
    );
    const r = await cli(['validate', file]);
    await rm(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes('functions.f.timeout'))).toMatch(/bad\.ts: functions\.f\.timeout: '20m'.*1s\.\.15m/);
    expect(lines.find((l) => l.includes('memorySize'))).toMatch(/64.*128\.\.10240/);
    expect(lines.find((l) => l.includes('traffic[0]'))).toMatch(/'nope'.*f/);
  });

  it('a scenario that fails validation exits 1 before anything runs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-bad-'));
    const file = path.join(dir, 'bad.ts');
    await writeFile(file, `export default { name: 'x', functions: { f: { retryAttempts: 5 } } };\n`);
    const r = await cli([file, '--json']);
    await rm(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/functions\.f\.retryAttempts: 5/);
  });

  it('a missing scenario file exits 1 and says so', async () => {
    const r = await cli(['scenarios/does-not-exist.ts']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does-not-exist\.ts/);
  });

  it('list shows every bundled scenario with its name and description', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/scenarios\/sync-throttle\.ts\n\s+Synchronous throttling at reserved concurrency — /);
    expect(r.stdout).not.toMatch(/does not load/);
  });

  it('usage errors exit 2 with a hint', async () => {
    const unknown = await cli(['scenarios/alb-hello.ts', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/bogus/);
    const badTick = await cli(['scenarios/alb-hello.ts', '--tick', 'soon']);
    expect(badTick.code).toBe(2);
    expect(badTick.stderr).toMatch(/--tick: 'soon'/);
    const none = await cli([]);
    expect(none.code).toBe(2);
  });

  it('--help and --version answer and exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/lambda-tui <scenario>/);
    expect(help.stdout).toMatch(/--trace/);
    const version = await cli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs a scenario from a folder with no node_modules, importing from lambda-tui (as under npx)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-npx-'));
    await writeFile(
      path.join(dir, 'hello.ts'),
      `import { defineScenario } from 'lambda-tui';
export default defineScenario({ name: 'outside', duration: '3s', functions: { f: { handler: async () => 'hi' } },
  traffic: [{ invoke: 'f', type: 'RequestResponse', rate: 2 }] });
`,
    );
    const r = await cli(['hello.ts', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).functions.f.invocations).toBeGreaterThan(3);
  });
});

describe('the headless summary reads as English', () => {
  it('refuses a --speed that is not a positive number, as a usage error', async () => {
    for (const speed of ['abc', '0', '-5']) {
      const r = await cli(['scenarios/alb-hello.ts', '--speed', speed]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--speed/);
    }
  });

  it('a negative duration or tick written as a separate word is named with its value, not taken for flags', async () => {
    const duration = await cli(['scenarios/alb-hello.ts', '--json', '--duration', '-1s']);
    expect(duration.code).toBe(2);
    expect(duration.stderr.split('\n')[0]).toBe("lambda-tui: --duration: '-1s' is negative; durations are 0 or more (allowed 1ms..30d)");
    const tick = await cli(['scenarios/alb-hello.ts', '--json', '--tick', '-5ms']);
    expect(tick.code).toBe(2);
    expect(tick.stderr.split('\n')[0]).toBe("lambda-tui: --tick: '-5ms' is negative; durations are 0 or more (allowed 1ms..1m)");
  });

  it('writes singular counts in the singular and leaves out the unused default bus', async () => {
    const r = await cli(['scenarios/async-retries-dlq.ts']);
    expect(r.stdout).toMatch(/billing-alerts: 3 invocations, 0 errors, 0 timeouts, 0 throttles, 1 cold start,/);
    expect(r.stdout).not.toMatch(/default \(bus\)/);
  });

  it('validate checks every file it is given and exits 1 if any fails', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-many-'));
    const bad = path.join(dir, 'bad.ts');
    await writeFile(bad, `import { defineScenario } from 'lambda-tui';\nexport default defineScenario({ name: 'bad', functions: { f: { memorySize: 64 } } });\n`);
    const r = await cli(['validate', 'scenarios/alb-hello.ts', bad, 'scenarios/sync-throttle.ts']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('scenarios/alb-hello.ts: ok');
    expect(r.stdout).toContain('scenarios/sync-throttle.ts: ok');
    expect(r.stderr).toMatch(/bad\.ts: functions\.f\.memorySize/);
    expect((await cli(['validate', 'scenarios/alb-hello.ts', 'scenarios/sync-throttle.ts'])).code).toBe(0);
  });

  it('list in a folder without scenarios/ lists the bundled ones and says so; a missing folder is one line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-list-'));
    const r = await cli(['list'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^no \.\/scenarios here: the scenarios bundled with lambda-tui/);
    expect(r.stdout).toMatch(/sync-throttle\.ts\n\s+Synchronous throttling at reserved concurrency/);
    const missing = await cli(['list', 'nowhere'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/nowhere: no such folder/);
    expect(missing.stderr).not.toMatch(/\bat /);
  });

  it('--seed that is not a whole number quotes what was given', async () => {
    const r = await cli(['scenarios/alb-hello.ts', '--seed', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed: 'abc' is not an integer/);
    expect(r.stderr).not.toMatch(/NaN/);
  });

  it('--record refuses a size the dashboard cannot lay out', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-rec-'));
    const r = await cli(['scenarios/alb-hello.ts', '--record', path.join(dir, 'x.cast'), '--cols', '10', '--rows', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cols: 10 .*needs at least 60x16/);
  });

  it('--json leaves out the default bus when the scenario neither declares it nor uses it', async () => {
    const r = await cli(['scenarios/async-retries-dlq.ts', '--json']);
    expect(JSON.parse(r.stdout).sources.default).toBeUndefined();
    const eb = JSON.parse((await cli(['scenarios/eventbridge-rules.ts', '--json', '--duration', '2m'])).stdout);
    expect(eb.sources.default).toMatchObject({ kind: 'bus' });
  });
});

describe('lambda-tui import (docs/import.md)', () => {
  it('imports a template from a folder outside the repository, with its handler code beside it, and runs the result', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-import-'));
    await cp(path.resolve('examples/orders-stack'), dir, { recursive: true });
    const imported = await cli(['import', 'template.yaml', '-o', 'scenario.ts'], { cwd: dir });
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('wrote scenario.ts');
    const text = await readFile(path.join(dir, 'scenario.ts'), 'utf8');
    expect(text).toContain("OrderWorker: { handler: 'src/orders.handler', timeout: '5s' },");
    const r = await cli(['scenario.ts', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.accounting.ok).toBe(true);
    expect(summary.functions.OrdersApi.invocations).toBeGreaterThan(100);
  });

  it('prints the scenario as JSON with --json, lists what is not imported on stderr, and runs and validates templates directly', async () => {
    const json = await cli(['import', 'test/import/fixtures/sam-app/template.yaml', '--json']);
    expect(json.code).toBe(0);
    const scenario = JSON.parse(json.stdout);
    expect(scenario.functions.OrdersFunction.handler).toBe('src/orders.handler');
    expect(json.stderr).toMatch(/not imported: DebugQueue +AWS::SQS::Queue +its Condition IsProd is false/);
    const prod = await cli(['import', 'test/import/fixtures/sam-app/template.yaml', '--json', '--parameter', 'Stage=prod']);
    expect(JSON.parse(prod.stdout).functions.OrdersFunction.reservedConcurrentExecutions).toBe(50);
    const ok = await cli(['validate', 'test/import/fixtures/cdk.out', '--stack', 'OrdersStack']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('ok (OrdersStack)');
    const run = await cli(['test/import/fixtures/cloudformation/template.json', '--json', '--duration', '20s']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).functions.Worker.invocations).toBeGreaterThan(10);
  });

  it('exits 1 with the error AWS would give, naming the template and the logical id', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-import-'));
    await writeFile(
      path.join(dir, 'template.yaml'),
      'Resources:\n  S: { Type: AWS::Kinesis::Stream, Properties: { ShardCount: 1 } }\n  F: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.12, Handler: a.b, Code: { ZipFile: x } } }\n  M: { Type: AWS::Lambda::EventSourceMapping, Properties: { EventSourceArn: !GetAtt S.Arn, FunctionName: !Ref F } }\n',
    );
    for (const args of [['import', 'template.yaml'], ['template.yaml'], ['validate', 'template.yaml']]) {
      const r = await cli(args, { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('template.yaml: Resources.M.Properties.StartingPosition: missing; AWS requires StartingPosition for a Kinesis stream mapping (M)');
    }
    const usage = await cli(['import', 'template.yaml', '--parameter', 'nope'], { cwd: dir });
    expect(usage.code).toBe(2);
  });
});
