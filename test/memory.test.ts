/**
 * A run that will not fit in memory says so in one line before V8 aborts (issue 16, item 7): played
 * with a child process under a small --max-old-space-size, not with 20M records.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { heapWatch, oldGeneration, outOfMemoryLine } from '../src/memory.js';

describe('the heap watch (src/memory.ts)', () => {
  it('says nothing below the share, and one line naming the use, the limit and the ways out above it', () => {
    let used = 10;
    const watch = heapWatch({ read: () => ({ used: used * 1024 * 1024, limit: 100 * 1024 * 1024 }), everyMs: 0 });
    expect(watch.check(1000)).toBeUndefined();
    used = 90;
    const line = watch.check(90_000)!;
    expect(line).toBe(outOfMemoryLine(90 * 1024 * 1024, 100 * 1024 * 1024, 90_000));
    expect(line).toMatch(/^the run does not fit in memory: 90 MB of the 100 MB Node allows used at simulated 1m30s; .*--duration.*--max-old-space-size/);
    expect(line).not.toContain('\n');
  });

  it('reads the old generation against the limit Node was given', () => {
    const { used, limit } = oldGeneration();
    expect(used).toBeGreaterThan(0);
    expect(limit).toBeGreaterThan(used);
  });

  it('a run that outgrows --max-old-space-size=48 stops with one line and exit 3, not a V8 abort', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-memory-'));
    const file = path.join(dir, 'flood.ts');
    // A backlog that only grows: 5,000 messages a second into a queue one slow consumer cannot drain.
    // How far it gets before the heap is full depends on what a message costs (past a minute since SQS
    // message ids are kept as numbers), so the time may come as 12.3s, 1m56s or 1h02m.
    writeFileSync(
      file,
      `import { defineScenario } from 'lambda-tui';
export default defineScenario({ name: 'flood', duration: '1h', functions: { f: { duration: '10ms' } },
  queues: { q: { visibilityTimeout: '60s' } }, eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 10 }],
  traffic: [{ to: 'q', rate: 5000 }] });
`,
    );
    const r = spawnSync(process.execPath, ['--max-old-space-size=48', path.resolve('bin/lambda-tui.js'), file, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 120_000,
    });
    expect(r.signal).toBeNull();
    expect(r.stderr).not.toMatch(/FATAL ERROR|heap out of memory|Native stack/);
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(/^lambda-tui: the run does not fit in memory: \d+ MB of the \d+ MB Node allows used at simulated (?:\d+h\d{2}m|\d+m\d{2}s|[\d.]+s); /);
    expect(r.stdout).toBe('');
  }, 120_000);
});
