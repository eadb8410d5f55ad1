/**
 * asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/) for recordings that are byte-identical
 * for the same run: nothing here reads the wall clock; the caller passes the header's timestamp and
 * each event's time (from the simulated clock).
 *
 * Frames are whole screens as Ink's renderToString draws them. FrameEncoder turns a sequence of frames
 * into terminal bytes, either the whole frame every time or only the lines that changed; the recorder
 * and the live renderer over SSH share it, since both pay for every byte.
 */

/**
 * The header line of an asciicast v2 file.
 *
 * @example const { width, height }: AsciicastHeader = parseAsciicast(text).header;
 */
export interface AsciicastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp?: number;
  title?: string;
  env?: Record<string, string>;
  [extra: string]: unknown;
}

/**
 * One event line: `[seconds, code, data]`; code 'o' is output.
 *
 * @example const event: AsciicastEvent = [0.1, 'o', 'hello'];
 */
export type AsciicastEvent = [time: number, code: string, data: string];

/**
 * A parsed asciicast file.
 *
 * @example const cast: Asciicast = parseAsciicast(text);
 */
export interface Asciicast {
  header: AsciicastHeader;
  events: AsciicastEvent[];
}

/**
 * How frames become bytes: every frame in full, or only its changed lines after the first.
 *
 * @example new FrameEncoder('diff' satisfies FrameMode);
 */
export type FrameMode = 'full' | 'diff';

const ESC = '\x1b';
/**
 * Erase the whole screen, then cursor home.
 *
 * @example fullFrame('a').startsWith(CLEAR_HOME) // true
 */
export const CLEAR_HOME = `${ESC}[2J${ESC}[H`;
/**
 * Erase from the cursor to the end of the line.
 *
 * @example stdout.write('\x1b[3;1H' + line + ERASE_LINE_END);
 */
export const ERASE_LINE_END = `${ESC}[K`;
const RESET_SGR = `${ESC}[0m`;
const HIDE_CURSOR = `${ESC}[?25l`;
const SHOW_CURSOR = `${ESC}[?25h`;

/**
 * Converts bare line feeds to CRLF. A terminal (and asciinema's player) moves down on LF without
 * returning to column 1; `\r\n` already present is kept as is.
 *
 * @example
 * toCrlf('a\nb\r\nc'); // 'a\r\nb\r\nc'
 */
export function toCrlf(data: string): string {
  return data.replace(/\r?\n/g, '\r\n');
}

function splitLines(frame: string): string[] {
  return frame.replace(/\r\n/g, '\n').split('\n');
}

/** Cursor position sequence, 1-based as the terminal counts. */
function cursorTo(row: number, column = 1): string {
  return `${ESC}[${row};${column}H`;
}

/**
 * Ends a rewritten line. A line that carries colour codes is closed with a reset, so the erase that
 * follows paints the default background (terminals erase with the current one) and the next line
 * starts without inherited attributes.
 */
function endLine(line: string): string {
  return (line.includes(ESC) ? RESET_SGR : '') + ERASE_LINE_END;
}

/**
 * The bytes that draw `frame` on a cleared screen, from the top left.
 *
 * @example
 * fullFrame('a\nb'); // '\x1b[2J\x1b[Ha\r\nb'
 */
export function fullFrame(frame: string): string {
  return CLEAR_HOME + splitLines(frame).join('\r\n');
}

/**
 * The bytes that turn a screen showing `previous` into one showing `next`: for each line that differs,
 * move the cursor there, write the line and erase the rest of it; lines `previous` had below the end of
 * `next` are erased. Frames must fit the screen (at most its width and height), as renderToString at a
 * fixed width guarantees; a line that wraps would shift everything below it.
 *
 * @example
 * diffFrame('a\nb\nc', 'a\nB'); // '\x1b[2;1HB\x1b[K\x1b[3;1H\x1b[K'
 */
export function diffFrame(previous: string, next: string): string {
  const before = splitLines(previous);
  const after = splitLines(next);
  let out = '';
  for (let row = 0; row < after.length; row++) {
    if (after[row] !== before[row]) out += cursorTo(row + 1) + after[row] + endLine(after[row]);
  }
  for (let row = after.length; row < before.length; row++) {
    if (before[row] !== '') out += cursorTo(row + 1) + ERASE_LINE_END;
  }
  return out;
}

