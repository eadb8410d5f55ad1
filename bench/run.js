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

/**
 * A case with a `handler` (bench/cases/sandbox.js) run with real code: the handler module and a scenario
 * file naming it in a temporary folder, loaded as the CLI loads a file, with the worker sandbox.
 */
async function sandboxedModel(bench) {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { loadScenario } = await import('../dist/scenario/load.js');
  const { createSandbox } = await import('../dist/sandbox/pool.js');
  const folder = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-bench-'));
  process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
  writeFileSync(path.join(folder, 'h.mjs'), bench.handler);
  const scenario = bench.scenario();
  for (const fn of Object.values(scenario.functions)) fn.handler = './h.handler';
  writeFileSync(path.join(folder, 's.mjs'), `export default ${JSON.stringify(scenario)};\n`);
  const { model } = await loadScenario(path.join(folder, 's.mjs'));
  const sandbox = createSandbox(model);
  // Workers load their module loader first; the dashboard and the CLI start them early too.
  sandbox.warm();
  await sandbox.run([], []);
  return { model, sandbox };
}

async function childCase(file, variant) {
  const { validateScenario } = await import('../dist/scenario/validate.js');
  const { createSimulation } = await import('../dist/engine/simulation.js');
  const { summarize } = await import('../dist/output/summary.js');
  const { default: bench } = await import(new URL(file, dir));
  let model;
  let sandbox;
  if (variant === 'sandbox') ({ model, sandbox } = await sandboxedModel(bench));
  else {
    const v = validateScenario(bench.scenario(), `bench/cases/${file}`);
    if (!v.model) throw new Error(`scenario invalid:\n${v.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
    model = v.model;
  }
  const cpu0 = process.cpuUsage();
  let ticks = 0;
  // As a headless run does (src/cli.ts): no trace listener, no per-tick views.
  const sim = createSimulation(model, { views: false, ...(sandbox ? { handlers: sandbox } : {}) });
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
  if (sandbox) await sandbox.close();
  return {
    cpu,
    wall,
    rss: maxRss(),
    floor: bench.floor,
    perSecond: units / wall,
    ...(sandbox ? { batches: sandbox.batches, calls: sandbox.calls, memory: sandbox.measuredMemory() } : {}),
    line:
      `${bench.unit.padEnd(12)} ${String(units).padStart(9)} in ${wall.toFixed(2)}s wall` +
      ` = ${Math.round(units / wall).toLocaleString('en-US')} ${bench.unit}/s;` +
      ` ${ticks} ticks for ${(summary.simulatedMs / 1000).toFixed(0)}s simulated;` +
      ` accounting ${summary.accounting.ok ? 'ok' : 'FAILED'}`,
    detail: bench.detail?.(summary),
  };
}

if (process.argv[2] === '--child') {
  const [kind, name, variant] = process.argv.slice(3);
  const result = kind === 'floor' ? await childFloor(name) : await childCase(name, variant);
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
  cases.push({ name, file, floor: bench.floor ?? 'kinesis', sandboxed: typeof bench.handler === 'string' });
}
if (cases.length === 0) {
  console.error(`no case '${only}'; cases: ${files.map((f) => f.replace(/\.js$/, '')).join(', ')}`);
  process.exit(2);
}

function child(kind, name, variant = '') {
  const out = execFileSync(process.execPath, ['--max-old-space-size=4096', self, '--child', kind, name, variant], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').at(-1));
}

// Each case right after its floor, so that the ratio compares two neighbours in time.
for (const c of cases) {
  const f = child('floor', c.floor);
  console.log(`${`floor:${c.floor}`.padEnd(14)} ${f.line} in ${f.cpu.toFixed(2)}s CPU (${f.wall.toFixed(2)}s wall); peak RSS ${mb(f.rss)} MB`);
  const r = child('case', c.file);
  console.log(`${c.name.padEnd(14)} ${r.line}; CPU ${r.cpu.toFixed(2)}s = ${(r.cpu / f.cpu).toFixed(2)}x floor:${c.floor}; peak RSS ${mb(r.rss)} MB = ${(r.rss / f.rss).toFixed(2)}x the floor's`);
  if (r.detail) console.log(`${''.padEnd(15)}${r.detail}`);
  if (c.sandboxed) {
    // The same scenario with real code through the worker pool, right after the run without it.
    const h = child('case', c.file, 'sandbox');
    console.log(
      `${`${c.name}+code`.padEnd(14)} ${h.line}; ${(h.perSecond / r.perSecond).toFixed(3)}x the invocations/s without code;` +
        ` CPU ${h.cpu.toFixed(2)}s = ${(h.cpu / r.cpu).toFixed(2)}x = ${(h.cpu / f.cpu).toFixed(2)}x floor:${c.floor} (all threads);` +
        ` peak RSS ${mb(h.rss)} MB; ${(h.calls / Math.max(1, h.batches)).toFixed(1)} calls per message to a worker`,
    );
    if (h.detail) console.log(`${''.padEnd(15)}${h.detail}`);
    // Measured in the workers, never traced (docs/sandbox.md, "Memory").
    for (const [fn, m] of Object.entries(h.memory ?? {})) {
      console.log(`${''.padEnd(15)}${fn}: largest heap growth in one invocation ${m.maxHeapGrowthMb.toFixed(2)} MB, worker heap up to ${m.maxWorkerHeapMb.toFixed(1)} MB`);
    }
  }
}
