/**
 * The live dashboard in a terminal (docs/architecture.md, "Terminal facts that shape the dashboard"): the
 * alternate screen, restored on every way out (q, Ctrl-C, SIGTERM, SIGHUP, a crash); Ink with
 * incremental rendering and 10 fps; a repaint per simulation step, not a free-running one; the layout
 * follows the window's 'resize' event and is never taller than rows-1.
 */
import { render, useStdout } from 'ink';
import { type ReactNode, useEffect } from 'react';
import type { RunOptions } from '../run-options.js';
import type { Model } from '../scenario/model.js';
import { AnchoredOutput } from './anchored-output.js';
import { EXIT } from '../exit-status.js';
import { heapWatch } from '../memory.js';
import { App } from './App.js';
import { Controller } from './controller.js';
import { holdSplitEscapes } from './key-input.js';
import { enableMouse, enterAltScreen, installRestore, onResize, terminalSize } from './terminal.js';
import { inkReady } from './ink-ready.js';

/**
 * How often the wall clock drives the simulation, and Ink's frame cap (10 fps, as recordings have). A
 * frame costs about as much as 15 ticks of a stream scenario (React, then Ink's output), so 10 fps
 * rather than 15 leaves a third less of a core to the drawing at any speed (docs/architecture.md, "The
 * live dashboard's CPU").
 *
 * @example setTimeout(advance, FRAME_MS - spent)
 */
export const FRAME_MS = 100;

/** Ink's frame cap: one frame per FRAME_MS. */
const MAX_FPS = 1000 / FRAME_MS;

/**
 * Wall time one live advance may spend running ticks: about half a frame, so the rest of the frame is
 * left for rendering, keys and signals.
 *
 * @example controller.advanceWall(wallMs, { ms: ADVANCE_BUDGET_MS })
 */
export const ADVANCE_BUDGET_MS = 50;

/** The least wait between two advances, so that input always gets a turn of the event loop. */
const MIN_GAP_MS = 10;

/** Erase the whole screen (ED 2). */
const CLEAR_SCREEN = '\x1b[2J';

/** Hands Ink's own stdout write (useStdout().write) to the shell, which has no other way to reach it. */
function WithInkWrite({ onWrite, children }: { onWrite: (write: (data: string) => void) => void; children: ReactNode }) {
  const { write } = useStdout();
  useEffect(() => {
    onWrite(write);
  }, [write, onWrite]);
  return <>{children}</>;
}

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
 * Runs the dashboard until the user quits; resolves to the exit status (0 for q, 130 for Ctrl-C).
 *
 * @example process.exitCode = await runDashboard(model, options);
 */
