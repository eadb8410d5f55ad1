/**
 * A terminal emulator inside a test: feed it the bytes a program (or a recording) wrote and read back
 * what a person would see, as lines of text. Built on @xterm/headless, the engine of VS Code's terminal.
 */
// @xterm/headless is CommonJS; on Node 20 its named exports are not detected, so take the default.
import xtermHeadless from '@xterm/headless';

const { Terminal } = xtermHeadless;

/**
 * Screen geometry and input handling for a headless terminal.
 *
 * @example new XtermScreen({ cols: 100, rows: 30, convertEol: false });
 */
export interface XtermOptions {
  cols?: number;
  rows?: number;
  /**
   * Treat LF as CRLF, as a pty would (default true). Turn it off to check that a byte stream, such as
   * an asciicast, carries its own `\r\n`.
   */
  convertEol?: boolean;
}

/**
 * A headless terminal screen.
 *
 * @example
 * const screen = new XtermScreen({ cols: 100, rows: 30 });
 * await screen.write('\x1b[2J\x1b[Hhello');
 * screen.lines()[0]; // 'hello'
 * screen.dispose();
 */
export class XtermScreen {
  private readonly terminal: InstanceType<typeof Terminal>;

  constructor(options: XtermOptions = {}) {
    this.terminal = new Terminal({
      cols: options.cols ?? 100,
      rows: options.rows ?? 30,
      convertEol: options.convertEol ?? true,
      allowProposedApi: true,
    });
  }

  /** Feeds bytes and resolves once the terminal has parsed them (xterm parses asynchronously). */
  write(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve) => this.terminal.write(data, resolve));
  }

  /** The visible screen, one string per row, trailing blanks trimmed. */
  lines(): string[] {
    const buffer = this.terminal.buffer.active;
    const rows: string[] = [];
    for (let row = 0; row < this.terminal.rows; row++) {
      rows.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    }
    return rows;
  }

  /** The visible screen as one string, trailing empty rows dropped. */
  text(): string {
    const rows = this.lines();
    while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
    return rows.join('\n');
  }

  /** Where the cursor is, 0-based, relative to the visible screen. */
  cursor(): { x: number; y: number } {
    const buffer = this.terminal.buffer.active;
    return { x: buffer.cursorX, y: buffer.cursorY };
  }

  /** Which screen is showing: 'alternate' after `\x1b[?1049h`, 'normal' after `\x1b[?1049l`. */
  screenKind(): 'normal' | 'alternate' {
    return this.terminal.buffer.active.type;
  }

  resize(cols: number, rows: number): void {
    this.terminal.resize(cols, rows);
  }

  dispose(): void {
    this.terminal.dispose();
  }
}

/**
 * Plays a byte stream (or a list of chunks, in order) into a fresh terminal and returns the final
 * screen as lines.
 *
 * @example
 * await renderScreen(['\x1b[2J\x1b[H', 'a\r\nb'], { cols: 10, rows: 3 }); // ['a', 'b', '']
 */
export async function renderScreen(data: string | readonly string[], options: XtermOptions = {}): Promise<string[]> {
  const screen = new XtermScreen(options);
  try {
    for (const chunk of typeof data === 'string' ? [data] : data) await screen.write(chunk);
    return screen.lines();
  } finally {
    screen.dispose();
  }
}
