/**
 * Terminal plumbing the dashboard needs and Ink 6 does not provide: the alternate screen, a restore that
 * survives every way the process can end, NO_COLOR, and the window size with its 'resize' event.
 *
 * This module must not import ink, chalk or anything that imports them: `env-setup.ts` imports it to
 * change FORCE_COLOR before the colour library reads the environment.
 */

/**
 * Switches to the alternate screen (xterm private mode 1049), so the dashboard does not scroll the shell away.
 *
 * @example stdout.write(ENTER_ALT_SCREEN);
 */
export const ENTER_ALT_SCREEN = '\x1b[?1049h';
/**
 * Returns to the normal screen and the cursor position saved by ENTER_ALT_SCREEN.
 *
 * @example stdout.write(LEAVE_ALT_SCREEN);
 */
export const LEAVE_ALT_SCREEN = '\x1b[?1049l';
/**
 * DEC private mode 25 off: the dashboard draws its own markers, a blinking cursor is noise.
 *
 * @example stdout.write(HIDE_CURSOR);
 */
export const HIDE_CURSOR = '\x1b[?25l';
/**
 * DEC private mode 25 on.
 *
 * @example stdout.write(SHOW_CURSOR);
 */
export const SHOW_CURSOR = '\x1b[?25h';

/**
 * Mouse reporting on: button presses and releases, the wheel included (xterm mode 1000), reported in
 * the SGR form (mode 1006), which has no limit on the column and cannot be mistaken for a key.
 *
 * @example stdout.write(ENABLE_MOUSE);
 */
export const ENABLE_MOUSE = '\x1b[?1000h\x1b[?1006h';
/**
 * Mouse reporting off again, in the reverse order.
 *
 * @example stdout.write(DISABLE_MOUSE);
 */
export const DISABLE_MOUSE = '\x1b[?1006l\x1b[?1000l';

/**
 * The part of a writable terminal stream these helpers use; `process.stdout` fits, and so does a test fake.
 *
 * @example const fake: TerminalOutput = { write: (chunk) => void chunks.push(chunk), columns: 100, rows: 30 };
 */
