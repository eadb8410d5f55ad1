/**
 * Plays a `--keys` script against the real dashboard with virtual time: the same <App>, the same keymap
 * and the same Ink input parser a person's keys go through, but the clock is the script's, not the wall's.
 * Nothing here reads the wall clock or Math.random, so a script and a scenario always give the same
 * frames at the same times; that is what makes recordings byte-identical and a demo a test.
 *
 * How it works: Ink renders <App> into a fake terminal of a fixed size (debug mode, so every commit
 * writes the whole frame, unthrottled, exactly as renderToString would draw it). Keys are written to a
 * fake stdin as the bytes a terminal sends (keyToInput), so Ink's parser sees split sequences, a lone Esc
 * and everything else as it would live. Between presses the controller is advanced in steps of
 * RECORDING_FRAME_MS of virtual wall time (speed x that of simulated time), and the frame is read after
 * each step once everything queued has settled.
 *
 * @example
 * const result = await playScript(model, { columns: 100, rows: 30, speed: 10, presses: parseKeysScript('2s:space 1s:q') },
 *   (atMs, frame) => cast.frame(atMs, frame));
 * result.finalFrame; // the last screen, as text
 */
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { createElement } from 'react';
import type { Model } from '../scenario/model.js';
import { App } from './App.js';
import { Controller, type ControllerOptions } from './controller.js';
import { inkChalk } from './ink-chalk.js';
import { keyToInput, type KeyPress } from './keys-script.js';
import { inkReady } from './ink-ready.js';

/**
 * Virtual wall time between two frames of a scripted run: 10 frames per second of recording, the live
 * dashboard's rate too (FRAME_MS in run-dashboard.tsx); it keeps recordings small, and a round number,
 * so frame times in a cast read as simple decimals.
 *
 * @example playScript(model, { ...options, frameMs: RECORDING_FRAME_MS });
 */
export const RECORDING_FRAME_MS = 100;

/**
 * After the last press (or with no script at all), how long a run may go on waiting for the scenario's
 * duration, in virtual wall time. A script that slowed the speed down to 0.1 would otherwise record for
 * hours.
 *
 * @example playScript(model, { ...options, maxTailMs: MAX_TAIL_MS });
 */
export const MAX_TAIL_MS = 600_000;

/**
 * How a script is played.
 *
 * @example const options: PlayOptions = { columns: 100, rows: 30, speed: 10, presses: [] };
 */
export interface PlayOptions {
  /** Width of the fake terminal, in cells. */
  columns: number;
  /** Height of the fake terminal; frames are at most rows-1 lines tall. */
  rows: number;
  /** Simulated seconds per (virtual) wall second at the start. */
  speed: number;
  /** The presses, in time order, as parseKeysScript returns them. */
  presses: readonly KeyPress[];
  /** Passed to the controller's simulations (the handler sandbox and its record). */
  simulation?: ControllerOptions['simulation'];
  /** Virtual wall ms between frames; default RECORDING_FRAME_MS. */
  frameMs?: number;
  /** See MAX_TAIL_MS. */
  maxTailMs?: number;
  /**
   * The colour level (0 none, 1 the 16 basic colours, 2 256 colours) Ink's colour library uses during the
   * run, restored afterwards. Default: leave it as the library detected it.
   */
  colorLevel?: 0 | 1 | 2;
  /** The price table of the cost in the header (`--prices`); default us-east-1. */
  priceTable?: ControllerOptions['prices'];
  freeTier?: boolean;
}

/**
 * What a played script ended with.
 *
 * @example if (!result.quit) console.log('the script ran to the end of the scenario');
 */
export interface PlayResult {
  /** The last frame, as text (SGR codes included when colour is on), lines joined by '\n'. */
  finalFrame: string;
  /** Virtual wall ms at the end: the recording's length. */
  endMs: number;
  /** True when the script quit the dashboard (q or Ctrl-C), false when it ran out of presses and time. */
  quit: boolean;
  /** Frames reported to onFrame (distinct consecutive frames). */
  frames: number;
  /** Simulated ms the dashboard showed at the end. */
  simulatedMs: number;
}

/**
 * The smallest stdin Ink's useInput needs: raw mode (a no-op here), 'readable' events and read().
 * Each press is its own chunk, as a terminal delivers a key: one read per key.
 *
 * @example
 * const stdin = new ScriptedStdin();
 * render(<App ... />, { stdin: stdin as unknown as NodeJS.ReadStream, ... });
 * stdin.type('\x1b[A'); // up
 */
export class ScriptedStdin extends EventEmitter {
  readonly isTTY = true;
  private readonly chunks: string[] = [];

  setRawMode(): this {
    return this;
  }

