import { describe, expect, it } from 'vitest';
import {
  AsciicastWriter,
  diffFrame,
  FrameEncoder,
  formatSeconds,
  fullFrame,
  parseAsciicast,
  type AsciicastWriterOptions,
  type FrameMode,
} from '../../src/output/asciicast.js';
import { renderScreen } from '../e2e/harness/xterm.js';

const WIDTH = 40;
const HEIGHT = 12;

/** A dashboard-like sequence: a static frame and title, a clock that ticks, a log that grows and shrinks. */
function frames(): string[] {
  const out: string[] = [];
  for (let tick = 0; tick < 12; tick++) {
    const log = Array.from({ length: tick % 4 }, (_, i) => `| log ${tick}.${i}`);
    out.push(
      [
        `\x1b[1mlambda-tui\x1b[22m  t 00:0${Math.floor(tick / 10)}.${tick % 10}  tick ${tick}`,
        '+- 1 Sources ---------------+',
        `| shard-0 [${'#'.repeat(tick)}${'.'.repeat(12 - tick)}] |`,
        '| queue orders  visible 0   |',
        '| queue dlq     visible 0   |',
        '+---------------------------+',
        ' space pause  n step  q quit',
        ...log,
      ].join('\n'),
    );
  }
  return out;
}

function record(mode: FrameMode, extra: Partial<AsciicastWriterOptions> = {}): AsciicastWriter {
  const cast = new AsciicastWriter({ width: WIDTH, height: HEIGHT, timestamp: 1_700_000_000, title: 'demo', mode, ...extra });
  frames().forEach((frame, tick) => cast.frame(tick * 100, frame));
  cast.end(1_200);
  return cast;
}

/** The screen a player shows at the end, through a terminal emulator that does not add CR to LF. */
async function finalScreen(castText: string): Promise<string[]> {
  const { header, events } = parseAsciicast(castText);
  return renderScreen(
    events.map(([, , data]) => data),
    { cols: header.width, rows: header.height, convertEol: false },
  );
}

describe('a recording is an asciicast v2 file', () => {
  it('starts with a header holding the size, the given timestamp, the title and the env', () => {
    const firstLine = record('full').toString().split('\n')[0];
    expect(firstLine).toBe(
      '{"version":2,"width":40,"height":12,"timestamp":1700000000,"title":"demo",' +
        '"env":{"TERM":"xterm-256color","SHELL":"/bin/bash"}}',
    );
  });

  it('leaves out the title when there is none, and takes SHELL from the caller', () => {
    const cast = new AsciicastWriter({ width: 10, height: 2, timestamp: 0, shell: '/bin/zsh' });
    expect(cast.toString()).toBe('{"version":2,"width":10,"height":2,"timestamp":0,"env":{"TERM":"xterm-256color","SHELL":"/bin/zsh"}}\n');
  });

  it('writes output events as [seconds, "o", data] lines with simulated seconds to six decimals', () => {
    const cast = new AsciicastWriter({ width: 10, height: 2, timestamp: 0 });
    cast.output(0, 'a');
    cast.output(1_500, 'b');
    cast.output(61_234.5678, '\x1b[1mc');
    expect(cast.toString().split('\n').slice(1)).toEqual([
      '[0.000000, "o", "a"]',
      '[1.500000, "o", "b"]',
      '[61.234568, "o", "\\u001b[1mc"]',
      '',
    ]);
  });

  it('formats times from integer microseconds, without floating-point noise', () => {
    expect(formatSeconds(300)).toBe('0.300000');
    expect(formatSeconds(100 * 3)).toBe('0.300000');
    expect(formatSeconds(0.1 + 0.2)).toBe('0.000300');
    expect(formatSeconds(3_600_000)).toBe('3600.000000');
  });

  it('turns line feeds into CRLF, so players start each line at column 1', async () => {
    const cast = new AsciicastWriter({ width: 10, height: 3, timestamp: 0 });
    cast.output(0, 'ab\ncd\r\nef');
    expect(parseAsciicast(cast.toString()).events[0][2]).toBe('ab\r\ncd\r\nef');
    expect(await finalScreen(cast.toString())).toEqual(['ab', 'cd', 'ef']);
  });

  it('refuses time that goes backwards, which players cannot show', () => {
    const cast = new AsciicastWriter({ width: 10, height: 2, timestamp: 0 });
    cast.output(500, 'a');
    expect(() => cast.output(400, 'b')).toThrow(/back to 400ms/);
  });

  it('refuses a screen without a size', () => {
    expect(() => new AsciicastWriter({ width: 0, height: 2, timestamp: 0 })).toThrow(/width/);
  });

  it('streams lines to a sink and counts the bytes written', () => {
    const chunks: string[] = [];
    const cast = record('diff', { write: (chunk) => chunks.push(chunk) });
    expect(cast.toString()).toBe('');
    expect(cast.bytesWritten).toBe(Buffer.byteLength(chunks.join('')));
    expect(chunks.every((chunk) => chunk.endsWith('\n') && chunk.indexOf('\n') === chunk.length - 1)).toBe(true);
  });
});

