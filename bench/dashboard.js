#!/usr/bin/env node
// Dashboard benchmark: figures, not assertions (docs/architecture.md). Runs the real binary in tmux (100x30)
// and reports:
// - the time to the first frame, against a bare `node` start (a script that prints one line) measured in
//   the same tmux, runs interleaved, so the ratio holds on a busy machine; with --base another build's
//   bin/lambda-tui.js is timed in the same rounds (e.g. main's, to compare a change);
// - at speed 10, with Ink's incremental rendering on and off: the dashboard's CPU share (user + system
//   time of its process over the window, from /proc) and the bytes it writes per second and per frame,
//   and whether the header said "lagging" during the window.
//
//   npm run build && node bench/dashboard.js [scenario] [--base ../main/bin/lambda-tui.js] [--runs 5]
//   node bench/dashboard.js --all [--speed 10] [--set duration=30m]   one live window per bundled scenario
//
// --all runs every scenario of scenarios/ live (incremental on) for a BENCH_SECONDS window each (default 6
// with --all) and prints one row each: CPU share, the speed reached and how often the header said
// "lagging". --set is handed to the dashboard (e.g. a longer duration, so that x100 still runs through a
// window); --speed is the dashboard's speed.
//
// Bytes are taken with `tmux pipe-pane`, which copies everything the program writes to its terminal.
// Frames are counted by Ink's synchronized-update marker (`CSI ? 2026 h`), which it writes once per frame.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
let scenario = 'scenarios/kinesis-error.ts';
let base;
let runs = 5;
let all = false;
let speedArg = 10;
const sets = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--base') base = resolve(args[++i]);
  else if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--all') all = true;
  else if (args[i] === '--speed') speedArg = Number(args[++i]);
  else if (args[i] === '--set') sets.push(args[++i]);
  else scenario = args[i];
}
const SECONDS = Number(process.env.BENCH_SECONDS ?? (all ? 6 : 10));
const setArgs = sets.map((s) => ` --set '${s}'`).join('');
const cwd = process.cwd();
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function tmux(socket, ...a) {
  return execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function env(extra) {
  const e = { ...process.env, FORCE_COLOR: '1', ...extra };
  delete e.CI;
  delete e.TMUX;
  return e;
}

function start(socket, command, extraEnv = {}) {
  const a = ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '100', '-y', '30', '-c', cwd, '--', 'sh', '-c', command];
  // tmux 3.3 sometimes answers a new server's first client with "server exited unexpectedly" although
  // the session starts; one more try with a fresh server settles it.
  try {
    execFileSync('tmux', a, { env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    kill(socket);
    execFileSync('tmux', a, { env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  }
}

function kill(socket) {
  let path = '';
  try {
    path = tmux(socket, 'display-message', '-p', '#{socket_path}').trim();
    tmux(socket, 'kill-server');
  } catch {
    // Already gone.
  }
  // tmux leaves its socket file behind when the server is killed.
  if (path) rmSync(path, { force: true });
}

/** Milliseconds from starting `command` in a fresh tmux until `marker` is on the screen. */
async function timeTo(name, command, marker) {
  const socket = `ltb-${process.pid}-${name}`;
  const t0 = performance.now();
  start(socket, command);
  try {
    for (;;) {
      const screen = tmux(socket, 'capture-pane', '-p', '-t', 'main');
      if (screen.includes(marker)) return performance.now() - t0;
      if (performance.now() - t0 > 30_000) throw new Error(`${name}: no '${marker}' after 30 s:\n${screen}`);
      await sleep(5);
    }
  } finally {
    kill(socket);
  }
}

/** user + system CPU seconds of a process so far (/proc/PID/stat fields 14 and 15). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Simulated seconds the header shows ('t 01:12.3'), or NaN. */
function simSeconds(screen) {
  const m = / t (\d+):(\d+(?:\.\d+)?) /.exec(screen.split('\n')[0] ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

/**
 * The live dashboard of `bin` at --speed `speed` over the window: CPU share of its process (every
 * thread), CPU per frame and per simulated second (these two hold on a busy machine, where a run that
 * falls behind does less per wall second), bytes, frames, 'lagging'.
 */
async function live(bin, { incremental = true, speed = 10, scenario: file = scenario } = {}) {
  const socket = `ltb-${process.pid}-live`;
  const dir = mkdtempSync(join(tmpdir(), 'ltb-'));
  const file_ = join(dir, 'out.bin');
  // The program waits a moment so that pipe-pane is attached before its first byte; `exec` makes the
  // pane's process the dashboard itself, whose CPU time /proc then gives.
  start(socket, `sleep 0.5; exec node ${bin} ${file} --speed ${speed}${setArgs}`, { LAMBDA_TUI_INCREMENTAL: incremental ? '1' : '0' });
  try {
    tmux(socket, 'pipe-pane', '-o', '-t', 'main', `cat > ${file_}`);
    const pid = Number(tmux(socket, 'display-message', '-p', '-t', 'main', '#{pane_pid}').trim());
    const t0 = performance.now();
    while (!tmux(socket, 'capture-pane', '-p', '-t', 'main').includes('q quit')) {
      if (performance.now() - t0 > 30_000) throw new Error('no frame after 30 s');
      await sleep(20);
    }
    await sleep(1000);
    const at = (f) => (existsSync(f) ? readFileSync(f) : Buffer.alloc(0));
    const before = at(file_);
    const sim0 = simSeconds(tmux(socket, 'capture-pane', '-p', '-t', 'main'));
    const cpu0 = cpuSeconds(pid);
    const w0 = performance.now();
    let lagging = 0;
    let looks = 0;
    let sim1 = sim0;
    while (performance.now() - w0 < SECONDS * 1000) {
      await sleep(250);
      looks++;
      const screen = tmux(socket, 'capture-pane', '-p', '-t', 'main');
      if (screen.includes('lagging')) lagging++;
      const t = simSeconds(screen);
      // The run pauses at the scenario's duration: count the simulated time up to there.
      if (t > sim1) sim1 = t;
    }
    const cpu1 = cpuSeconds(pid);
    const after = at(file_);
    const wallS = (performance.now() - w0) / 1000;
    const window = after.subarray(before.length);
    const frames = window.toString('latin1').split('\x1b[?2026h').length - 1;
    return {
      cpuShare: (cpu1 - cpu0) / wallS,
      cpuPerFrameMs: frames ? ((cpu1 - cpu0) * 1000) / frames : NaN,
      cpuPerSimSecondMs: sim1 > sim0 ? ((cpu1 - cpu0) * 1000) / (sim1 - sim0) : NaN,
      simSpeed: (sim1 - sim0) / wallS,
      bytesPerSecond: window.length / wallS,
      framesPerSecond: frames / wallS,
      bytesPerFrame: frames ? window.length / frames : NaN,
      lagging: lagging / looks,
    };
  } finally {
    kill(socket);
    rmSync(dir, { recursive: true, force: true });
  }
}

function describeLive(r) {
  return (
    `CPU ${(r.cpuShare * 100).toFixed(1)}% of a core, ${r.cpuPerFrameMs.toFixed(1)} ms/frame, ${r.cpuPerSimSecondMs.toFixed(1)} ms per simulated s,` +
    ` x${r.simSpeed.toFixed(1)} reached, ${(r.bytesPerSecond / 1024).toFixed(1)} KiB/s, ${r.framesPerSecond.toFixed(1)} frames/s, ${r.bytesPerFrame.toFixed(0)} bytes/frame,` +
    ` 'lagging' on ${(r.lagging * 100).toFixed(0)}% of looks`
  );
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (xs) => xs.map((t) => t.toFixed(0)).join(', ');

if (all) {
  const { readdirSync } = await import('node:fs');
  const files = readdirSync('scenarios').filter((f) => f.endsWith('.ts')).sort();
  console.log(`live at x${speedArg}${setArgs}, ${SECONDS} s windows, incremental on, ${files.length} scenarios`);
  let keptUp = 0;
  for (const f of files) {
    const r = await live('bin/lambda-tui.js', { speed: speedArg, scenario: `scenarios/${f}` });
    if (r.lagging === 0) keptUp++;
    console.log(`  ${f.padEnd(34)} CPU ${(r.cpuShare * 100).toFixed(1).padStart(5)}%  x${r.simSpeed.toFixed(1).padEnd(6)} ${r.framesPerSecond.toFixed(1)} frames/s  'lagging' on ${(r.lagging * 100).toFixed(0)}% of looks`);
  }
  console.log(`  ${keptUp} of ${files.length} never said 'lagging'`);
  process.exit(0);
}

const bare = `exec node -e "process.stdout.write('q quit'); setTimeout(() => {}, 60000)"`;
const contenders = [
  ['node', bare],
  ['lambda-tui', `exec node bin/lambda-tui.js ${scenario} --speed 10`],
  ...(base ? [['base', `exec node ${base} ${scenario} --speed 10`]] : []),
];
const times = Object.fromEntries(contenders.map(([name]) => [name, []]));
// One warm-up round (file cache, the transform cache), then rounds that each run every contender once.
const only = process.env.BENCH_ONLY; // 'first' or 'live': one half of the bench
for (let round = 0; round <= (only === 'live' ? -1 : runs); round++) {
  for (const [name, command] of contenders) {
    const t = await timeTo(name, command, 'q quit');
    if (round > 0) times[name].push(t);
  }
}
console.log(`dashboard ${scenario} at 100x30, speed 10 (${runs} rounds after a warm-up, medians)`);
if (only !== 'live') {
const nodeMs = median(times.node);
console.log(`  bare node start:      ${nodeMs.toFixed(0).padStart(5)} ms (runs: ${ms(times.node)})`);
for (const name of ['lambda-tui', ...(base ? ['base'] : [])]) {
  const m = median(times[name]);
  const ratios = times[name].map((t, i) => t / times.node[i]);
  console.log(
    `  ${name === 'base' ? `first frame (${base})` : 'first frame:'}${name === 'base' ? '\n                       ' : '          '}${m.toFixed(0).padStart(5)} ms` +
      ` = node + ${(m - nodeMs).toFixed(0)} ms, ${median(ratios).toFixed(2)}x node (runs: ${ms(times[name])})`,
  );
}
if (base) {
  const ratios = times['lambda-tui'].map((t, i) => t / times.base[i]);
  console.log(`  first frame, this build / base: ${median(ratios).toFixed(2)}x (round by round)`);
}
}
// Live, at x10: this build and (with --base) the base, alternating, so both see the same machine.
const liveRuns = Number(process.env.BENCH_LIVE_RUNS ?? 1);
console.log(`  live at x10, ${SECONDS} s windows${liveRuns > 1 ? `, ${liveRuns} alternating runs each (medians)` : ''}:`);
const builds = [['this build', 'bin/lambda-tui.js'], ...(base ? [['base', base]] : [])];
for (const incremental of only === 'first' ? [] : [true, false]) {
  const results = Object.fromEntries(builds.map(([name]) => [name, []]));
  for (let i = 0; i < liveRuns; i++) for (const [name, bin] of builds) results[name].push(await live(bin, { incremental }));
  for (const [name] of builds) {
    const rs = results[name];
    const pick = (k) => median(rs.map((r) => r[k]));
    const r = Object.fromEntries(Object.keys(rs[0]).map((k) => [k, pick(k)]));
    console.log(`    ${name.padEnd(10)} incremental ${incremental ? 'on ' : 'off'}: ${describeLive(r)}`);
  }
  if (base) {
    const ratio = (k) => median(results['this build'].map((r, i) => r[k] / results.base[i][k]));
    console.log(`    this build / base, incremental ${incremental ? 'on ' : 'off'}: CPU per frame ${ratio('cpuPerFrameMs').toFixed(2)}x, per simulated s ${ratio('cpuPerSimSecondMs').toFixed(2)}x, share ${ratio('cpuShare').toFixed(2)}x`);
  }
}
