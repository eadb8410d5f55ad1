#!/usr/bin/env node
// What the dashboard costs on a slow link (SSH): bytes per simulated second for kinesis-error at 100x30.
// Figures, not assertions (docs/architecture.md). Run after `npm run build`:
//
//     node bench/record.js            # recordings (full vs diff) and the live dashboard in tmux
//     node bench/record.js --no-live  # recordings only (no tmux needed)
//
// 1. A recording of SIM_SECONDS at x10 (--record's path, 10 frames per recording second), with every
//    changed frame written whole ('full') and as changed lines only ('diff', what --record writes).
// 2. The live dashboard (the real binary in a tmux pane at 100x30, Ink with incremental rendering and
//    15 fps), its every output byte captured with tmux pipe-pane for LIVE_WALL_MS; once as it ships
//    and once with LAMBDA_TUI_INCREMENTAL=0 where the dashboard honours it.
// 3. The yardstick: every frame written whole, at the live dashboard's 15 fps.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadScenario } from '../dist/scenario/load.js';
import { recordCast } from '../dist/ui/recorder.js';

const run = promisify(execFile);
const SCENARIO = 'scenarios/kinesis-error.ts';
const SIZE = { columns: 100, rows: 30 };
const SPEED = 10;
const SIM_SECONDS = 120;
const LIVE_WALL_MS = 8_000;
const LIVE_FPS = 15;

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const perSecond = (bytes, seconds) => `${Math.round(bytes / seconds).toLocaleString('en-US')} B/sim-s`;

const { model } = await loadScenario(SCENARIO);
const short = { ...model, durationMs: SIM_SECONDS * 1000 };

const rows = [];
const recordings = {};
for (const mode of ['full', 'diff']) {
  const { text, play, outputBytes } = await recordCast(short, { ...SIZE, speed: SPEED, presses: [], mode });
  recordings[mode] = { outputBytes, frames: play.frames, seconds: play.simulatedMs / 1000, fileBytes: Buffer.byteLength(text) };
  rows.push([`recording, ${mode}`, perSecond(outputBytes, play.simulatedMs / 1000), `${play.frames} frames, output ${kb(outputBytes)}, file ${kb(Buffer.byteLength(text))}`]);
}
const fullFrameBytes = recordings.full.outputBytes / recordings.full.frames;
const wholeAt15 = fullFrameBytes * (LIVE_FPS / SPEED);
rows.push([`every frame whole at ${LIVE_FPS} fps`, perSecond(wholeAt15, 1), `${Math.round(fullFrameBytes)} B a frame, ${LIVE_FPS / SPEED} frames per simulated second at x${SPEED}`]);

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs the live dashboard in tmux for LIVE_WALL_MS and returns its output bytes and simulated seconds. */
async function live(label, env) {
  const dir = await mkdtemp(join(tmpdir(), 'lambda-tui-bench-'));
  const socket = `lt-bench-${process.pid}-${rows.length}`;
  const capture = join(dir, 'out.bin');
  const childEnv = { ...process.env, FORCE_COLOR: '1', ...env };
  delete childEnv.CI;
  delete childEnv.TMUX;
  delete childEnv.NO_COLOR;
  const tmux = (...args) => run('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env: childEnv });
  try {
    // The pane starts with a shell that waits, so pipe-pane is in place before the dashboard's first byte.
    await tmux('new-session', '-d', '-s', 'main', '-x', String(SIZE.columns), '-y', String(SIZE.rows), '--', 'sh', '-c',
      `read go; exec node ${resolve('bin/lambda-tui.js')} ${SCENARIO} --speed ${SPEED}`);
    await tmux('pipe-pane', '-o', '-t', 'main', `cat > ${capture}`);
    await tmux('send-keys', '-t', 'main', 'Enter');
    await new Promise((done) => setTimeout(done, LIVE_WALL_MS));
    const { stdout: screen } = await tmux('capture-pane', '-p', '-t', 'main');
    const clock = /t (\d+):(\d+\.\d)/.exec(screen);
    await tmux('send-keys', '-t', 'main', 'q');
    await new Promise((done) => setTimeout(done, 500));
    const bytes = (await stat(capture)).size;
    const seconds = clock ? Number(clock[1]) * 60 + Number(clock[2]) : NaN;
    // The Enter that started it was echoed by the terminal: a couple of bytes, not worth subtracting.
    rows.push([label, perSecond(bytes, seconds), `${kb(bytes)} in ${LIVE_WALL_MS / 1000} s wall, ${seconds} s simulated`]);
  } finally {
    await tmux('kill-server').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

if (hasTmux && !process.argv.includes('--no-live')) {
  await live('live dashboard (incremental, 15 fps)', {});
  await live('live dashboard, LAMBDA_TUI_INCREMENTAL=0', { LAMBDA_TUI_INCREMENTAL: '0' });
} else {
  rows.push(['live dashboard', 'skipped', hasTmux ? '--no-live' : 'tmux not installed']);
}

console.log(`${SCENARIO} at ${SIZE.columns}x${SIZE.rows}, x${SPEED}, ${SIM_SECONDS} s simulated for recordings`);
const width = Math.max(...rows.map(([label]) => label.length));
for (const [label, figure, detail] of rows) console.log(`  ${label.padEnd(width)}  ${figure.padStart(14)}  ${detail}`);
