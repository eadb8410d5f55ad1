/**
 * `--record FILE.cast`: a scripted run of the dashboard (play-script.ts) written as an asciicast v2
 * recording (docs/architecture.md, "Terminal facts", deterministic recordings). Everything in the file comes
 * from the scenario, the seed, the script and the options: times from the virtual wall clock (simulated
 * time / speed while running), a fixed header timestamp, a fixed colour level, a fixed size. The same
 * command therefore writes the same bytes on any machine, in any terminal, or in none.
 *
 * @example
 * const { text } = await recordCast(model, { columns: 100, rows: 30, speed: 10, presses: parseKeysScript('5s:q') });
 * await writeFile('demo.cast', text);
 */
import { AsciicastWriter, type FrameMode } from '../output/asciicast.js';
import type { Model } from '../scenario/model.js';
import { playScript, type PlayOptions, type PlayResult } from './play-script.js';

/**
 * The header timestamp of every recording: the Unix epoch. A recording is a function of its inputs, and
 * the moment it was made is not one of them.
 *
 * @example parseAsciicast(text).header.timestamp // RECORDING_TIMESTAMP
 */
export const RECORDING_TIMESTAMP = 0;

/**
 * The colour level of recordings: the 16 basic ANSI colours (SGR 30-37, 90-97), which every player and
 * terminal shows, whatever the recording machine's terminal supports. NO_COLOR turns colour off.
 *
 * @example recordingColorLevel({ NO_COLOR: '1' }) // 0
 */
export const RECORDING_COLOR_LEVEL = 1;

/**
 * The colour level a recording uses: none when NO_COLOR is set (https://no-color.org), else
 * RECORDING_COLOR_LEVEL.
 *
 * @example recordingColorLevel(process.env)
 */
export function recordingColorLevel(env: NodeJS.ProcessEnv = process.env): 0 | 1 {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? 0 : RECORDING_COLOR_LEVEL;
}

/**
 * Options of a recording: how to play the script, and how to write the cast.
 *
 * @example const options: RecordOptions = { columns: 100, rows: 30, speed: 10, presses: [], mode: 'diff' };
 */
export interface RecordOptions extends Omit<PlayOptions, 'colorLevel'> {
  /** The header's title; default the scenario's name. */
  title?: string;
  /** 'diff' (default) writes only the lines that changed; 'full' every frame whole. */
  mode?: FrameMode;
  /** Colour level; default recordingColorLevel(process.env). */
  colorLevel?: 0 | 1 | 2;
}

/**
 * A finished recording.
 *
 * @example const { text, play, outputBytes } = await recordCast(model, options);
 */
export interface Recording {
  /** The asciicast v2 file's text. */
  text: string;
  /** How the script ended (frames, length, quit). */
  play: PlayResult;
  /** Bytes of terminal output in the events: what a player, or an SSH link, receives. */
  outputBytes: number;
}

/**
 * Plays the script and records every new frame at its virtual time.
 *
 * @example
 * const { text } = await recordCast(model, { columns: 100, rows: 30, speed: 10, presses: parseKeysScript('2s:space 3s:n n n 1s:q') });
 */
export async function recordCast(model: Model, options: RecordOptions): Promise<Recording> {
  const cast = new AsciicastWriter({
    width: options.columns,
    height: options.rows,
    timestamp: RECORDING_TIMESTAMP,
    title: options.title ?? model.name,
    mode: options.mode ?? 'diff',
  });
  const play = await playScript(model, { ...options, colorLevel: options.colorLevel ?? recordingColorLevel() }, (atMs, frame) =>
    cast.frame(atMs, frame),
  );
  cast.end(play.endMs);
  return { text: cast.toString(), play, outputBytes: cast.outputBytes };
}
