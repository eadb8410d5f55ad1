#!/usr/bin/env node
// Benchmarks: figures, not assertions (docs/architecture.md). Run with `npm run bench` (builds first), or
// `node bench/run.js sync` for one case (and the floors). Each case builds a large synthetic scenario and
// runs it headless; the floors (bench/floor.js) build the same number of AWS-shaped records and cut them
// into batches. Every case and floor runs in a child process of its own, one after another, so that each
// one's peak RSS is its own; CPU time is the child's user + system time from the moment its work starts
// (modules already loaded). A case's CPU is printed as a ratio to its floor measured in this same run:
// the machine may be shared and its speed drift, ratios hold better than seconds.
import { performance } from 'node:perf_hooks';
import { readdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = new URL('./cases/', import.meta.url);
const self = fileURLToPath(import.meta.url);

function mb(bytes) {
  return (bytes / 1024 / 1024).toFixed(0);
}

/** CPU seconds (user + system) of this process since `since` (a process.cpuUsage() value). */
function cpuSince(since) {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** Peak RSS of this process in bytes (the kernel's high-water mark). */
function maxRss() {
  return process.resourceUsage().maxRSS * 1024;
}

async function childFloor(name) {
  const floors = await import('./floor.js');
  const build = { kinesis: floors.kinesisFloor, sqs: floors.sqsFloor }[name];
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const r = build();
  return { cpu: cpuSince(cpu0), wall: (performance.now() - started) / 1000, rss: maxRss(), line: `${r.records.toLocaleString('en-US')} records, ${r.batches.toLocaleString('en-US')} batches` };
}

async function childCase(file) {
  const { validateScenario } = await import('../dist/scenario/validate.js');
  const { createSimulation } = await import('../dist/engine/simulation.js');
  const { summarize } = await import('../dist/output/summary.js');
  const { default: bench } = await import(new URL(file, dir));
  const { model, errors } = validateScenario(bench.scenario(), `bench/cases/${file}`);
  if (!model) throw new Error(`scenario invalid:\n${errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
  const cpu0 = process.cpuUsage();
  let ticks = 0;
  // As a headless run does (src/cli.ts): no trace listener, no per-tick views.
  const sim = createSimulation(model, { views: false });
  const started = performance.now();
  while (!sim.done) {
    const tickStarted = bench.onTick ? performance.now() : 0;
    await sim.advance();
    // Optional per-tick probe (a case may check that tick cost does not grow with what is stored).
    bench.onTick?.(sim, performance.now() - tickStarted);
    ticks++;
  }
  const wall = (performance.now() - started) / 1000;
  const summary = summarize(sim);
  const cpu = cpuSince(cpu0);
  const units = bench.count(summary);
  return {
    cpu,
    wall,
    rss: maxRss(),
    floor: bench.floor,
    line:
      `${bench.unit.padEnd(12)} ${String(units).padStart(9)} in ${wall.toFixed(2)}s wall` +
      ` = ${Math.round(units / wall).toLocaleString('en-US')} ${bench.unit}/s;` +
      ` ${ticks} ticks for ${(summary.simulatedMs / 1000).toFixed(0)}s simulated;` +
      ` accounting ${summary.accounting.ok ? 'ok' : 'FAILED'}`,
    detail: bench.detail?.(summary),
  };
}

if (process.argv[2] === '--child') {
  const [kind, name] = process.argv.slice(3);
  const result = kind === 'floor' ? await childFloor(name) : await childCase(name);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

const only = process.argv[2];
const files = (await readdir(dir)).filter((f) => f.endsWith('.js')).sort();
const cases = [];
for (const file of files) {
  const name = file.replace(/\.js$/, '');
  if (only && only !== name) continue;
  const { default: bench } = await import(new URL(file, dir));
  cases.push({ name, file, floor: bench.floor ?? 'kinesis' });
}
if (cases.length === 0) {
  console.error(`no case '${only}'; cases: ${files.map((f) => f.replace(/\.js$/, '')).join(', ')}`);
  process.exit(2);
}

function child(kind, name) {
  const out = execFileSync(process.execPath, ['--max-old-space-size=4096', self, '--child', kind, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').at(-1));
}

// Each case right after its floor, so that the ratio compares two neighbours in time.
for (const c of cases) {
  const f = child('floor', c.floor);
  console.log(`${`floor:${c.floor}`.padEnd(14)} ${f.line} in ${f.cpu.toFixed(2)}s CPU (${f.wall.toFixed(2)}s wall); peak RSS ${mb(f.rss)} MB`);
  const r = child('case', c.file);
  console.log(`${c.name.padEnd(14)} ${r.line}; CPU ${r.cpu.toFixed(2)}s = ${(r.cpu / f.cpu).toFixed(2)}x floor:${c.floor}; peak RSS ${mb(r.rss)} MB = ${(r.rss / f.rss).toFixed(2)}x the floor's`);
  if (r.detail) console.log(`${''.padEnd(15)}${r.detail}`);
}
