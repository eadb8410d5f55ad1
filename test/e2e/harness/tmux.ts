/**
 * Person-like end-to-end tests: run a command in a real terminal (tmux), wait for what a person would
 * wait for, press keys, read the screen, resize the window.
 *
 * Every session gets its own tmux server on a private socket (`-L`), so parallel tests and a
 * developer's own tmux never see each other, and `-f /dev/null`, so a personal ~/.tmux.conf cannot
 * change what a test sees.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { keyToInput, type KeyName } from '../../../src/ui/keys-script.js';

const run = promisify(execFile);

/**
 * How to start a session.
 *
 * @example await startTmux({ command: ['node', 'bin/lambda-tui.js', 'scenarios/sqs.ts'], cols: 100, rows: 30, env: { NO_COLOR: '1' } });
 */
export interface TmuxOptions {
  /** argv (run directly, no shell) or a shell command line (run through `sh -c`). */
  command: readonly string[] | string;
  cols?: number;
  rows?: number;
  cwd?: string;
  /**
   * Extra environment for the command; `undefined` removes a variable. CI is always removed (with CI
   * set, Ink prints only the last frame) and FORCE_COLOR defaults to '1' (a pane is a TTY, but a test
   * should not depend on colour detection).
   */
  env?: Record<string, string | undefined>;
}

/**
 * How long waitFor and waitForExit poll by default.
 *
 * @example await tmux.waitFor('ready', 3 * DEFAULT_WAIT_MS);
 */
export const DEFAULT_WAIT_MS = 10_000;
const POLL_MS = 50;

const live = new Set<TmuxSession>();

/**
 * A command running in its own tmux server. Attach by hand while debugging: `tmux -L <socket> attach`.
 *
 * @example
 * const tmux = await TmuxSession.start({ command: 'npx lambda-tui scenarios/sqs.ts' });
 * await tmux.waitFor('q quit');
 */
export class TmuxSession {
  // tmux leaves its socket file behind when the server is killed; kill() removes it.
  private socketPath = '';
  private panePid = 0;

  private constructor(
    /** The private socket name (`tmux -L <socket>`), to attach by hand while debugging a test. */
    readonly socket: string,
    readonly target: string,
    private readonly statusDir: string,
  ) {}

