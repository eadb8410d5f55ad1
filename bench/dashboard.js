#!/usr/bin/env node
// Dashboard benchmark: figures, not assertions (docs/architecture.md). Runs the real binary in tmux (100x30)
// and reports the time to the first frame, and the bytes the dashboard writes per second and per frame
// at speed 10 with Ink's incremental rendering on and off. Build first: `npm run build && node bench/dashboard.js [scenario]`.
//
// Bytes are taken with `tmux pipe-pane`, which copies everything the program writes to its terminal.
// Frames are counted by Ink's synchronized-update marker (`CSI ? 2026 h`), which it writes once per frame.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scenario = process.argv[2] ?? 'scenarios/kinesis-error.ts';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const cwd = process.cwd();

function tmux(socket, ...args) {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function env(extra) {
  const e = { ...process.env, FORCE_COLOR: '1', ...extra };
  delete e.CI;
  delete e.TMUX;
  return e;
}

function start(socket, command, extraEnv = {}) {
  const args = ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '100', '-y', '30', '-c', cwd, '--', 'sh', '-c', command];
  // tmux 3.3 sometimes answers a new server's first client with "server exited unexpectedly" although
  // the session starts; one more try with a fresh server settles it.
  try {
    execFileSync('tmux', args, { env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    kill(socket);
    execFileSync('tmux', args, { env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  }
}

function kill(socket) {
  try {
    tmux(socket, 'kill-server');
  } catch {
    // Already gone.
  }
}

async function timeToFirstFrame() {
  const socket = `ltb-${process.pid}-ttff`;
  const t0 = performance.now();
  start(socket, `exec node bin/lambda-tui.js ${scenario} --speed 10`);
  try {
    for (;;) {
      const screen = tmux(socket, 'capture-pane', '-p', '-t', 'main');
      if (screen.includes('q quit')) return performance.now() - t0;
      if (performance.now() - t0 > 30_000) throw new Error(`no frame after 30 s:\n${screen}`);
      await sleep(10);
    }
  } finally {
    kill(socket);
  }
}

async function bytes(incremental) {
  const socket = `ltb-${process.pid}-${incremental ? 'inc' : 'full'}`;
  const dir = mkdtempSync(join(tmpdir(), 'ltb-'));
  const file = join(dir, 'out.bin');
  // The program waits a moment so that pipe-pane is attached before its first byte.
  start(socket, `sleep 0.5; exec node bin/lambda-tui.js ${scenario} --speed 10`, { LAMBDA_TUI_INCREMENTAL: incremental ? '1' : '0' });
  try {
    tmux(socket, 'pipe-pane', '-o', '-t', 'main', `cat > ${file}`);
    const t0 = performance.now();
    while (!tmux(socket, 'capture-pane', '-p', '-t', 'main').includes('q quit')) {
      if (performance.now() - t0 > 30_000) throw new Error('no frame after 30 s');
      await sleep(20);
    }
    await sleep(1000);
    const at = (f) => (existsSync(f) ? readFileSync(f) : Buffer.alloc(0));
    const before = at(file);
    const w0 = performance.now();
    await sleep(SECONDS * 1000);
    const after = at(file);
    const wallS = (performance.now() - w0) / 1000;
    const window = after.subarray(before.length);
    const frames = window.toString('latin1').split('\x1b[?2026h').length - 1;
    return { bytesPerSecond: window.length / wallS, frames, framesPerSecond: frames / wallS, bytesPerFrame: frames ? window.length / frames : NaN, total: statSync(file).size };
  } finally {
    kill(socket);
    rmSync(dir, { recursive: true, force: true });
  }
}

const ttff = [];
for (let i = 0; i < 3; i++) ttff.push(await timeToFirstFrame());
ttff.sort((a, b) => a - b);
console.log(`dashboard ${scenario} at 100x30, speed 10`);
console.log(`  time to first frame: median ${ttff[1].toFixed(0)} ms (runs: ${ttff.map((t) => t.toFixed(0)).join(', ')} ms)`);
for (const incremental of [true, false]) {
  const r = await bytes(incremental);
  console.log(
    `  incremental rendering ${incremental ? 'on ' : 'off'}: ${(r.bytesPerSecond / 1024).toFixed(1)} KiB/s, ${r.framesPerSecond.toFixed(1)} frames/s, ${r.bytesPerFrame.toFixed(0)} bytes/frame (${SECONDS} s window)`,
  );
}
