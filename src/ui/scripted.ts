/**
 * Scripted runs of the dashboard: `--keys SCRIPT` and `--record FILE.cast` (docs/architecture.md, "CLI
 * contract"). Both drive the real dashboard with virtual time (play-script.ts), so they need no terminal
 * and give the same result every time:
 *
 *     lambda-tui scenarios/kinesis-error.ts --keys '2s:space 3s:n n n 1s:q'            # prints the last screen
 *     lambda-tui scenarios/kinesis-error.ts --record demo.cast --keys '50s:q'          # writes a recording
 *     lambda-tui scenarios/kinesis-error.ts --record demo.cast                         # the whole scenario
 *
 * Without --record the last frame goes to stdout, so a demo script doubles as a check in CI. A bad
 * script, size or speed is a usage error (exit 2) naming what is wrong.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { RunOptions } from '../run-options.js';
import { describeSystemError, EXIT, oneLine } from '../exit-status.js';
import type { Model } from '../scenario/model.js';
import { KeysScriptError, parseKeysScript, type KeyPress } from './keys-script.js';
import { MIN_SIZE } from './layout.js';

const EXIT_USAGE = 2;

/**
 * Limits on --cols and --rows: below the dashboard's smallest layout (MIN_SIZE) a recording would only
 * show the too-small message; wider or taller than the maximum is a typo, not a demo.
 *
 * @example SIZE_LIMITS.columns // { min: 60, max: 1000 }
 */
export const SIZE_LIMITS = Object.freeze({ columns: { min: MIN_SIZE.columns, max: 1000 }, rows: { min: MIN_SIZE.rows, max: 500 } });

class ScriptUsageError extends Error {}

function checkedSize(name: 'cols' | 'rows', value: unknown, limits: { min: number; max: number }): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < limits.min || value > limits.max) {
    const why = typeof value === 'number' && Number.isInteger(value) && value < limits.min ? ` (the dashboard needs at least ${MIN_SIZE.columns}x${MIN_SIZE.rows})` : '';
    throw new ScriptUsageError(`--${name}: ${String(value)} is not a whole number between ${limits.min} and ${limits.max}${why}`);
  }
  return value;
}

function checkedOptions(options: RunOptions): { presses: KeyPress[]; columns: number; rows: number; speed: number; simulation?: RunOptions["simulation"]; priceTable?: RunOptions["priceTable"]; freeTier?: boolean } {
  const columns = checkedSize('cols', options.cols ?? 100, SIZE_LIMITS.columns);
  const rows = checkedSize('rows', options.rows ?? 30, SIZE_LIMITS.rows);
  const speed = options.speed ?? 10;
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0) {
    throw new ScriptUsageError(`--speed: ${String(speed)} is not a positive number of simulated seconds per second`);
  }
  if (options.keys !== undefined && typeof options.keys !== 'string') {
    throw new ScriptUsageError('--keys: give one script, e.g. --keys "2s:space 3s:n n n 1s:q"');
  }
  if (options.record !== undefined && (typeof options.record !== 'string' || options.record === '')) {
    throw new ScriptUsageError('--record: give one file name, e.g. --record demo.cast');
  }
  try {
    return { presses: parseKeysScript(options.keys ?? ''), columns, rows, speed, simulation: options.simulation, priceTable: options.priceTable, freeTier: options.freeTier };
  } catch (error) {
    if (error instanceof KeysScriptError) throw new ScriptUsageError(error.message);
    throw error;
  }
}

/**
 * Runs `--keys` and/or `--record` for the CLI; resolves to the exit status (0, 2 for a usage error, 3 when
 * the recording cannot be written).
 *
 * @example process.exitCode = await runScripted(model, { ...options, keys: '5s:q', record: 'demo.cast' });
 */
export async function runScripted(model: Model, options: RunOptions): Promise<number> {
  let checked: ReturnType<typeof checkedOptions>;
  try {
    checked = checkedOptions(options);
  } catch (error) {
    if (!(error instanceof ScriptUsageError)) throw error;
    process.stderr.write(`lambda-tui: ${error.message}\nRun 'lambda-tui --help' for usage.\n`);
    return EXIT_USAGE;
  }
  // React's development build checks every element it creates and is about twice as slow; a scripted
  // run renders hundreds of frames. React reads NODE_ENV once, when it is first loaded, which is why the
  // modules that import it are loaded only now.
  process.env.NODE_ENV ??= 'production';
  const { playScript } = await import('./play-script.js');
  const { recordCast } = await import('./recorder.js');
  if (options.record === undefined) {
    // Colour on stdout follows the terminal (and NO_COLOR), as any command's output does; only
    // recordings pin their colour level.
    // A person at a terminal would otherwise stare at nothing for seconds while the script plays in
    // virtual time; a log file or a test reading stderr does not need the note.
    if (process.stderr.isTTY) process.stderr.write('lambda-tui: running the key script… the final screen follows\n');
    const result = await playScript(model, checked);
    process.stdout.write(result.finalFrame + '\n');
    return 0;
  }
  // The file is opened before a frame is rendered: a bad path fails at once, not after the recording.
  const cannotWrite = (error: unknown): number => {
    process.stderr.write(`lambda-tui: --record: cannot write ${oneLine(options.record!)}: ${describeSystemError(error)}\n`);
    return EXIT.runFailed;
  };
  let fd: number;
  try {
    fd = openSync(options.record, 'w');
  } catch (error) {
    return cannotWrite(error);
  }
  let recording: Awaited<ReturnType<typeof recordCast>>;
  try {
    recording = await recordCast(model, checked);
    const data = Buffer.from(recording.text, 'utf8');
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
  } catch (error) {
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    return cannotWrite(error);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing more can be written to it anyway
    }
  }
  const seconds = (recording.play.endMs / 1000).toFixed(1);
  const simulated = (recording.play.simulatedMs / 1000).toFixed(1);
  process.stderr.write(
    `lambda-tui: recorded ${options.record}: ${recording.play.frames} frames, ${seconds} s (${simulated} s simulated), ${Buffer.byteLength(recording.text)} bytes\n`,
  );
  return 0;
}