  /**
   * Starts `options.command` in a detached session of `cols` x `rows` (default 100x30). The pane stays
   * after the command exits, so its last screen and exit status can still be read.
   *
   * @example
   * const tmux = await TmuxSession.start({ command: ['node', 'bin/lambda-tui.js', 'scenarios/sqs.ts'] });
   * await tmux.waitFor('running');
   * await tmux.press('space');
   * await tmux.kill();
   */
  static async start(options: TmuxOptions): Promise<TmuxSession> {
    const socket = `lt-${process.pid}-${randomBytes(4).toString('hex')}`;
    const statusDir = await mkdtemp(join(tmpdir(), 'lambda-tui-e2e-'));
    const session = new TmuxSession(socket, 'main', statusDir);
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '1', ...options.env };
    delete env.CI;
    // A tmux client started from inside another tmux refuses to nest unless TMUX is unset.
    delete env.TMUX;
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
    const command = typeof options.command === 'string' ? ['sh', '-c', options.command] : [...options.command];
    // Keep the pane alive after the command ends, so its last screen stays readable exactly as a person
    // would see it (tmux's remain-on-exit scrolls the screen up a line to print "Pane is dead"), and
    // keep its exit status in a file. The trap is a handler, not an ignore, so the command still gets
    // default signal handling while Ctrl-C cannot end the wrapper.
    const wrapper = 'status=$1; shift; trap : INT TERM HUP; "$@"; echo $? > "$status"; exec sleep 2147483647';
    // The server is started by this call, with `env` as its environment, which the pane inherits.
    await run(
      'tmux',
      [
        '-L', socket, '-f', '/dev/null',
        'new-session', '-d', '-s', session.target, '-x', String(options.cols ?? 100), '-y', String(options.rows ?? 30),
        ...(options.cwd ? ['-c', options.cwd] : []),
        '--', 'sh', '-c', wrapper, 'lambda-tui-e2e', join(statusDir, 'status'), ...command,
      ],
      { env },
    );
    live.add(session);
    const [socketPath, panePid] = (await session.tmux('display-message', '-p', '-t', session.target, '#{socket_path} #{pane_pid}')).trim().split(' ');
    session.socketPath = socketPath;
    session.panePid = Number(panePid);
    return session;
  }

  /** Runs a tmux command against this session's server. */
  async tmux(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-L', this.socket, ...args]);
    return stdout;
  }

  /**
   * The visible screen as text, one line per row, trailing blank rows dropped. With `escapes`, colours
   * and attributes are kept as SGR sequences.
   *
   * @example
   * expect(await tmux.capture()).toContain('q quit');
   */
  async capture(options: { escapes?: boolean } = {}): Promise<string> {
    const screen = await this.tmux('capture-pane', '-p', ...(options.escapes ? ['-e'] : []), '-t', this.target);
    return screen.replace(/\n+$/, '');
  }

  /**
   * Polls the screen until it shows `pattern`, and returns that screen. On timeout, throws with the
   * last screen, which is usually all a failing test needs to explain itself.
   *
   * @example
   * await tmux.waitFor(/t 00:0[1-9]/, 5_000);
   */
  async waitFor(pattern: string | RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.capture();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() >= deadline) {
        throw new Error(`tmux: ${String(pattern)} did not appear within ${timeoutMs}ms; the screen was:\n${screen}`);
      }
      await sleep(POLL_MS);
    }
  }

  /**
   * Sends keys by tmux name (`Enter`, `Space`, `Up`, `C-c`, or plain text that tmux splits into keys).
   *
   * @example
   * await tmux.sendKeys('tput cols', 'Enter');
   */
  async sendKeys(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.target, ...keys);
  }

  /** Sends bytes exactly as given (as hex, so tmux interprets nothing), e.g. an escape sequence. */
  async sendRaw(bytes: string): Promise<void> {
    const hex = [...Buffer.from(bytes, 'utf8')].map((byte) => byte.toString(16).padStart(2, '0'));
    await this.tmux('send-keys', '-t', this.target, '-H', ...hex);
  }

  /**
   * Presses a key named as in a `--keys` script, with the bytes the dashboard would get from a real
   * terminal.
   *
   * @example
   * await tmux.press('ctrl-c');
   */
  async press(key: KeyName): Promise<void> {
    await this.sendRaw(keyToInput(key));
  }

  /**
   * Resizes the window; the command gets SIGWINCH, as when a person drags the terminal's corner.
   *
   * @example
   * await tmux.resize(80, 24);
   */
  async resize(cols: number, rows: number): Promise<void> {
    await this.tmux('resize-window', '-t', this.target, '-x', String(cols), '-y', String(rows));
  }

  /** The exit status once the command has ended (128 + n when signal n ended it), or undefined while it runs. */
  async exitStatus(): Promise<number | undefined> {
    try {
      const text = await readFile(join(this.statusDir, 'status'), 'utf8');
      // The file is created before its content is written: an empty read means "about to end".
      return text.trim() === '' ? undefined : Number(text.trim());
    } catch {
      return undefined;
    }
  }

  /**
   * Waits for the command to exit and returns its status.
   *
   * @example
   * await tmux.press('q');
   * expect(await tmux.waitForExit()).toBe(0);
   */
  async waitForExit(timeoutMs = DEFAULT_WAIT_MS): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.exitStatus();
      if (status !== undefined) return status;
      if (Date.now() >= deadline) {
        throw new Error(`tmux: command still running after ${timeoutMs}ms; the screen was:\n${await this.capture()}`);
      }
      await sleep(POLL_MS);
    }
  }

  /**
   * Stops the server and everything in it. Safe to call twice. The pane's process group is killed first:
   * tmux's kill-server only hangs up on it, and the wrapper, which must outlive Ctrl-C, traps that and
   * then sleeps for good, an orphan once the server is gone (with the dashboard, if it was still running).
   */
  async kill(): Promise<void> {
    if (!live.delete(this)) return;
    if (this.panePid > 0) {
      try {
        process.kill(-this.panePid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
    try {
      await this.tmux('kill-server');
    } catch {
      // The server is already gone; nothing to stop.
    }
    if (this.socketPath) await rm(this.socketPath, { force: true });
    await rm(this.statusDir, { recursive: true, force: true });
  }
}

/**
 * Starts a command in a fresh tmux server; shorthand for TmuxSession.start.
 *
 * @example
 * const tmux = await startTmux({ command: "bash -c 'printf hello; sleep 5'", cols: 100, rows: 30 });
 * await tmux.waitFor('hello');
 */
export function startTmux(options: TmuxOptions): Promise<TmuxSession> {
  return TmuxSession.start(options);
}

/**
 * Kills every session this process started and has not killed yet: for an afterEach/afterAll, so a
 * failing test does not leave servers behind.
 *
 * @example
 * afterEach(killAllTmux);
 */
export async function killAllTmux(): Promise<void> {
  await Promise.all([...live].map((session) => session.kill()));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether Debian's asciinema is installed (.ci/run installs it); tests that play a recording skip without it. */
export const hasAsciinema = ((): boolean => {
  try {
    execFileSync('asciinema', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
