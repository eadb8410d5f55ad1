/**
 * An stdout for Ink that anchors every write at the top-left corner of the alternate screen.
 *
 * Why: Ink 6.8's incremental renderer (log-update.js, createIncremental) moves the cursor up
 * `previousVisible - 1` lines before redrawing, but the frame it wrote before ended with a newline, so
 * the cursor sits one line lower than it assumes: every frame lands one row further down, the screen
 * scrolls, and unchanged lines (which incremental rendering skips) are left behind as stale copies.
 * Measured in tmux at 100x30 (test/e2e/dashboard.test.ts). In the alternate screen the dashboard always
 * starts at row 1, so moving the cursor home before each write makes Ink's relative moves land right
 * (cursor-up stops at the top row) while keeping incremental rendering's savings.
 */
import { EventEmitter } from 'node:events';

/**
 * Cursor position 1;1 (CUP with no parameters).
 *
 * @example stdout.write(CURSOR_HOME + frame);
 */
export const CURSOR_HOME = '\x1b[H';

/**
 * See the module comment. Forwards size, TTY-ness and 'resize' from the real stream.
 *
 * @example render(<App />, { stdout: new AnchoredOutput(process.stdout) as unknown as NodeJS.WriteStream });
 */
export class AnchoredOutput extends EventEmitter {
  private readonly forwardResize = (): void => {
    this.emit('resize');
  };

  constructor(private readonly target: NodeJS.WriteStream) {
    super();
    target.on('resize', this.forwardResize);
  }

  get columns(): number {
    return this.target.columns;
  }

  get rows(): number {
    return this.target.rows;
  }

  get isTTY(): boolean {
    return this.target.isTTY;
  }

  get writable(): boolean {
    return this.target.writable;
  }

  get writableEnded(): boolean {
    return this.target.writableEnded;
  }

  get writableLength(): number {
    return this.target.writableLength;
  }

  get destroyed(): boolean {
    return this.target.destroyed;
  }

  /** Bytes written through this stream, for the benchmark. */
  bytesWritten = 0;

  private closed = false;

  /**
   * Drops every later write. Called just before the terminal is restored: whatever Ink still writes
   * after that (its last frame on unmount, from a SIGTERM's exit handler) would land on the shell's
   * normal screen as a fragment of the dashboard.
   *
   * @example installRestore(stdout, stdin, { beforeRestore: () => inkOut.close() });
   */
  close(): void {
    this.closed = true;
  }

  write(chunk: string | Uint8Array, encodingOrCallback?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean {
    if (this.closed) {
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (done) queueMicrotask(() => done());
      return true;
    }
    const data = CURSOR_HOME + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    this.bytesWritten += Buffer.byteLength(data);
    if (typeof encodingOrCallback === 'function') return this.target.write(data, encodingOrCallback);
    return this.target.write(data, encodingOrCallback ?? 'utf8', callback);
  }

  /** Stops forwarding 'resize'. */
  dispose(): void {
    this.target.off('resize', this.forwardResize);
  }
}
