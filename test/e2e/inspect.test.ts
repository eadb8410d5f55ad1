/**
 * Issue 14, item 4, in a real terminal (tmux): enter on a Log line opens that event (kinesis-error's
 * failed batch: its records as the handler received them, its shard and checkpoint, then its start, its
 * end and the bisect), `/` finds text in the inspector, `s` saves the JSON to a file whose path the
 * header shows.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllTmux, startTmux } from './harness/tmux.js';

afterEach(killAllTmux);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lambda-tui-inspect-'));
});
afterAll(async () => {
  await killAllTmux();
  await rm(dir, { recursive: true, force: true });
});

describe('the inspector on a log line', () => {
  it('enter opens the failed batch with its bisect, / finds the bisect, s saves the JSON', async () => {
    const bin = join(process.cwd(), 'bin/lambda-tui.js');
    const scenario = join(process.cwd(), 'scenarios/kinesis-error.ts');
    const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols: 100, rows: 30, cwd: dir, env: { PS1: '$ ', NO_COLOR: '1' } });
    await tmux.waitFor(/^\$/m, 5_000);
    await tmux.sendKeys(`node ${bin} ${scenario} --speed 1; echo "exit=$?"`, 'Enter');
    await tmux.waitFor(/lambda-tui +Kinesis poison record/, 20_000);
    await tmux.press('space');
    await tmux.waitFor('|| paused');
    await tmux.press(']');
    await tmux.waitFor(/bisect: 00:11\.\d processor shard-3/, 30_000);
    await tmux.press('5');
    // Scroll back until the marker is on the failed batch's line.
    let screen = await tmux.waitFor(/\+=\[5 Log\]=/, 5_000);
    for (let i = 0; i < 10 && !/^\|>\d\d:\d\d\.\d processor shard-3 batch \S+ failed/m.test(screen); i++) {
      await tmux.press('k');
      await new Promise((resolve) => setTimeout(resolve, 150));
      screen = await tmux.capture();
    }
    expect(screen).toMatch(/^\|>\d\d:\d\d\.\d processor shard-3 batch \S+ failed \(Error: cannot parse order 200\)/m);
    await tmux.press('enter');
    screen = await tmux.waitFor(/Inspect log 00:11\.\d invoke\.end/, 5_000);
    // The batch as the handler received it comes first: its shard and checkpoint, then its records.
    expect(screen).toContain('"batch": {');
    expect(screen).toContain('"shardId": "shardId-000000000003"');
    expect(screen).toMatch(/"checkpoint": "49000003\d+"/);
    expect(screen).toMatch(/"sequenceNumber": "49000003\d+"/);
    expect(screen).toContain('(data decoded: {"orderId":');

    await tmux.press('/');
    await tmux.waitFor('search: _', 5_000);
    await tmux.sendRaw('batch.bisect\r');
    screen = await tmux.waitFor(/'batch\.bisect': match 1 of 1/, 5_000);
    expect(screen).toMatch(/^\|> +"type": "batch\.bisect",/m);
    expect(screen).toContain('"errorMessage": "cannot parse order 200"');

    await tmux.press('s');
    screen = await tmux.waitFor(/saved to \S+\.json/, 5_000);
    const path = /saved to (\S+\.json)/.exec(screen)![1];
    expect(path).toBe(join(dir, 'lambda-tui-log-00-11.5-invoke.end-1.json'));
    expect(await readdir(dir)).toEqual(['lambda-tui-log-00-11.5-invoke.end-1.json']);
    const saved = JSON.parse(await readFile(path, 'utf8')) as { batch: { records: number }; event: { Records: Array<{ kinesis: { data: string } }> }; trace: Array<{ type: string }> };
    expect(saved.trace.map((e) => e.type)).toEqual(['invoke.start', 'invoke.end', 'batch.bisect']);
    expect(saved.event.Records).toHaveLength(saved.batch.records);
    expect(saved.event.Records.some((r) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')).orderId === 200)).toBe(true);

    await tmux.press('esc');
    await tmux.press('q');
    await tmux.waitFor(/^exit=0$/m, 10_000);
  });
});
