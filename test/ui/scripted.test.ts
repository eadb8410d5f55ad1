import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAsciicast } from '../../src/output/asciicast.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Model } from '../../src/scenario/model.js';
import { parseKeysScript } from '../../src/ui/keys-script.js';
import { playScript } from '../../src/ui/play-script.js';
import { recordCast, recordingColorLevel, RECORDING_TIMESTAMP } from '../../src/ui/recorder.js';
import { runScripted } from '../../src/ui/scripted.js';
import type { RunOptions } from '../../src/cli.js';
import { renderScreen } from '../e2e/harness/xterm.js';

const SIZE = { columns: 100, rows: 30 };
/** SGR foreground colours: 30-37, 90-97 and the 256-colour form. */
const COLOUR_CODES = /\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;5;\d+)m/;

let kinesis: Model;
beforeAll(async () => {
  kinesis = (await loadScenario('scenarios/kinesis-error.ts')).model;
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The terminal bytes of a cast, decoded from its JSON lines. */
function outputOf(text: string): string {
  return parseAsciicast(text).events.map(([, , data]) => data).join('');
}

/** Plays a cast's output into a headless terminal of the cast's size and returns the last screen. */
async function screenOf(text: string): Promise<string> {
  const { header, events } = parseAsciicast(text);
  const lines = await renderScreen(
    events.map(([, , data]) => data),
    { cols: header.width, rows: header.height, convertEol: false },
  );
  return lines.join('\n');
}

describe('a recording is a function of its inputs (--record with --keys)', () => {
  it('writes the same bytes twice for the same scenario, script and size', async () => {
    const options = { ...SIZE, speed: 10, presses: parseKeysScript('1s:space n n 500ms:space 1s:q') };
    const first = await recordCast(kinesis, options);
    const second = await recordCast(kinesis, options);
    expect(second.text).toBe(first.text);
    expect(first.play.quit).toBe(true);
  });

  it('follows asciicast v2: a header with a fixed timestamp and the scenario as title, then [seconds, "o", data] lines', async () => {
    const { text } = await recordCast(kinesis, { ...SIZE, speed: 10, presses: parseKeysScript('2s:q') });
    const { header, events } = parseAsciicast(text);
    expect(header).toMatchObject({ version: 2, width: 100, height: 30, timestamp: RECORDING_TIMESTAMP, title: kinesis.name });
    expect(events.length).toBeGreaterThan(5);
    let last = 0;
    for (const [seconds, code, data] of events) {
      expect(code).toBe('o');
      expect(seconds).toBeGreaterThanOrEqual(last);
      last = seconds;
      // Line ends are \r\n: a bare \n would leave the next line indented in a player.
      expect(data).not.toMatch(/[^\r]\n/);
    }
    expect(last).toBe(2);
  });

  it('times frames by the simulated clock divided by the speed', async () => {
    const { text, play } = await recordCast(kinesis, { ...SIZE, speed: 5, presses: parseKeysScript('3s:q') });
    expect(play.simulatedMs).toBe(15_000);
    expect(parseAsciicast(text).events.at(-1)![0]).toBe(3);
    expect(await screenOf(text)).toContain('t 00:15.0');
  });

  it('keeps the recording clock moving forward while the user steps back', async () => {
    const { text, play } = await recordCast(kinesis, { ...SIZE, speed: 10, presses: parseKeysScript('1s:b b b b 1s:q') });
    const times = parseAsciicast(text).events.map(([seconds]) => seconds);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Four steps back from 10 s (at 1.0, 1.1, 1.2 and 1.3 s): the screen shows 9.6 s, the recording
    // goes on to the q at 2.3 s.
    expect(play.simulatedMs).toBe(9_600);
    expect(times.at(-1)).toBe(2.3);
    expect(await screenOf(text)).toContain('t 00:09.6');
  });

  it('draws frames at most rows-1 tall and no wider than the recording', async () => {
    const heights: number[] = [];
    await playScript(kinesis, { columns: 80, rows: 24, speed: 10, presses: parseKeysScript('1s:? 1s:esc 1s:q') }, (_, frame) => {
      heights.push(frame.split('\n').length);
      for (const line of frame.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    });
    expect(Math.max(...heights)).toBeLessThanOrEqual(23);
  });

  it('uses the 16 basic colours whatever the terminal, and none at all with NO_COLOR', async () => {
    const presses = parseKeysScript('1s:q');
    // Coloured whatever NO_COLOR the test run itself has (NO_COLOR=1 npm test failed here).
    const coloured = await recordCast(kinesis, { ...SIZE, speed: 10, presses, colorLevel: recordingColorLevel({}) });
    expect(outputOf(coloured.text)).toMatch(COLOUR_CODES);
    expect(outputOf(coloured.text)).not.toMatch(/38;5;|38;2;/);
    const plain = await recordCast(kinesis, { ...SIZE, speed: 10, presses, colorLevel: recordingColorLevel({ NO_COLOR: '1' }) });
    expect(outputOf(plain.text)).not.toMatch(COLOUR_CODES);
    expect(await screenOf(plain.text)).toBe(await screenOf(coloured.text));
  });

  it('runs the scenario for its duration when there are no keys', async () => {
    const short = { ...kinesis, durationMs: 4_000 };
    const { play } = await recordCast(short, { ...SIZE, speed: 10, presses: [] });
    expect(play.quit).toBe(false);
    expect(play.simulatedMs).toBe(4_000);
    expect(play.endMs).toBe(400);
  });
});

describe('scripted keys take the path a person\'s keys take (Ink\'s input parser, the keymap)', () => {
  it('pauses, steps and shows the paused tick', async () => {
    const { finalFrame } = await playScript(kinesis, { ...SIZE, speed: 10, presses: parseKeysScript('2s:space n n n 1s:q') });
    expect(finalFrame).toContain('tick 203');
    expect(finalFrame).toMatch(/paused/);
  });

  it('opens the help overlay and closes it with a lone Esc', async () => {
    const short = { ...kinesis, durationMs: 3_000 };
    const open = await playScript(short, { ...SIZE, speed: 10, presses: parseKeysScript('500ms:? 500ms:q') });
    // q inside the overlay closes it rather than quitting.
    expect(open.quit).toBe(false);
    const closed = await playScript(short, { ...SIZE, speed: 10, presses: parseKeysScript('500ms:? 500ms:esc 500ms:q') });
    expect(closed.quit).toBe(true);
    expect(closed.finalFrame).toContain('1 Sources');
  });
});

describe('lambda-tui --keys / --record (the CLI entry)', () => {
  const base: RunOptions = { speed: 10, headless: false, json: false, cols: 100, rows: 30 };

  it('prints the last screen when there is no --record, so a demo script is also a check', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    expect(await runScripted(kinesis, { ...base, keys: '1s:space 1s:q' })).toBe(0);
    expect(out).toContain('Kinesis poison record with bisect');
    expect(out).toContain('t 00:10.0');
  });

  it.each([
    ['an unknown key', { keys: '2s:spcae' }, /--keys: token 1 "2s:spcae": unknown key "spcae"/],
    ['a wait without a unit', { keys: '2:q' }, /--keys: token 1 "2:q"/],
    ['a size that is not a number', { cols: Number.NaN }, /--cols: NaN is not a whole number/],
    ['a speed of zero', { speed: 0, keys: 'q' }, /--speed: 0 is not a positive number/],
  ])('refuses %s with a usage error (exit 2)', async (_, extra, message) => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err += String(chunk);
      return true;
    });
    expect(await runScripted(kinesis, { ...base, ...extra })).toBe(2);
    expect(err).toMatch(message);
    expect(err).toContain("Run 'lambda-tui --help' for usage.");
  });
});
