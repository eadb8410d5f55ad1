import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  applyNoColor,
  enterAltScreen,
  installRestore,
  leaveAltScreen,
  onResize,
  terminalSize,
  type ProcessLike,
} from '../../src/ui/terminal.js';
import { XtermScreen } from '../e2e/harness/xterm.js';

/** A TTY-like stdout that records what was written and can emit 'resize'. */
function fakeStdout(size: { columns?: number; rows?: number } = { columns: 100, rows: 30 }) {
  const stream = Object.assign(new EventEmitter(), {
    ...size,
    isTTY: true,
    written: '',
    write(chunk: string) {
      stream.written += chunk;
      return true;
    },
  });
  return stream;
}

function fakeStdin() {
  return {
    isTTY: true,
    isRaw: true,
    setRawMode(mode: boolean) {
      this.isRaw = mode;
    },
  };
}

/** A process whose signals and exits are events, so tests can "kill" it and see what follows. */
function fakeProcess() {
  const proc = Object.assign(new EventEmitter(), { pid: 4242, kill: vi.fn() });
  return proc as typeof proc & ProcessLike;
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('the dashboard draws on the alternate screen', () => {
  it('switches to the alternate screen and hides the cursor on entry', () => {
    const stdout = fakeStdout();
    enterAltScreen(stdout);
    expect(stdout.written).toBe('\x1b[?1049h\x1b[?25l');
  });

  it('shows the cursor and leaves the alternate screen on exit', () => {
    const stdout = fakeStdout();
    leaveAltScreen(stdout);
    expect(stdout.written).toBe('\x1b[?25h\x1b[?1049l');
  });

  it('gives the shell its screen back as it was, seen through a terminal emulator', async () => {
    const screen = new XtermScreen({ cols: 20, rows: 4 });
    const stdout = { write: (chunk: string) => void screen.write(chunk) };
    await screen.write('$ lambda-tui x.ts');
    enterAltScreen(stdout);
    await screen.write('\x1b[2J\x1b[Hdashboard');
    expect(screen.screenKind()).toBe('alternate');
    leaveAltScreen(stdout);
    await screen.write('');
    expect(screen.screenKind()).toBe('normal');
    expect(screen.lines()[0]).toBe('$ lambda-tui x.ts');
    screen.dispose();
  });
});

describe('the terminal is restored exactly once, however the process ends', () => {
  for (const event of ['exit', 'uncaughtExceptionMonitor'] as const) {
    it(`restores on '${event}'`, () => {
      const [stdout, stdin, proc] = [fakeStdout(), fakeStdin(), fakeProcess()];
      enterAltScreen(stdout);
      installRestore(stdout, stdin, { process: proc });
      proc.emit(event, new Error('boom'));
      expect(stdout.written.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
      expect(stdin.isRaw).toBe(false);
    });
  }

  for (const [signal] of [['SIGINT'], ['SIGTERM'], ['SIGHUP']] as const) {
    it(`restores on ${signal} and still dies of it`, () => {
      const [stdout, stdin, proc] = [fakeStdout(), fakeStdin(), fakeProcess()];
      enterAltScreen(stdout);
      installRestore(stdout, stdin, { process: proc });
      proc.emit(signal);
      expect(count(stdout.written, '\x1b[?1049l')).toBe(1);
      expect(stdin.isRaw).toBe(false);
      expect(proc.kill).toHaveBeenCalledWith(4242, signal);
    });
  }

  it('on SIGTERM, silences the renderer before the restore: nothing of the dashboard lands on the shell screen', async () => {
    const { AnchoredOutput } = await import('../../src/ui/anchored-output.js');
    const [stdout, stdin, proc] = [fakeStdout(), fakeStdin(), fakeProcess()];
    const inkOut = new AnchoredOutput(stdout as unknown as NodeJS.WriteStream);
    enterAltScreen(stdout);
    installRestore(stdout, stdin, { process: proc, beforeRestore: () => inkOut.close() });
    inkOut.write('frame on the alternate screen');
    // Ink's own exit handler runs after ours and writes its last frame: it must go nowhere.
    proc.on('SIGTERM', () => inkOut.write('Kinesis poison record'));
    proc.emit('SIGTERM');
    const afterRestore = stdout.written.slice(stdout.written.lastIndexOf('\x1b[?1049l'));
    expect(stdout.written).toContain('frame on the alternate screen');
    expect(afterRestore).not.toContain('Kinesis');
    const done = vi.fn();
    expect(inkOut.write('late', done)).toBe(true);
    await Promise.resolve();
    expect(done).toHaveBeenCalled();
  });

  it('writes the restore once when a signal is followed by exit', () => {
    const [stdout, proc] = [fakeStdout(), fakeProcess()];
    enterAltScreen(stdout);
    const dispose = installRestore(stdout, fakeStdin(), { process: proc });
    proc.emit('SIGTERM');
    proc.emit('exit', 143);
    dispose();
    expect(count(stdout.written, '\x1b[?1049l')).toBe(1);
    expect(count(stdout.written, '\x1b[?25h')).toBe(1);
  });

  it('leaves the signal to another listener that handles it (such as a graceful shutdown)', () => {
    const [stdout, proc] = [fakeStdout(), fakeProcess()];
    const shutdown = vi.fn();
    proc.on('SIGINT', shutdown);
    installRestore(stdout, fakeStdin(), { process: proc });
    proc.emit('SIGINT');
    expect(shutdown).toHaveBeenCalled();
    expect(proc.kill).not.toHaveBeenCalled();
  });

  it('restores before other signal listeners run, so a re-raise by Ink\'s signal-exit finds it done', () => {
    const [stdout, proc] = [fakeStdout(), fakeProcess()];
    enterAltScreen(stdout);
    let writtenWhenOthersRan = '';
    proc.on('SIGTERM', () => (writtenWhenOthersRan = stdout.written));
    installRestore(stdout, fakeStdin(), { process: proc });
    proc.emit('SIGTERM');
    expect(writtenWhenOthersRan.endsWith('\x1b[?1049l')).toBe(true);
  });

  it('restores on dispose and unhooks, so a later exit writes nothing more', () => {
    const [stdout, proc] = [fakeStdout(), fakeProcess()];
    enterAltScreen(stdout);
    const dispose = installRestore(stdout, fakeStdin(), { process: proc });
    dispose();
    const afterDispose = stdout.written;
    proc.emit('exit', 0);
    expect(stdout.written).toBe(afterDispose);
    for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtExceptionMonitor']) {
      expect(proc.listenerCount(event)).toBe(0);
    }
  });

  it('does not leave an alternate screen it never entered (which would jump the cursor)', () => {
    const [stdout, proc] = [fakeStdout(), fakeProcess()];
    installRestore(stdout, fakeStdin(), { process: proc })();
    expect(stdout.written).toBe('\x1b[?25h');
  });

  it('survives a terminal that is already gone', () => {
    const proc = fakeProcess();
    const stdout = {
      write() {
        throw new Error('EIO');
      },
    };
    enterAltScreen(stdout);
    const dispose = installRestore(stdout, fakeStdin(), { process: proc });
    expect(() => proc.emit('SIGHUP')).not.toThrow();
    dispose();
  });
});

describe('NO_COLOR turns colour off for Ink', () => {
  it('sets FORCE_COLOR=0 when NO_COLOR is set', () => {
    const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
    expect(applyNoColor(env)).toBe(true);
    expect(env.FORCE_COLOR).toBe('0');
  });

  it('wins over an inherited FORCE_COLOR', () => {
    const env: NodeJS.ProcessEnv = { NO_COLOR: 'yes', FORCE_COLOR: '3' };
    applyNoColor(env);
    expect(env.FORCE_COLOR).toBe('0');
  });

  it('leaves colour alone when NO_COLOR is empty or unset', () => {
    for (const env of [{ NO_COLOR: '' }, {}] as NodeJS.ProcessEnv[]) {
      expect(applyNoColor(env)).toBe(false);
      expect(env.FORCE_COLOR).toBeUndefined();
    }
  });
});

describe('the dashboard follows the window size', () => {
  it('uses the size the terminal reports', () => {
    expect(terminalSize(fakeStdout({ columns: 120, rows: 40 }), {})).toEqual({ columns: 120, rows: 40 });
  });

  it('falls back to COLUMNS/LINES, then to 80x24, when the output is not a terminal', () => {
    expect(terminalSize({}, { COLUMNS: '132', LINES: '43' })).toEqual({ columns: 132, rows: 43 });
    expect(terminalSize({ columns: 0, rows: 0 }, {})).toEqual({ columns: 80, rows: 24 });
    expect(terminalSize({}, { COLUMNS: 'wide' }, { columns: 100, rows: 30 })).toEqual({ columns: 100, rows: 30 });
  });

  it('hears about a resize with the new size, until it unsubscribes', () => {
    const stdout = fakeStdout({ columns: 100, rows: 30 });
    const sizes: unknown[] = [];
    const off = onResize(stdout, (size) => sizes.push(size));
    stdout.columns = 72;
    stdout.rows = 20;
    stdout.emit('resize');
    off();
    stdout.emit('resize');
    expect(sizes).toEqual([{ columns: 72, rows: 20 }]);
    expect(stdout.listenerCount('resize')).toBe(0);
  });

  it('never hears a resize from a stream without events, and does not fail', () => {
    const off = onResize({ write: () => true }, () => {
      throw new Error('unexpected');
    });
    expect(off).not.toThrow();
  });
});
