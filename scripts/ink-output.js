/**
 * Ink 6.8's Output (ink/build/output.js), as the bundle uses it in its place (scripts/bundle.mjs): the
 * same frames, byte for byte, at a fraction of the work per frame (docs/architecture.md, "The live
 * dashboard's CPU").
 *
 * Ink builds a new Output for every frame, and with it new caches: every line of text is tokenized into
 * styled characters again, every character measured again, and every row turned back into a string
 * with a style diff (three Sets) per character, although from one frame to the next most lines are
 * the same. Here:
 * - the caches (styled characters and their widths per line, string widths, clipped slices) live across
 *   frames, bounded: past CACHE_LIMIT entries a cache starts again empty;
 * - a line's characters that share one style share one styles array, so turning a row into a string
 *   skips the diff between neighbours whose styles are the same array (the diff of equal styles is
 *   empty, so the string is the same);
 * - a row made of the very same character objects as the same row in the previous frame (the usual case:
 *   the cached lines) reuses the previous frame's string for it.
 *
 * Everything else (the order of operations, clipping, wide characters, trailing spaces) is Ink's code
 * as it is. test/ui/ink-output.test.ts compares the two on random and real frames.
 */
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import { diffAnsiCodes, ansiCodesToString, reduceAnsiCodesIncremental, styledCharsFromTokens, tokenize } from '@alcalzone/ansi-tokenize';

/** Entries a cache holds before it is emptied (a running clock makes a few new lines every frame). */
export const CACHE_LIMIT = 20_000;

