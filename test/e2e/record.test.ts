/**
 * `--record` through the real binary: no TTY needed, the same bytes every time, valid asciicast v2 that
 * Debian's asciinema plays to the end, and no colour at all under NO_COLOR.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseAsciicast } from '../../src/output/asciicast.js';
import { hasAsciinema, killAllTmux, startTmux } from './harness/tmux.js';

const run = promisify(execFile);
const BIN = resolve('bin/lambda-tui.js');
const SCENARIO = 'scenarios/kinesis-error.ts';
const NAME = 'Kinesis poison record with bisect';
const KEYS = '2s:space 500ms:n n n 1s:space 2s:q';
const PANE_TITLES = ['1 Sources', '2 Concurrency', '3 In flight', '4 Destinations', '5 Log'];
const COLOUR_CODES = /\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;5;\d+)m/;

const dir = mkdtempSync(join(tmpdir(), 'lambda-tui-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(killAllTmux);

/** Records with the binary, stdin and stdout not a TTY (as in CI), and returns the file's text. */
async function record(file: string, env: Record<string, string | undefined> = {}, keys = KEYS): Promise<string> {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
  const path = join(dir, file);
  await run(process.execPath, [BIN, SCENARIO, '--record', path, '--keys', keys], { env: merged });
  return readFileSync(path, 'utf8');
}

describe('lambda-tui --record without a terminal', () => {
  it('writes byte-identical files for the same command, whatever the terminal it runs under', async () => {
    const first = await record('a.cast', { NO_COLOR: undefined, FORCE_COLOR: undefined, COLUMNS: '80', TERM: 'dumb' });
    const second = await record('b.cast', { NO_COLOR: undefined, FORCE_COLOR: '3', COLUMNS: '200', TERM: 'xterm-256color' });
    expect(second).toBe(first);
    const { header, events } = parseAsciicast(first);
    expect(header).toMatchObject({ version: 2, width: 100, height: 30, timestamp: 0, title: NAME });
    expect(events.every(([time, code]) => typeof time === 'number' && code === 'o')).toBe(true);
  });

  it('has no colour codes at all with NO_COLOR', async () => {
    const text = await record('plain.cast', { NO_COLOR: '1' });
    const output = parseAsciicast(text).events.map(([, , data]) => data).join('');
    expect(output).not.toMatch(COLOUR_CODES);
    expect(output).toContain('1 Sources');
  });

  it('refuses a bad key script with a usage error naming the token (exit 2)', async () => {
    const error = await run(process.execPath, [BIN, SCENARIO, '--record', join(dir, 'bad.cast'), '--keys', '2s:space 3x:q']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toMatch(/--keys: token 2 "3x:q"/);
  });
});

describe('a recording plays in Debian\'s asciinema', () => {
  it.skipIf(!hasAsciinema)('plays to the end and shows the pane titles and the scenario name', async () => {
    const text = await record('play.cast');
    const file = join(dir, 'play.cast');
    expect(readFileSync(file, 'utf8')).toBe(text);
    // asciinema 2.2's cat opens /dev/tty, so it needs a terminal: the tmux pane is one.
    const tmux = await startTmux({ command: ['asciinema', 'cat', file], cols: 100, rows: 30 });
    expect(await tmux.waitForExit(30_000)).toBe(0);
    const screen = await tmux.capture();
    for (const title of PANE_TITLES) expect(screen).toContain(title);
    expect(screen).toContain(NAME);
    // Paused from 2 s to 3.7 s of the recording with three steps in between: 4 s running at x10, plus 3 ticks.
    expect(screen).toContain('tick 403');
  });
});