export interface TerminalOutput {
  write(chunk: string): unknown;
  columns?: number;
  rows?: number;
  isTTY?: boolean;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

/**
 * The part of a readable terminal stream the restore uses; `process.stdin` fits.
 *
 * @example installRestore(process.stdout, process.stdin satisfies TerminalInput);
 */
export interface TerminalInput {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/**
 * The part of `process` that installRestore hooks into. Injectable so tests can raise signals and
 * exceptions without ending the test runner.
 *
 * @example installRestore(fakeStdout, fakeStdin, { process: Object.assign(new EventEmitter(), { pid: 1, kill: vi.fn() }) });
 */
export interface ProcessLike {
  on(event: string, listener: (...args: any[]) => void): unknown;
  prependListener(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  listenerCount(event: string): number;
  kill(pid: number, signal: NodeJS.Signals): unknown;
  pid: number;
}

/**
 * Window size in character cells.
 *
 * @example const { columns, rows }: TerminalSize = terminalSize(process.stdout);
 */
export interface TerminalSize {
  columns: number;
  rows: number;
}

/**
 * What terminalSize answers when neither the stream nor COLUMNS/LINES know: the classic VT100 size.
 *
 * @example terminalSize(pipe, {}) // FALLBACK_SIZE, { columns: 80, rows: 24 }
 */
export const FALLBACK_SIZE: TerminalSize = Object.freeze({ columns: 80, rows: 24 });

/**
 * The signals after which the terminal must be restored; SIGHUP arrives when an SSH session drops.
 *
 * @example RESTORE_SIGNALS.includes('SIGHUP') // true
 */
export const RESTORE_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

// Streams currently showing the alternate screen. Tracked so that a restore on a process that never
// entered it does not send 1049l, which would also jump the cursor to a stale saved position.
const inAltScreen = new WeakSet<object>();
// Streams whose terminal reports the mouse: a restore turns it off (else the shell gets the reports as text).
const mouseOn = new WeakSet<object>();

/**
 * Writes one escape sequence, swallowing the error a closed terminal raises (SIGHUP, a dropped SSH
 * session): there is nobody left to restore for, and the restore must not throw over the real error.
 */
function writeQuietly(stdout: TerminalOutput, data: string): void {
  try {
    stdout.write(data);
  } catch {
    // The terminal is gone; nothing to restore.
  }
}

/**
 * Switches `stdout` to the alternate screen and hides the cursor.
 *
 * @example
 * enterAltScreen(process.stdout);
 * const restoreDispose = installRestore(process.stdout, process.stdin);
 */
export function enterAltScreen(stdout: TerminalOutput): void {
  inAltScreen.add(stdout);
  writeQuietly(stdout, ENTER_ALT_SCREEN + HIDE_CURSOR);
}

/**
 * Shows the cursor and leaves the alternate screen, so the shell's scrollback reappears as it was.
 *
 * @example
 * leaveAltScreen(process.stdout); // '\x1b[?25h\x1b[?1049l'
 */
export function leaveAltScreen(stdout: TerminalOutput): void {
  inAltScreen.delete(stdout);
  writeQuietly(stdout, SHOW_CURSOR + LEAVE_ALT_SCREEN);
}

/**
 * Has the terminal report mouse clicks and the wheel (ENABLE_MOUSE), when both ends are a terminal:
 * a pipe or a file never gets the sequence. Returns whether it was turned on. restoreTerminal (so
 * installRestore, on every way out) turns it off again.
 *
 * @example
 * enableMouse(process.stdout, process.stdin); // true in a terminal
 */
export function enableMouse(stdout: TerminalOutput, stdin?: TerminalInput): boolean {
  if (!stdout.isTTY || !stdin?.isTTY) return false;
  mouseOn.add(stdout);
  writeQuietly(stdout, ENABLE_MOUSE);
  return true;
}

/**
 * Turns mouse reporting off, if enableMouse turned it on for this stream.
 *
 * @example disableMouse(process.stdout);
 */
export function disableMouse(stdout: TerminalOutput): void {
  if (!mouseOn.delete(stdout)) return;
  writeQuietly(stdout, DISABLE_MOUSE);
}

/**
 * Puts the terminal back the way the shell expects it: mouse reporting off (if this process turned it
 * on), alternate screen left (if this process entered it), cursor shown, raw mode off. Safe to call more than once, but installRestore already guarantees
 * it runs once.
 *
 * @example
 * restoreTerminal(process.stdout, process.stdin);
 */
export function restoreTerminal(stdout: TerminalOutput, stdin?: TerminalInput): void {
  if (stdin?.isTTY && stdin.isRaw && typeof stdin.setRawMode === 'function') {
    try {
      stdin.setRawMode(false);
    } catch {
      // A closed TTY cannot be in raw mode any more.
    }
  }
  disableMouse(stdout);
  if (inAltScreen.has(stdout)) leaveAltScreen(stdout);
  else writeQuietly(stdout, SHOW_CURSOR);
}

/**
 * Options for installRestore.
 *
 * @example installRestore(stdout, stdin, { process: fakeProcess });
 */
export interface InstallRestoreOptions {
  /** The process to hook; defaults to the real one. */
  process?: ProcessLike;
  /** Runs right before the restore, once: e.g. stop a renderer from writing to the terminal after it. */
  beforeRestore?: () => void;
}

/**
 * Guarantees the terminal is restored exactly once, however the process ends: normal exit ('exit'),
 * Ctrl-C delivered as SIGINT, SIGTERM, SIGHUP, or an uncaught exception. Returns a dispose function
 * for the orderly path (the dashboard quit): it restores now, if that has not happened yet, and unhooks
 * everything.
 *
 * After a signal the listeners are removed and, when nobody else listens for that signal, the signal
 * is raised again, so the process still dies of it and the parent shell sees 130/143/129 as usual.
 * Exceptions are observed through 'uncaughtExceptionMonitor', which does not change Node's default
 * crash, and runs before Node prints the stack, so the stack lands on the normal screen, readable.
 *
 * @example
 * enterAltScreen(process.stdout);
 * const dispose = installRestore(process.stdout, process.stdin);
 * await app.waitUntilExit();
 * dispose();
 */
export function installRestore(
  stdout: TerminalOutput,
  stdin?: TerminalInput,
  options: InstallRestoreOptions = {},
): () => void {
  const proc: ProcessLike = options.process ?? process;
  let restored = false;
  let hooked = true;

  const restoreOnce = (): void => {
    if (restored) return;
    restored = true;
    try {
      options.beforeRestore?.();
    } catch {
      // The restore matters more than whatever the hook wanted to stop.
    }
    restoreTerminal(stdout, stdin);
  };

  const unhook = (): void => {
    if (!hooked) return;
    hooked = false;
    proc.off('exit', restoreOnce);
    proc.off('uncaughtExceptionMonitor', restoreOnce);
    for (const [signal, listener] of signalListeners) proc.off(signal, listener);
  };

  const signalListeners = RESTORE_SIGNALS.map((signal) => {
    const listener = (): void => {
      restoreOnce();
      unhook();
      // Listening for a signal replaces Node's default action (exit). Re-raising it once we are gone
      // restores that action, unless another part of the program has taken responsibility for it.
      if (proc.listenerCount(signal) === 0) proc.kill(proc.pid, signal);
    };
    return [signal, listener] as const;
  });

  // 'exit' listeners run in order: appending lets Ink (which also hooks exit) finish its last write on
  // the alternate screen first. Signal and exception listeners are prepended instead: ours must run
  // before signal-exit's (used by Ink), which re-raises the signal only when it is the last listener.
  proc.on('exit', restoreOnce);
  proc.prependListener('uncaughtExceptionMonitor', restoreOnce);
  for (const [signal, listener] of signalListeners) proc.prependListener(signal, listener);

  return () => {
    restoreOnce();
    unhook();
  };
}

/**
 * Honours NO_COLOR (https://no-color.org) for Ink: its colour library ignores NO_COLOR but obeys
 * FORCE_COLOR=0, so a non-empty NO_COLOR becomes FORCE_COLOR=0 (NO_COLOR wins over an inherited
 * FORCE_COLOR, since it is the user's explicit request). Must run before ink or chalk is imported,
 * which is what `env-setup.ts` is for. Returns whether colour is now off.
 *
 * @example
 * applyNoColor(process.env); // with NO_COLOR=1: process.env.FORCE_COLOR === '0', returns true
 */
export function applyNoColor(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR === undefined || env.NO_COLOR === '') return false;
  env.FORCE_COLOR = '0';
  return true;
}

function positiveInteger(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * The window size of `stdout`. A pipe or a fake stream has no size (or reports 0 inside some CI
 * containers), so fall back to COLUMNS/LINES, then to `fallback` (80x24).
 *
 * @example
 * const { columns, rows } = terminalSize(process.stdout);
 */
export function terminalSize(
  stdout: Pick<TerminalOutput, 'columns' | 'rows'>,
  env: NodeJS.ProcessEnv = process.env,
  fallback: TerminalSize = FALLBACK_SIZE,
): TerminalSize {
  return {
    columns: positiveInteger(stdout.columns) ?? positiveInteger(env.COLUMNS) ?? fallback.columns,
    rows: positiveInteger(stdout.rows) ?? positiveInteger(env.LINES) ?? fallback.rows,
  };
}

/**
 * Calls `cb` with the new size whenever the terminal is resized (Node turns SIGWINCH into the stream's
 * 'resize' event; Ink 6 has no hook for it). Returns the unsubscribe. A stream without events (a pipe)
 * never resizes, so subscribing to it is a no-op.
 *
 * @example
 * const off = onResize(process.stdout, ({ columns, rows }) => setSize({ columns, rows }));
 * // later
 * off();
 */
export function onResize(stdout: TerminalOutput, cb: (size: TerminalSize) => void): () => void {
  if (typeof stdout.on !== 'function') return () => {};
  const listener = (): void => cb(terminalSize(stdout));
  stdout.on('resize', listener);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    stdout.off?.('resize', listener);
  };
}
