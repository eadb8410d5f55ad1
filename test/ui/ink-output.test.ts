/**
 * scripts/ink-output.js, which the bundle uses in place of Ink's Output (scripts/bundle.mjs), makes the
 * very frames Ink's own makes: random writes (styles, wide characters, emoji, combining marks), clips,
 * and frames that repeat, change one line, or change size, one after the other (its caches and the
 * previous frame's rows outlive a frame).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

type OutputClass = new (options: { width: number; height: number }) => {
  write(x: number, y: number, text: string, options: { transformers: Array<(line: string, index: number) => string> }): void;
  clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
  get(): { output: string; height: number };
};

const load = async (file: string): Promise<OutputClass> => ((await import(pathToFileURL(path.resolve(file)).href)) as { default: OutputClass }).default;

/** A small seeded generator (mulberry32), so a failure repeats. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STYLES = ['\x1b[31m', '\x1b[1m', '\x1b[2m', '\x1b[7m', '\x1b[36m', '\x1b[42m', '\x1b[38;5;208m', '\x1b[4m'];
const RESETS = ['\x1b[39m', '\x1b[22m', '\x1b[27m', '\x1b[49m', '\x1b[24m', '\x1b[0m'];
const PIECES = ['shard-1', ' ', '│', '─', '▁▂▃', '…', '漢字', '😀', 'e\u0301', 'x10', '00:42.3', '> running', '█', '\u00ad', '🇩🇪'];

type Op = { kind: 'write'; x: number; y: number; text: string; upper: boolean } | { kind: 'clip'; clip: { x1?: number; x2?: number; y1?: number; y2?: number } } | { kind: 'unclip' };

function randomText(r: () => number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(r() * 3);
  for (let l = 0; l < count; l++) {
    let line = '';
    const parts = Math.floor(r() * 6);
    for (let p = 0; p < parts; p++) {
      if (r() < 0.3) line += STYLES[Math.floor(r() * STYLES.length)];
      line += PIECES[Math.floor(r() * PIECES.length)];
      if (r() < 0.2) line += RESETS[Math.floor(r() * RESETS.length)];
    }
    lines.push(line);
  }
  return lines.join('\n');
}

function randomFrame(r: () => number, width: number, height: number): Op[] {
  const ops: Op[] = [];
  let depth = 0;
  const n = Math.floor(r() * 25);
  for (let i = 0; i < n; i++) {
    const roll = r();
    if (roll < 0.12) {
      const x1 = Math.floor(r() * width);
      const y1 = Math.floor(r() * height);
      const clip = r() < 0.5 ? { x1, x2: x1 + Math.floor(r() * width), y1, y2: y1 + Math.floor(r() * height) } : r() < 0.5 ? { x1, x2: x1 + 5 } : { y1, y2: y1 + 2 };
      ops.push({ kind: 'clip', clip });
      depth++;
    } else if (roll < 0.18 && depth > 0) {
      ops.push({ kind: 'unclip' });
      depth--;
    } else {
      ops.push({ kind: 'write', x: Math.floor(r() * (width + 2)) - 1, y: Math.floor(r() * (height + 1)), text: randomText(r), upper: r() < 0.1 });
    }
  }
  return ops;
}

function play(Output: OutputClass, width: number, height: number, ops: Op[]): { output: string; height: number } {
  const out = new Output({ width, height });
  for (const op of ops) {
    if (op.kind === 'clip') out.clip(op.clip);
    else if (op.kind === 'unclip') out.unclip();
    else out.write(op.x, op.y, op.text, { transformers: op.upper ? [(line) => line.toUpperCase()] : [] });
  }
  return out.get();
}

describe('the bundle\'s Ink Output (scripts/ink-output.js)', () => {
  it('writes what Ink 6.8\'s Output writes, frame after frame', async () => {
    const Ink = await load('node_modules/ink/build/output.js');
    const Ours = await load('scripts/ink-output.js');
    const r = rng(19);
    let frame: Op[] = [];
    let size = { width: 30, height: 6 };
    for (let i = 0; i < 400; i++) {
      const roll = r();
      if (roll < 0.3) frame = randomFrame(r, size.width, size.height); // a new frame
      else if (roll < 0.6 && frame.length > 0) {
        // One write changes, the rest stay (a clock ticking)
        const at = Math.floor(r() * frame.length);
        const op = frame[at];
        if (op.kind === 'write') frame = frame.map((o, j) => (j === at ? { ...op, text: randomText(r) } : o));
      } else if (roll < 0.65) size = { width: 5 + Math.floor(r() * 40), height: 1 + Math.floor(r() * 8) };
      // else: the same frame again
      expect(play(Ours, size.width, size.height, frame)).toEqual(play(Ink, size.width, size.height, frame));
    }
  });

  it('writes lines of SGR codes and printable ASCII (its fast path) as Ink does, under clips and transforms', async () => {
    const Ink = await load('node_modules/ink/build/output.js');
    const Ours = await load('scripts/ink-output.js');
    const r = rng(23);
    const codes = [...STYLES, ...RESETS, '\x1b[38;2;10;20;30m', '\x1b[1;31m', '\x1b[m'];
    const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    const run = (n: number) => Array.from({ length: n }, () => codes[Math.floor(r() * codes.length)]).join('');
    const text = () => Array.from({ length: 1 + Math.floor(r() * 12) }, () => ascii[Math.floor(r() * ascii.length)]).join('');
    for (let i = 0; i < 300; i++) {
      const ops: Op[] = [];
      for (let w = 0; w < 6; w++) {
        // Runs of codes and text, as a pane's row is: a border, its content in one or more styles, a border.
        let line = '';
        for (let k = 1 + Math.floor(r() * 4); k > 0; k--) line += run(Math.floor(r() * 3)) + text();
        ops.push({ kind: 'write', x: Math.floor(r() * 12) - 1, y: Math.floor(r() * 6), text: line + run(Math.floor(r() * 3)), upper: r() < 0.2 });
        if (r() < 0.2) ops.push({ kind: 'clip', clip: { x1: Math.floor(r() * 10), x2: 10 + Math.floor(r() * 20) } });
      }
      expect(play(Ours, 40, 6, ops)).toEqual(play(Ink, 40, 6, ops));
    }
  });

  it('has one grapheme per character in a line of printable ASCII and ESC (the bundle\'s ansi-tokenize walks such lines by character)', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const r = rng(7);
    const alphabet = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('') + '\x1b';
    for (let n = 0; n < 2000; n++) {
      let line = '';
      const length = Math.floor(r() * 40);
      for (let i = 0; i < length; i++) line += r() < 0.1 ? '\x1b[' : alphabet[Math.floor(r() * alphabet.length)];
      expect([...segmenter.segment(line)].map(({ segment, index }) => [segment, index])).toEqual([...line].map((c, i) => [c, i]));
    }
  });
});