  setEncoding(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  read(): string | null {
    return this.chunks.shift() ?? null;
  }

  /** Delivers bytes as one chunk, the way a terminal delivers one key. */
  type(bytes: string): void {
    this.chunks.push(bytes);
    this.emit('readable');
  }
}

/**
 * A stdout of a fixed size that keeps the last frame Ink wrote. Not a TTY, so Ink writes nothing but
 * frames (no cursor show/hide, no synchronized-update markers). Use it with Ink's `debug: true`.
 *
 * @example
 * const stdout = new FrameStdout(100, 30);
 * render(<App ... />, { stdout: stdout as unknown as NodeJS.WriteStream, debug: true });
 * stdout.lastFrame; // the screen
 */
export class FrameStdout extends EventEmitter {
  readonly isTTY = false;
  lastFrame = '';

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }

  write(chunk: string): boolean {
    // In debug mode each commit writes the whole frame; an empty write is Ink's flush barrier.
    if (chunk !== '') this.lastFrame = chunk;
    return true;
  }
}

/**
 * Lets everything a key or a step set off finish: the controller's queued operations, the promise
 * callbacks that follow them (a fault's confirmation message), Ink's deferred flush of a lone Esc
 * (setImmediate) and React's commits. Rounds of the event loop, not a timer, so the result never depends
 * on how fast the machine is.
 *
 * @example
 * stdin.type('n');
 * await settle(controller);
 */
export async function settle(controller: Controller): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await controller.idle();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Keeps a frame within rows-1 lines and without trailing blanks on its last line, so every frame of a
 * run has the same shape whatever the App draws.
 */
function fitFrame(frame: string, rows: number): string {
  const lines = frame.split('\n');
  return (lines.length > rows - 1 ? lines.slice(0, rows - 1) : lines).join('\n');
}

/**
 * Runs `fn` with Ink's colour level set to `level`, restoring the previous level afterwards.
 *
 * @example const frame = await withColorLevel(0, () => playScript(model, options, () => {}));
 */
export async function withColorLevel<T>(level: 0 | 1 | 2 | undefined, fn: () => Promise<T>): Promise<T> {
  if (level === undefined) return fn();
  const chalk = await inkChalk();
  const before = chalk.level;
  chalk.level = level;
  try {
    return await fn();
  } finally {
    chalk.level = before;
  }
}

/**
 * Plays `options.presses` against a fresh dashboard for `model` and reports every new frame with its
 * time in virtual wall ms (from 0, never going backwards: stepping back in the simulation still moves
 * the recording forward). The run ends at the first q / Ctrl-C, or after the last press once the
 * simulation is paused or has reached the scenario's duration (at most `maxTailMs` later).
 *
 * @example
 * await playScript(model, { columns: 100, rows: 30, speed: 10, presses: parseKeysScript('3s:n n b') }, (atMs, frame) => {
 *   console.log(atMs, frame.split('\n')[0]);
 * });
 */
export async function playScript(
  model: Model,
  options: PlayOptions,
  onFrame: (atMs: number, frame: string) => void = () => {},
): Promise<PlayResult> {
  return withColorLevel(options.colorLevel, () => play(model, options, onFrame));
}

async function play(model: Model, options: PlayOptions, onFrame: (atMs: number, frame: string) => void): Promise<PlayResult> {
  const frameMs = options.frameMs ?? RECORDING_FRAME_MS;
  const maxTailMs = options.maxTailMs ?? MAX_TAIL_MS;
  const controller = new Controller(model, { speed: options.speed, simulation: options.simulation, prices: options.priceTable, freeTier: options.freeTier });
  const stdin = new ScriptedStdin();
  const stdout = new FrameStdout(options.columns, options.rows);
  let quit = false;
  await inkReady();
  const app = render(
    createElement(App, { controller, size: { columns: options.columns, rows: options.rows }, onQuit: () => void (quit = true) }),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stderr: stdout as unknown as NodeJS.WriteStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );

  let nowMs = 0;
  let shown: string | undefined;
  let frames = 0;
  const show = async (): Promise<void> => {
    await settle(controller);
    const frame = fitFrame(stdout.lastFrame, options.rows);
    if (frame === shown) return;
    shown = frame;
    frames++;
    onFrame(nowMs, frame);
  };
  const runFor = async (untilMs: number, stop: () => boolean): Promise<void> => {
    while (nowMs < untilMs && !stop()) {
      const stepMs = Math.min(frameMs, untilMs - nowMs);
      await controller.advanceWall(stepMs);
      nowMs += stepMs;
      await show();
    }
  };

  try {
    await show();
    for (const press of options.presses) {
      await runFor(press.atMs, () => quit);
      if (quit) break;
      stdin.type(keyToInput(press.key));
      await show();
    }
    const tailEndMs = nowMs + maxTailMs;
    const finished = () => quit || controller.paused || controller.snapshot.t >= model.durationMs;
    await runFor(tailEndMs, finished);
  } finally {
    app.unmount();
    await app.waitUntilExit().catch(() => undefined);
  }
  return { finalFrame: shown ?? '', endMs: nowMs, quit, frames, simulatedMs: controller.snapshot.t };
}