/**
 * Turns successive frames into terminal bytes. In 'diff' mode the first frame (and the first after
 * reset()) is drawn in full, later ones as a line diff, or in full when that happens to be shorter.
 *
 * @example
 * const encoder = new FrameEncoder('diff');
 * stdout.write(encoder.encode(renderToString(<App />, { columns: 100 })));
 */
export class FrameEncoder {
  private previous: string | undefined;

  constructor(readonly mode: FrameMode = 'diff') {}

  /** Bytes for the next frame; empty when nothing changed in 'diff' mode. */
  encode(frame: string): string {
    const previous = this.previous;
    this.previous = frame;
    if (this.mode === 'full' || previous === undefined) return fullFrame(frame);
    if (previous === frame) return '';
    const diff = diffFrame(previous, frame);
    const full = fullFrame(frame);
    return diff.length < full.length ? diff : full;
  }

  /** Forget the screen, so the next frame is drawn in full (after a resize, or when the screen was disturbed). */
  reset(): void {
    this.previous = undefined;
  }
}

/**
 * Formats simulated milliseconds as asciicast seconds with exactly six decimals, from integer
 * microseconds so the text never depends on binary floating-point rounding.
 *
 * @example
 * formatSeconds(1500);    // '1.500000'
 * formatSeconds(0.0004);  // '0.000000'
 */
export function formatSeconds(atMs: number): string {
  const micros = Math.round(atMs * 1000);
  const whole = Math.floor(micros / 1_000_000);
  const fraction = micros - whole * 1_000_000;
  return `${whole}.${String(fraction).padStart(6, '0')}`;
}

/**
 * Everything a recording's header holds; all of it from the caller, so a recording is reproducible.
 *
 * @example new AsciicastWriter({ width: 100, height: 30, timestamp: 0, title: 'sqs-basics', mode: 'diff' });
 */
export interface AsciicastWriterOptions {
  width: number;
  height: number;
  /** Unix seconds for the header; pass a fixed value (e.g. 0, or the scenario's), never `Date.now()`. */
  timestamp: number;
  title?: string;
  /** SHELL in the header's env; default '/bin/bash'. */
  shell?: string;
  /** TERM in the header's env; default 'xterm-256color'. */
  term?: string;
  /** How frames are encoded; default 'diff'. */
  mode?: FrameMode;
  /** Receives the file's text as it is produced (a line at a time, each ending in '\n'); default: kept in memory for toString(). */
  write?: (chunk: string) => void;
}

/**
 * Writes an asciicast v2 recording: the header line on construction, then one `[seconds, "o", data]`
 * line per output. Times are simulated milliseconds and must not go backwards (asciicast players
 * expect ordered events): a recorder that follows a rewinding clock should pass its own monotonic
 * recording time instead.
 *
 * @example
 * const cast = new AsciicastWriter({ width: 100, height: 30, timestamp: 0, title: 'kinesis-error' });
 * cast.frame(0, renderToString(<Dashboard snapshot={s0} />, { columns: 100 }));
 * cast.frame(100, renderToString(<Dashboard snapshot={s1} />, { columns: 100 }));
 * cast.end(100);
 * await writeFile('demo.cast', cast.toString());
 */
export class AsciicastWriter {
  /** UTF-8 bytes of recording text produced so far, header included (the size of the file). */
  bytesWritten = 0;
  /** UTF-8 bytes of terminal output in the events so far (what a player, or an SSH link, receives). */
  outputBytes = 0;

  private readonly encoder: FrameEncoder;
  private readonly chunks: string[] = [];
  private readonly sink: (chunk: string) => void;
  private lastMs = 0;
  private started = false;
  private frameRows = 0;