describe('the same run records the same file', () => {
  it('writes byte-identical output for identical input', () => {
    for (const mode of ['full', 'diff'] as const) {
      expect(record(mode).toString()).toBe(record(mode).toString());
    }
  });
});

describe('diff mode sends only what changed', () => {
  it('writes fewer bytes than full frames', () => {
    const [full, diff] = [record('full'), record('diff')];
    expect(diff.outputBytes).toBeLessThan(full.outputBytes);
    expect(diff.bytesWritten).toBeLessThan(full.bytesWritten);
  });

  it('leaves the player showing the same final screen as full frames', async () => {
    const fullScreen = await finalScreen(record('full').toString());
    const diffScreen = await finalScreen(record('diff').toString());
    expect(diffScreen).toEqual(fullScreen);
    expect(fullScreen[0]).toBe('lambda-tui  t 00:01.1  tick 11');
    expect(fullScreen.slice(7, 10)).toEqual(['| log 11.0', '| log 11.1', '| log 11.2']);
  });

  it('shows every intermediate frame the same way too', async () => {
    const encoders = { full: new FrameEncoder('full'), diff: new FrameEncoder('diff') };
    const streams = { full: [] as string[], diff: [] as string[] };
    for (const frame of frames()) {
      streams.full.push(encoders.full.encode(frame));
      streams.diff.push(encoders.diff.encode(frame));
      const options = { cols: WIDTH, rows: HEIGHT, convertEol: false };
      expect(await renderScreen(streams.diff, options)).toEqual(await renderScreen(streams.full, options));
    }
  });

  it('writes nothing for a frame that did not change', () => {
    const encoder = new FrameEncoder('diff');
    encoder.encode('same');
    expect(encoder.encode('same')).toBe('');
  });

  it('rewrites only the changed line and clears lines the new frame no longer has', () => {
    expect(diffFrame('a\nb\nc', 'a\nB')).toBe('\x1b[2;1HB\x1b[K\x1b[3;1H\x1b[K');
  });

  it('resets colours before clearing the rest of a coloured line', () => {
    expect(diffFrame('a', '\x1b[41mred\x1b[49m')).toBe('\x1b[1;1H\x1b[41mred\x1b[49m\x1b[0m\x1b[K');
  });

  it('draws the whole frame again after a reset, as after a resize', () => {
    const encoder = new FrameEncoder('diff');
    encoder.encode('a');
    encoder.reset();
    expect(encoder.encode('b')).toBe(fullFrame('b'));
  });
});

describe('parseAsciicast reads recordings back', () => {
  it('returns the header and the events', () => {
    const { header, events } = parseAsciicast(record('diff').toString());
    expect(header).toMatchObject({ version: 2, width: WIDTH, height: HEIGHT, title: 'demo' });
    expect(events[0][0]).toBe(0);
    expect(events.at(-1)?.[0]).toBe(1.2);
    expect(events.every(([, code]) => code === 'o')).toBe(true);
  });

  it('names the line that is broken', () => {
    expect(() => parseAsciicast('{"version":1,"width":1,"height":1}')).toThrow(/line 1/);
    expect(() => parseAsciicast('{"version":2,"width":1,"height":1}\n[0, "o"]\n')).toThrow(/line 2/);
    expect(() => parseAsciicast('{"version":2,"width":1,"height":1}\n[0, "o", "a"]\nnope')).toThrow(/line 3: not JSON/);
  });
});