export async function runDashboard(model: Model, options: RunOptions, extra: DashboardOptions = {}): Promise<number> {
  const stdout = process.stdout;
  const stdin = process.stdin;
  // The live run pauses once, exactly at the scenario's duration, where its story is told; space runs on.
  const controller = new Controller(model, { speed: options.speed ?? 10, simulation: options.simulation, pauseAtMs: model.durationMs, prices: options.priceTable, freeTier: options.freeTier });
  const inkOut = new AnchoredOutput(stdout);
  enterAltScreen(stdout);
  // Once the terminal is restored, Ink must not write again (a SIGTERM runs Ink's own exit handler
  // after ours, whose last frame would land on the shell's screen).
  const restore = installRestore(stdout, stdin, { beforeRestore: () => inkOut.close() });
  // Wheel and click, in a terminal on both ends; LAMBDA_TUI_MOUSE=0 leaves the mouse to the terminal
  // (its own text selection). The restore turns it off on every way out.
  if (process.env.LAMBDA_TUI_MOUSE !== '0') enableMouse(stdout, stdin);
  // Over SSH an arrow key's bytes can arrive in two reads; Ink alone would take the first as a lone Esc.
  // The same wrapper takes the mouse reports out of the input and hands them to the App.
  const keys = holdSplitEscapes(stdin);
  let size = terminalSize(stdout);
  let quit!: (how: 'quit' | 'interrupt' | 'memory') => void;
  const done = new Promise<'quit' | 'interrupt' | 'memory'>((resolve) => {
    quit = resolve;
  });

  const incrementalRendering = extra.incrementalRendering ?? process.env.LAMBDA_TUI_INCREMENTAL !== '0';
  // Ink's own write (useStdout().write) erases its frame, writes, then writes the whole frame again with
  // its incremental state reset: the one way to make Ink repaint every line, not only the changed ones.
  let inkWrite: ((data: string) => void) | undefined;
  const setInkWrite = (write: (data: string) => void): void => {
    inkWrite = write;
  };
  const view = () => (
    <WithInkWrite onWrite={setInkWrite}>
      <App controller={controller} size={size} onQuit={(how) => quit(how ?? 'quit')} mouse={keys} />
    </WithInkWrite>
  );
  await inkReady();
  const app = render(view(), {
    stdout: inkOut as unknown as NodeJS.WriteStream,
    stdin: keys as unknown as NodeJS.ReadStream,
    // Ctrl-C is a key like q: the App quits through the same path, so the terminal is always restored.
    exitOnCtrlC: false,
    patchConsole: true,
    incrementalRendering,
    maxFps: extra.maxFps ?? MAX_FPS,
  });
  const renderMs = Math.ceil(1000 / (extra.maxFps ?? MAX_FPS));
  /** Clears the screen and has Ink write its whole current frame (see inkWrite). */
  const repaint = (): void => {
    if (inkWrite) inkWrite(CLEAR_SCREEN);
    else stdout.write(CLEAR_SCREEN);
  };
  let repaintTimer: NodeJS.Timeout | undefined;
  const offResize = onResize(stdout, (next) => {
    size = next;
    // A new size is a new layout, and the old lines must go: clear the screen. Ink's incremental
    // renderer would then still believe the old lines are there and skip every line that did not
    // change (the footer at a new width, the header at a new height), leaving them blank: so the frame
    // is written whole, now and once more after Ink's render throttle has let the new layout through.
    app.rerender(view());
    repaint();
    if (repaintTimer) clearTimeout(repaintTimer);
    repaintTimer = setTimeout(repaint, renderMs + 40);
  });

  // The next advance is scheduled only once the previous one has finished, and each does at most
  // ADVANCE_BUDGET_MS of work: keys, resizes and signals get the event loop between advances however
  // fast the run is asked to go (a free-running setInterval with unbounded advances locked the
  // dashboard up at x200). Ticks a budget cannot reach are dropped; the header says the speed reached.
  let last = performance.now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // A run that outgrows the memory Node allows stops with one line instead of V8's abort (src/memory.ts).
  const heap = heapWatch();
  let outOfMemory: string | undefined;
  const advance = (): void => {
    timer = undefined;
    if (stopped) return;
    const started = performance.now();
    const wallMs = started - last;
    last = started;
    controller
      .advanceWall(wallMs, { ms: ADVANCE_BUDGET_MS })
      .catch(() => undefined)
      .finally(() => {
        if (stopped) return;
        outOfMemory = heap.check(controller.snapshot.t);
        if (outOfMemory !== undefined) return quit('memory');
        const spent = performance.now() - started;
        timer = setTimeout(advance, Math.max(MIN_GAP_MS, FRAME_MS - spent));
      });
  };
  timer = setTimeout(advance, FRAME_MS);

  let how: 'quit' | 'interrupt' | 'memory' = 'quit';
  try {
    how = await done;
  } finally {
    stopped = true;
    if (repaintTimer) clearTimeout(repaintTimer);
    if (timer) clearTimeout(timer);
    offResize();
    app.unmount();
    inkOut.dispose();
    await app.waitUntilExit().catch(() => undefined);
    restore();
  }
  if (how === 'memory') {
    process.stderr.write(`lambda-tui: ${outOfMemory}\n`);
    return EXIT.runFailed;
  }
  // Ctrl-C is a key here (raw mode), not a signal; the shell still expects 128 + SIGINT from it.
  return how === 'interrupt' ? EXIT.interrupted : EXIT.ok;
}
