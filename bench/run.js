#!/usr/bin/env node
// Benchmarks: figures, not assertions (docs/architecture.md). Run with `npm run bench` (builds first), or
// `node bench/run.js sync` for one case. Each case builds a large synthetic scenario, runs it headless
// and prints simulated work per wall second and peak memory.
import { performance } from 'node:perf_hooks';
import { readdir } from 'node:fs/promises';
import { validateScenario } from '../dist/scenario/validate.js';
import { createSimulation } from '../dist/engine/simulation.js';
import { summarize } from '../dist/output/summary.js';

const only = process.argv[2];
const dir = new URL('./cases/', import.meta.url);
const files = (await readdir(dir)).filter((f) => f.endsWith('.js')).sort();

function mb(bytes) {
  return (bytes / 1024 / 1024).toFixed(0);
}

for (const file of files) {
  const name = file.replace(/\.js$/, '');
  if (only && only !== name) continue;
  const { default: bench } = await import(new URL(file, dir));
  const { model, errors } = validateScenario(bench.scenario(), `bench/cases/${file}`);
  if (!model) {
    console.error(`${name}: scenario invalid:\n${errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
    process.exitCode = 1;
    continue;
  }
  globalThis.gc?.();
  let peakRss = process.memoryUsage().rss;
  let ticks = 0;
  const sim = createSimulation(model);
  const started = performance.now();
  while (!sim.done) {
    const tickStarted = bench.onTick ? performance.now() : 0;
    await sim.advance();
    // Optional per-tick probe (a case may check that tick cost does not grow with what is stored).
    bench.onTick?.(sim, performance.now() - tickStarted);
    if (++ticks % 256 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const wallMs = performance.now() - started;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const summary = summarize(sim);
  const units = bench.count(summary);
  console.log(
    `${name.padEnd(14)} ${bench.unit.padEnd(12)} ${String(units).padStart(9)} in ${(wallMs / 1000).toFixed(2)}s wall` +
      ` = ${Math.round(units / (wallMs / 1000)).toLocaleString('en-US')} ${bench.unit}/s;` +
      ` ${ticks} ticks for ${(summary.simulatedMs / 1000).toFixed(0)}s simulated; peak RSS ${mb(peakRss)} MB;` +
      ` accounting ${summary.accounting.ok ? 'ok' : 'FAILED'}`,
  );
  if (bench.detail) console.log(`${''.padEnd(15)}${bench.detail(summary)}`);
}
