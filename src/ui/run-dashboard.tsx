/**
 * The live dashboard in a terminal (shared/DESIGN.md, "Terminal facts that shape the dashboard"): the
 * alternate screen, restored on every way out (q, Ctrl-C, SIGTERM, SIGHUP, a crash); Ink with
 * incremental rendering and ~15 fps; a repaint per simulation step, not a free-running one; the layout
 * follows the window's 'resize' event and is never taller than rows-1.
 */
import { render } from 'ink';
import type { RunOptions } from '../cli.js';
import type { Model } from '../scenario/model.js';
import { AnchoredOutput } from './anchored-output.js';
import { App } from './App.js';
import { Controller } from './controller.js';
import { holdSplitEscapes } from './key-input.js';
import { enterAltScreen, installRestore, onResize, terminalSize } from './terminal.js';

/**
 * How often the wall clock drives the simulation: one frame at Ink's ~15 fps cap.
 *
 * @example setInterval(tick, FRAME_MS)
 */
export const FRAME_MS = 66;

/**
 * Options of runDashboard beyond the CLI's (for tests and benchmarks).
 *
 * @example runDashboard(model, options, { incrementalRendering: false })
 */
export interface DashboardOptions {
  /** Ink's incremental rendering (default on: it cut bytes per second by more than half). */
  incrementalRendering?: boolean;
  maxFps?: number;
}

/**
 * Runs the dashboard until the user quits; resolves to the exit status (0).
 *
 * @example process.exitCode = await runDashboard(model, options);
 */
export async function runDashboard(model: Model, options: RunOptions, extra: DashboardOptions = {}): Promise<number> {
  const stdout = process.stdout;
  const stdin = process.stdin;
  const controller = new Controller(model, { speed: options.speed ?? 10 });
  enterAltScreen(stdout);
  const restore = installRestore(stdout, stdin);
  let size = terminalSize(stdout);
  let quit!: () => void;
  const done = new Promise<void>((resolve) => {
    quit = resolve;
  });

  const incrementalRendering = extra.incrementalRendering ?? process.env.LAMBDA_TUI_INCREMENTAL !== '0';
  const inkOut = new AnchoredOutput(stdout);
  const app = render(<App controller={controller} size={size} onQuit={() => quit()} />, {
    stdout: inkOut as unknown as NodeJS.WriteStream,
    // Over SSH an arrow key's bytes can arrive in two reads; Ink alone would take the first as a lone Esc.
    stdin: holdSplitEscapes(stdin) as unknown as NodeJS.ReadStream,
    // Ctrl-C is a key like q: the App quits through the same path, so the terminal is always restored.
    exitOnCtrlC: false,
    patchConsole: true,
    incrementalRendering,
    maxFps: extra.maxFps ?? 15,
  });
  const offResize = onResize(stdout, (next) => {
    size = next;
    // A new size is a new layout: forget the old frame (so Ink writes the next one whole) and clear
    // the screen, whose old lines would otherwise stay where the new, smaller frame does not reach.
    app.clear();
    stdout.write('\x1b[2J');
    app.rerender(<App controller={controller} size={size} onQuit={() => quit()} />);
  });

  let last = performance.now();
  let busy = false;
  const timer = setInterval(() => {
    // A slow step (many ticks, a real handler) skips frames; the wall time it took is carried over.
    if (busy) return;
    const now = performance.now();
    const wallMs = now - last;
    last = now;
    busy = true;
    controller.advanceWall(wallMs).finally(() => {
      busy = false;
    });
  }, FRAME_MS);

  try {
    await done;
  } finally {
    clearInterval(timer);
    offResize();
    app.unmount();
    inkOut.dispose();
    await app.waitUntilExit().catch(() => undefined);
    restore();
  }
  return 0;
}
