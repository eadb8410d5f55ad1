/**
 * Keys that arrive in pieces. A terminal sends an arrow key as three bytes (ESC [ B) in one write, but
 * over SSH, or any link that splits packets, the pieces can arrive in separate reads. Ink 6.8 holds an
 * unfinished escape sequence only until the next turn of the event loop, then reads it as Esc: a down
 * arrow split after its ESC closes the fault menu and types "[B". This wrapper around stdin holds an
 * unfinished sequence for ESCAPE_TIMEOUT_MS, the way terminal programs do (Neovim's ttimeoutlen, tmux's
 * escape-time), and passes it on whole when the rest arrives, or as a lone Esc when nothing follows.
 *
 * @example
 * render(<App ... />, { stdin: holdSplitEscapes(process.stdin) as unknown as NodeJS.ReadStream });
 */
import { EventEmitter } from 'node:events';
import { StringDecoder } from 'node:string_decoder';

/**
 * How long an unfinished escape sequence waits for its rest before it is read as what it is (a lone Esc
 * is the common case). Long enough for a split packet on a slow link, short enough that Esc still feels
 * immediate. Neovim's default ttimeoutlen is the same.
 *
 * @example holdSplitEscapes(process.stdin, { timeoutMs: ESCAPE_TIMEOUT_MS });
 */
export const ESCAPE_TIMEOUT_MS = 50;

/**
 * ESC, optionally a second ESC (Alt with an escape sequence), then an unfinished CSI (`[`, a legacy
 * `[[`, parameter and intermediate bytes, no final byte yet) or SS3 (`O`, no final byte yet), or nothing.
 */
const UNFINISHED_ESCAPE = /\x1b\x1b?(?:\[\[?[\x20-\x3f]*|O)?$/;

/**
 * Splits `data` into what can be read now and an unfinished escape sequence at its end (empty if none).
 *
 * @example
 * splitUnfinishedEscape('q\x1b[');  // ['q', '\x1b[']
 * splitUnfinishedEscape('\x1b[B');  // ['\x1b[B', '']
 */
export function splitUnfinishedEscape(data: string): [ready: string, held: string] {
  const match = UNFINISHED_ESCAPE.exec(data);
  if (!match) return [data, ''];
  return [data.slice(0, match.index), match[0]];
}

/**
 * A mouse report (SGR mode 1006, see terminal.ts enableMouse): `button` as the terminal encodes it
 * (0 left, 1 middle, 2 right, 64 wheel up, 65 wheel down; +4 Shift, +8 Alt, +16 Ctrl, +32 motion),
 * the cell it happened in (0-based) and whether it was a press or a release.
 *
 * @example const wheelUp: MouseReport = { button: 64, x: 9, y: 4, release: false };
 */
export interface MouseReport {
  button: number;
  x: number;
  y: number;
  release: boolean;
}

/** SGR mouse reports (ESC [ < b ; x ; y M|m), and the legacy X10 form (ESC [ M and three bytes) to drop. */
const MOUSE_REPORT = /\x1b\[<(\d+);(\d+);(\d+)([Mm])|\x1b\[M[\s\S]{3}/g;

/**
 * Takes the mouse reports out of `data`: what is left goes on as keys, the reports are returned in
 * order. Legacy X10 reports (a terminal without SGR mode) are dropped, so they never read as keys.
 *
 * @example takeMouseReports('j\x1b[<65;10;5Mk') // ['jk', [{ button: 65, x: 9, y: 4, release: false }]]
 */
export function takeMouseReports(data: string): [keys: string, reports: MouseReport[]] {
  if (!data.includes('\x1b[')) return [data, []];
  const reports: MouseReport[] = [];
  const keys = data.replace(MOUSE_REPORT, (whole, button?: string, x?: string, y?: string, kind?: string) => {
    if (button !== undefined) reports.push({ button: Number(button), x: Number(x) - 1, y: Number(y) - 1, release: kind === 'm' });
    return '';
  });
  return [keys, reports];
}

/**
 * The part of a TTY stdin the wrapper uses and passes through.
 *
 * @example const source: KeySource = process.stdin;
 */
export interface KeySource {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  read(): string | Buffer | null;
  ref?(): unknown;
  unref?(): unknown;
  on(event: 'readable', listener: () => void): unknown;
  off(event: 'readable', listener: () => void): unknown;
}

/**
 * Options of holdSplitEscapes.
 *
 * @example holdSplitEscapes(process.stdin, { timeoutMs: 100 });
 */
export interface HoldOptions {
  /** See ESCAPE_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * A stdin for Ink that delivers escape sequences whole (see the module comment). It reads `source`
 * while someone listens for 'readable', and otherwise leaves it alone, so the process can still exit.
 * Mouse reports never reach Ink: they are emitted as 'mouse' events (MouseReport) instead.
 */
class HeldKeys extends EventEmitter {
  private readonly queue: string[] = [];
  private held = '';
  private timer: NodeJS.Timeout | undefined;
  private attached = false;
  private decoder = new StringDecoder('utf8');

  constructor(
    private readonly source: KeySource,
    private readonly timeoutMs: number,
  ) {
    super();
    this.on('newListener', (event: string) => {
      if (event === 'readable' && !this.attached) {
        this.attached = true;
        source.on('readable', this.pull);
      }
    });
    this.on('removeListener', (event: string) => {
      if (event === 'readable' && this.attached && this.listenerCount('readable') === 0) {
        this.attached = false;
        source.off('readable', this.pull);
        this.release();
      }
    });
  }

  get isTTY(): boolean | undefined {
    return this.source.isTTY;
  }

  get isRaw(): boolean | undefined {
    return this.source.isRaw;
  }

  setRawMode(mode: boolean): this {
    this.source.setRawMode?.(mode);
    return this;
  }

  setEncoding(encoding: BufferEncoding): this {
    this.source.setEncoding(encoding);
    return this;
  }

  ref(): this {
    this.source.ref?.();
    return this;
  }

  unref(): this {
    this.source.unref?.();
    return this;
  }

  read(): string | null {
    return this.queue.shift() ?? null;
  }

  private readonly pull = (): void => {
    let data = this.held;
    let chunk: string | Buffer | null;
    while ((chunk = this.source.read()) !== null) data += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (data === this.held) return;
    clearTimeout(this.timer);
    const [ready, held] = splitUnfinishedEscape(data);
    this.held = held;
    if (held !== '') this.timer = setTimeout(this.release, this.timeoutMs);
    const [keys, reports] = takeMouseReports(ready);
    for (const report of reports) this.emit('mouse', report);
    this.deliver(keys);
  };

  /** Nothing more came: pass the held bytes on as they are (usually a lone Esc). */
  private readonly release = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    const held = this.held;
    this.held = '';
    this.deliver(held);
  };

  private deliver(data: string): void {
    if (data === '') return;
    this.queue.push(data);
    this.emit('readable');
  }
}

/**
 * Wraps a TTY stdin so that escape sequences split across reads reach Ink whole.
 *
 * @example
 * const stdin = holdSplitEscapes(process.stdin);
 * render(<App ... />, { stdin: stdin as unknown as NodeJS.ReadStream, stdout: process.stdout });
 */
export function holdSplitEscapes(source: KeySource, options: HoldOptions = {}): HeldKeys {
  return new HeldKeys(source, options.timeoutMs ?? ESCAPE_TIMEOUT_MS);
}

export type { HeldKeys };