  constructor(readonly options: AsciicastWriterOptions) {
    for (const key of ['width', 'height'] as const) {
      if (!Number.isInteger(options[key]) || options[key] <= 0) {
        throw new RangeError(`asciicast ${key} must be a positive integer, got ${options[key]}`);
      }
    }
    if (!Number.isFinite(options.timestamp)) throw new RangeError(`asciicast timestamp must be a number, got ${options.timestamp}`);
    this.encoder = new FrameEncoder(options.mode ?? 'diff');
    this.sink = options.write ?? ((chunk) => this.chunks.push(chunk));
    // Key order is fixed by construction, so the header is byte-identical for the same options.
    const header: AsciicastHeader = {
      version: 2,
      width: options.width,
      height: options.height,
      timestamp: options.timestamp,
      ...(options.title === undefined ? {} : { title: options.title }),
      env: { TERM: options.term ?? 'xterm-256color', SHELL: options.shell ?? '/bin/bash' },
    };
    this.emit(JSON.stringify(header) + '\n');
  }

  /**
   * Records raw terminal output at `atMs` (simulated ms); bare line feeds become CRLF. Empty output
   * writes nothing.
   */
  output(atMs: number, data: string): void {
    if (!Number.isFinite(atMs) || atMs < this.lastMs) {
      throw new RangeError(`asciicast time went from ${this.lastMs}ms back to ${atMs}ms; pass a monotonic recording time`);
    }
    this.lastMs = atMs;
    if (data === '') return;
    const converted = toCrlf(data);
    this.outputBytes += Buffer.byteLength(converted, 'utf8');
    this.emit(`[${formatSeconds(atMs)}, "o", ${JSON.stringify(converted)}]\n`);
  }

  /**
   * Records a whole screen (renderToString's output) at `atMs`: in full, or as the lines that changed
   * since the previous frame. The first frame also hides the cursor, as the live dashboard does.
   */
  frame(atMs: number, frame: string): void {
    let bytes = this.encoder.encode(frame);
    if (!this.started) {
      this.started = true;
      bytes = HIDE_CURSOR + bytes;
    }
    this.frameRows = splitLines(frame).length;
    this.output(atMs, bytes);
  }

  /**
   * Ends the recording: moves the cursor below the last frame and shows it again, so `asciinema cat`
   * leaves a usable shell prompt after the picture.
   */
  end(atMs: number): void {
    const row = Math.min(this.frameRows + 1, this.options.height);
    this.output(atMs, cursorTo(row) + (this.frameRows + 1 > this.options.height ? '\r\n' : '') + SHOW_CURSOR);
  }

  /** The recording so far, when no `write` sink was given. */
  toString(): string {
    return this.chunks.join('');
  }

  private emit(line: string): void {
    this.bytesWritten += Buffer.byteLength(line, 'utf8');
    this.sink(line);
  }
}

/**
 * Parses an asciicast v2 file (tests, and checking a recording). Throws with the line number on
 * anything malformed.
 *
 * @example
 * const { header, events } = parseAsciicast(await readFile('demo.cast', 'utf8'));
 * events.map(([, , data]) => data).join(''); // the terminal bytes, in order
 */
export function parseAsciicast(text: string): Asciicast {
  const lines = text.split('\n').filter((line, index, all) => line !== '' || index < all.length - 1);
  if (lines.length === 0) throw new SyntaxError('asciicast: empty file');
  const parseLine = (line: string, number: number): unknown => {
    try {
      return JSON.parse(line);
    } catch (error) {
      throw new SyntaxError(`asciicast line ${number}: not JSON (${(error as Error).message})`);
    }
  };
  const header = parseLine(lines[0], 1) as AsciicastHeader;
  if (header === null || typeof header !== 'object' || header.version !== 2) {
    throw new SyntaxError('asciicast line 1: not a v2 header ("version": 2 missing)');
  }
  if (!Number.isInteger(header.width) || !Number.isInteger(header.height)) {
    throw new SyntaxError('asciicast line 1: header needs integer width and height');
  }
  const events = lines.slice(1).map((line, index): AsciicastEvent => {
    const number = index + 2;
    const event = parseLine(line, number);
    if (
      !Array.isArray(event) ||
      event.length !== 3 ||
      typeof event[0] !== 'number' ||
      typeof event[1] !== 'string' ||
      typeof event[2] !== 'string'
    ) {
      throw new SyntaxError(`asciicast line ${number}: not an event [seconds, code, data]`);
    }
    return event as AsciicastEvent;
  });
  return { header, events };
}