/** @template V @param {Map<string, V>} map @param {string} key @param {V} value */
function remember(map, key, value) {
  if (map.size >= CACHE_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

/** Per line: its styled characters (styles shared between neighbours that have the same) and their widths. */
const styledLines = new Map();
const widths = new Map();
const blockWidths = new Map();
const slices = new Map();

function stringWidthOf(text) {
  const cached = widths.get(text);
  return cached !== undefined ? cached : remember(widths, text, stringWidth(text));
}

function widestLine(text) {
  const cached = blockWidths.get(text);
  if (cached !== undefined) return cached;
  let lineWidth = 0;
  for (const line of text.split('\n')) lineWidth = Math.max(lineWidth, stringWidthOf(line));
  return remember(blockWidths, text, lineWidth);
}

function sliced(line, from, to) {
  const key = `${from}:${to}:${line}`;
  const cached = slices.get(key);
  return cached !== undefined ? cached : remember(slices, key, sliceAnsi(line, from, to));
}

function sameStyles(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  return true;
}

/** A line of SGR codes and printable ASCII only: most of the dashboard's lines (a pane's row, borders included). */
const ASCII_STYLED = /^(?:\x1b\[[0-9;]*m|[\x20-\x7e])+$/;
/** Its runs: codes, or text. */
const RUNS = /((?:\x1b\[[0-9;]*m)+)|([\x20-\x7e]+)/g;

/**
 * The styled characters of a line of SGR codes and printable ASCII, run by run: each run of codes reduced
 * into the active styles as ansi-tokenize does code by code, each run of text as characters sharing one
 * copy of them. The same characters as tokenizing the whole line (test/ui/ink-output.test.ts compares
 * the frames with Ink's), without a token and a styles copy per character: tokenizing changed lines was
 * a tenth of the live dashboard's CPU. Undefined when a run of codes holds anything ansi-tokenize does
 * not read as codes (the line then goes the slow way).
 */
function asciiStyledChars(line) {
  const chars = [];
  let codes = [];
  for (const m of line.matchAll(RUNS)) {
    if (m[1] !== undefined) {
      const tokens = tokenize(m[1]);
      if (tokens.some((t) => t.type !== 'ansi')) return undefined;
      codes = reduceAnsiCodesIncremental(codes, tokens);
    } else {
      const styles = [...codes];
      const text = m[2];
      for (let k = 0; k < text.length; k++) chars.push({ type: 'char', value: text[k], fullWidth: false, styles });
    }
  }
  return chars;
}

function styledLine(line) {
  const cached = styledLines.get(line);
  if (cached !== undefined) return cached;
  const ascii = ASCII_STYLED.test(line) ? asciiStyledChars(line) : undefined;
  const chars = ascii ?? styledCharsFromTokens(tokenize(line));
  for (let i = 1; i < chars.length; i++) {
    if (sameStyles(chars[i - 1].styles, chars[i].styles)) chars[i].styles = chars[i - 1].styles;
  }
  const charWidths = ascii ? new Array(chars.length).fill(1) : chars.map((character) => Math.max(1, stringWidthOf(character.value)));
  return remember(styledLines, line, { chars, widths: charWidths });
}

/** ansi-tokenize's styledCharsToString, without the diff between neighbours that share a styles array. */
function styledCharsToString(chars) {
  let ret = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (i === 0) ret += ansiCodesToString(char.styles);
    else if (chars[i - 1].styles !== char.styles) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
    ret += char.value;
    if (i === chars.length - 1) ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
  }
  return ret;
}

/** One blank cell for every empty place: cells are only ever replaced, never changed. */
const BLANK = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });

/** The empty cell after a wide character, one per styles array (as BLANK, never changed). */
const fillers = new WeakMap();
function fillerFor(styles) {
  let filler = fillers.get(styles);
  if (filler === undefined) fillers.set(styles, (filler = Object.freeze({ type: 'char', value: '', fullWidth: false, styles })));
  return filler;
}

/** The previous frame's rows and their strings, by row index (see rowString). */
let previousRows = [];
let previousStrings = [];

function sameCells(a, b) {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export default class Output {
  width;
  height;
  operations = [];
  constructor(options) {
    const { width, height } = options;
    this.width = width;
    this.height = height;
  }
  write(x, y, text, options) {
    const { transformers } = options;
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers });
  }
  clip(clip) {
    this.operations.push({ type: 'clip', clip });
  }
  unclip() {
    this.operations.push({ type: 'unclip' });
  }
  get() {
    const output = [];
    for (let y = 0; y < this.height; y++) output.push(new Array(this.width).fill(BLANK));
    const clips = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type === 'write') {
        const { text, transformers } = operation;
        let { x, y } = operation;
        let lines = text.split('\n');
        const clip = clips.at(-1);
        if (clip) {
          const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
          const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
          if (clipHorizontally) {
            const width = widestLine(text);
            if (x + width < clip.x1 || x > clip.x2) continue;
          }
          if (clipVertically) {
            const height = lines.length;
            if (y + height < clip.y1 || y > clip.y2) continue;
          }
          if (clipHorizontally) {
            lines = lines.map((line) => {
              const from = x < clip.x1 ? clip.x1 - x : 0;
              const width = stringWidthOf(line);
              const to = x + width > clip.x2 ? clip.x2 - x : width;
              return sliced(line, from, to);
            });
            if (x < clip.x1) x = clip.x1;
          }
          if (clipVertically) {
            const from = y < clip.y1 ? clip.y1 - y : 0;
            const height = lines.length;
            const to = y + height > clip.y2 ? clip.y2 - y : height;
            lines = lines.slice(from, to);
            if (y < clip.y1) y = clip.y1;
          }
        }
        let offsetY = 0;
        for (let [index, line] of lines.entries()) {
          const currentLine = output[y + offsetY];
          if (!currentLine) continue;
          for (const transformer of transformers) line = transformer(line, index);
          const { chars, widths: charWidths } = styledLine(line);
          let offsetX = x;
          for (let c = 0; c < chars.length; c++) {
            const character = chars[c];
            currentLine[offsetX] = character;
            const characterWidth = charWidths[c];
            if (characterWidth > 1) {
              const filler = fillerFor(character.styles);
              for (let index = 1; index < characterWidth; index++) currentLine[offsetX + index] = filler;
            }
            offsetX += characterWidth;
          }
          offsetY++;
        }
      }
    }
    const strings = [];
    for (let y = 0; y < output.length; y++) {
      // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
      const line = output[y].filter((item) => item !== undefined);
      strings.push(sameCells(previousRows[y], line) ? previousStrings[y] : styledCharsToString(line).trimEnd());
      output[y] = line;
    }
    previousRows = output;
    previousStrings = strings;
    return { output: strings.join('\n'), height: output.length };
  }
}
