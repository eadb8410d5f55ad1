/**
 * Lambda's runtime outcomes inside the sandbox (docs/sandbox.md), and the CloudWatch lines of an
 * invocation in the Node.js runtime's exact text format.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { oneFunction, runFile, scenarioFolder } from '../helpers/sandbox.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/lambda-tui.js');

async function once(handler: string, traffic?: string, guardMs = 2_000) {
  const dir = scenarioFolder({ 's.ts': oneFunction(`{ timeout: '1s', handler: ${handler} }`, traffic) });
  return runFile(path.join(dir, 's.ts'), { sandbox: { guardMs } });
}

describe('what the Node.js runtime reports', () => {
  it('turns process.exit(n) into Runtime.ExitError and discards the environment', async () => {
    const r = await once("async (event: { n: number }) => { if (event.n === 0) process.exit(3); return 'ok'; }", "{ invoke: 'fn', type: 'RequestResponse', rate: 1, count: 2 }");
    const [first, second] = r.of('invoke.end');
    expect(first).toMatchObject({ outcome: 'error', errorType: 'Runtime.ExitError' });
    expect(first.errorMessage).toBe(`RequestId: ${first.requestId} Error: Runtime exited with error: exit status 3`);
    expect(second.outcome).toBe('success');
    expect(r.of('invoke.start').map((e) => e.cold)).toEqual([true, true]);
  });

  it('turns a floating rejection into Runtime.UnhandledPromiseRejection', async () => {
    const r = await once("async () => { Promise.reject(new Error('floating')); await new Promise((resolve) => setTimeout(resolve, 50)); return 'ok'; }");
    expect(r.of('invoke.end')[0]).toMatchObject({ outcome: 'error', errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: floating' });
  });

  it('keeps the shape AWS gives a thrown non-Error value', async () => {
    const r = await once("async () => { throw 'boom'; }");
    expect(r.of('sync.response')[0].body).toEqual({ errorType: 'string', errorMessage: 'boom', trace: [] });
  });

  it("fails the call when reading the returned value's then throws, as awaiting it would", async () => {
    const r = await once("() => ({ get then() { throw new Error('no then'); } })");
    expect(r.of('invoke.end')[0]).toMatchObject({ outcome: 'error', errorType: 'Error', errorMessage: 'no then' });
  });

  it('reports a handler over its memorySize as Runtime.OutOfMemory', async () => {
    // V8 collects hard before it gives up near the heap limit: leave it the time, not the guard.
    const r = await once("async () => { const keep: number[][] = []; for (;;) keep.push(new Array(1_000_000).fill(1)); }", undefined, 20_000);
    expect(r.of('invoke.end')[0]).toMatchObject({ outcome: 'error', errorType: 'Runtime.OutOfMemory' });
  }, 60_000);

  it('passes async events as copies: retries and the onFailure record see the original payload', async () => {
    const dir = scenarioFolder({
      's.ts': `import { defineScenario } from 'lambda-tui';
export default defineScenario({
  name: 'mutate',
  duration: '10m',
  queues: { failed: {} },
  functions: { fn: { onFailure: 'failed', handler: async (event: { n: number; touched?: boolean }) => { const seen = JSON.stringify(event); event.touched = true; throw new Error(seen); } } },
  traffic: [{ invoke: 'fn', type: 'Event', count: 1 }],
});
`,
    });
    const r = await runFile(path.join(dir, 's.ts'));
    expect(r.of('invoke.end').map((e) => e.errorMessage)).toEqual(['{"n":0}', '{"n":0}', '{"n":0}']);
    const delivered = r.of('deliver')[0].payload as { requestPayload: unknown };
    expect(delivered.requestPayload).toEqual({ n: 0 });
  });
});

describe('a timer a handler leaves behind', () => {
  it('never keeps a headless run alive, and what it writes reaches neither stdout nor the summary', async () => {
    const dir = scenarioFolder({
      's.ts': oneFunction("{ handler: async () => { setInterval(() => console.log('tick'), 5); setTimeout(() => { throw new Error('late'); }, 10); console.log('hello'); return 'ok'; } }"),
    });
    const started = Date.now();
    const { stdout } = await run(process.execPath, [BIN, path.join(dir, 's.ts'), '--json'], { env: { ...process.env, CI: '1' }, timeout: 20_000 });
    expect(Date.now() - started).toBeLessThan(20_000);
    const summary = JSON.parse(stdout) as { functions: { fn: { invocations: number; successes: number } } };
    expect(summary.functions.fn).toMatchObject({ invocations: 1, successes: 1 });
  });
});

describe('CloudWatch lines as the Node.js runtime writes them', () => {
  it('writes START, the console lines, END and REPORT with Init Duration on a cold start only', async () => {
    const r = await once(
      "async () => { console.log('hello', { a: 1 }); console.warn('careful'); console.error('bad'); console.info('fyi'); console.debug('dbg'); return 'ok'; }",
      "{ invoke: 'fn', type: 'RequestResponse', rate: 1, count: 2 }",
    );
    const [a, b] = r.of('invoke.start');
    const stream = r.of('log')[0].logStream;
    expect(stream).toMatch(/^2025\/01\/01\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(r.of('log').every((e) => e.fn === 'fn' && e.logStream === stream)).toBe(true);
    const of = (id: string) => r.of('log').filter((e) => e.requestId === id).map((e) => e.line);
    const runStart = a.t + 300;
    const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms).toISOString();
    expect(of(a.requestId)).toEqual([
      `START RequestId: ${a.requestId} Version: $LATEST`,
      `${at(runStart)}\t${a.requestId}\tINFO\thello { a: 1 }`,
      `${at(runStart + 1)}\t${a.requestId}\tWARN\tcareful`,
      `${at(runStart + 2)}\t${a.requestId}\tERROR\tbad`,
      `${at(runStart + 3)}\t${a.requestId}\tINFO\tfyi`,
      `${at(runStart + 4)}\t${a.requestId}\tDEBUG\tdbg`,
      `END RequestId: ${a.requestId}`,
      `REPORT RequestId: ${a.requestId}\tDuration: 100.00 ms\tBilled Duration: 400 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tInit Duration: 300.00 ms\t`,
    ]);
    expect(of(b.requestId).at(-1)).toBe(`REPORT RequestId: ${b.requestId}\tDuration: 100.00 ms\tBilled Duration: 100 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t`);
  });

  it("adds the runtime's timeout line when Lambda stops a handler", async () => {
    const r = await once('() => new Promise(() => {})');
    const [start] = r.of('invoke.start');
    const lines = r.of('log').map((e) => e.line);
    expect(lines[1]).toBe(`${new Date(Date.UTC(2025, 0, 1) + start.t + 300 + 1000).toISOString()} ${start.requestId} Task timed out after 1.00 seconds`);
  });

  it('writes nothing for invocations without real code', async () => {
    const dir = scenarioFolder({ 's.ts': oneFunction('{}') });
    const r = await runFile(path.join(dir, 's.ts'));
    expect(r.of('log')).toEqual([]);
  });
});
