#!/usr/bin/env node
// Big runs through the CLI (docs/architecture.md, "Big runs"): figures, not assertions, and never part of
// `npm test`. Run with `npm run bench:big` (builds first), or `node bench/big.js CASE` for one of:
//
//   5m     5M Kinesis records on 100 shards, headless: peak RSS against the 2 GiB target.
//   oom    50M records under --max-old-space-size=256: the run must stop with one line that says it does
//          not fit in memory (exit 3, a run that failed), not with V8's abort (exit 134) and a native stack.
//   trace  10M records with --trace FILE, then the same run without it: RSS over the traced run and both
//          peaks, so that what the trace adds stays flat while the file grows (the trace is written as
//          the run goes, each tick's lines at most; the file is deleted afterwards).
//
// Each run is a child process of the CLI (`bin/lambda-tui.js FILE --json`) on a scenario file written to
// a temporary folder. Its RSS is read from /proc/PID/status every 100 ms (Linux): VmHWM is the kernel's
// high-water mark, VmRSS the current size.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'lambda-tui.js');
const GiB = 2 ** 30;
const MB = 2 ** 20;

/** A Kinesis load of `records` records on 100 shards at `rate` per second, consumed by one mapping. */
function kinesisScenario(records, rate) {
  const seconds = Math.ceil(records / rate) + 2;
  return {
    name: `bench: ${records.toLocaleString('en-US')} stream records on 100 shards`,
    duration: `${seconds}s`,
    functions: { consumer: { duration: { p50: '20ms', p99: '80ms' } } },
    streams: { events: { shardCount: 100 } },
    eventSourceMappings: [{ source: 'events', function: 'consumer', batchSize: 1000, parallelizationFactor: 2 }],
    traffic: [{ to: 'events', rate, count: records, partitionKeys: 1000 }],
  };
}

function status(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * Runs the CLI on a scenario; resolves with its exit status, stderr, the last high-water mark seen, and
 * samples of { wall s, rss, file bytes } when `watchFile` is given.
 */
function runCli(scenarioFile, args, { nodeArgs = [], watchFile } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [...nodeArgs, cli, scenarioFile, '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    const samples = [];
    const timer = setInterval(() => {
      const s = status(child.pid);
      if (!s) return;
      peak = Math.max(peak, s.hwm);
      let bytes = 0;
      if (watchFile) {
        try {
          bytes = statSync(watchFile).size;
        } catch {
          bytes = 0;
        }
      }
      samples.push({ t: (Date.now() - started) / 1000, rss: s.rss, bytes });
    }, 100);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stdout, stderr, peak, samples, wall: (Date.now() - started) / 1000 });
    });
  });
}

function writeScenario(folder, name, scenario) {
  const file = path.join(folder, `${name}.mjs`);
  writeFileSync(file, `export default ${JSON.stringify(scenario)};\n`);
  return file;
}

function summaryLine(r) {
  try {
    const s = JSON.parse(r.stdout);
    const src = s.sources?.events;
    return `put ${src?.put}, succeeded ${src?.succeeded}; accounting ${s.accounting?.ok ? 'ok' : 'FAILED'}`;
  } catch {
    return `no summary (exit ${r.code}${r.signal ? `, ${r.signal}` : ''})`;
  }
}

const mb = (bytes) => `${Math.round(bytes / MB)} MB`;

async function fiveMillion(folder) {
  const file = writeScenario(folder, 'five-million', kinesisScenario(5_000_000, 50_000));
  const r = await runCli(file, []);
  console.log(
    `5m             5,000,000 records in ${r.wall.toFixed(1)}s wall, exit ${r.code}; ${summaryLine(r)}; peak RSS ${mb(r.peak)} = ${(r.peak / (2 * GiB)).toFixed(2)}x the 2 GiB target`,
  );
}

async function outOfMemory(folder) {
  const file = writeScenario(folder, 'fifty-million', kinesisScenario(50_000_000, 100_000));
  const r = await runCli(file, [], { nodeArgs: ['--max-old-space-size=256'] });
  const lines = r.stderr.trim().split('\n').filter(Boolean);
  const ok = r.code === 3 && lines.length === 1 && /does not fit in memory/.test(lines[0]);
  console.log(`oom            50,000,000 records under --max-old-space-size=256: exit ${r.code}${r.signal ? ` (${r.signal})` : ''} after ${r.wall.toFixed(1)}s, ${lines.length} stderr line(s), peak RSS ${mb(r.peak)}: ${ok ? 'one line, as it should' : 'NOT one line'}`);
  for (const line of lines.slice(0, 3)) console.log(`${''.padEnd(15)}${line.slice(0, 300)}`);
}

async function traced(folder) {
  const scenario = kinesisScenario(10_000_000, 100_000);
  const file = writeScenario(folder, 'ten-million', scenario);
  const trace = path.join(folder, 'trace.jsonl');
  const withTrace = await runCli(file, ['--trace', trace], { watchFile: trace });
  const bytes = statSync(trace).size;
  rmSync(trace, { force: true });
  const without = await runCli(file, []);
  console.log(
    `trace          10,000,000 records with --trace: ${(bytes / GiB).toFixed(2)} GiB of trace in ${withTrace.wall.toFixed(1)}s, exit ${withTrace.code}, peak RSS ${mb(withTrace.peak)};` +
      ` without: ${without.wall.toFixed(1)}s, exit ${without.code}, peak RSS ${mb(without.peak)}; the trace adds ${mb(withTrace.peak - without.peak)} at the peak`,
  );
  console.log(`${''.padEnd(15)}with: ${summaryLine(withTrace)}; without: ${summaryLine(without)}`);
  // RSS when the trace file had reached each tenth of its final size.
  const marks = [];
  for (let tenth = 1; tenth <= 10; tenth++) {
    const at = withTrace.samples.find((s) => s.bytes >= (bytes * tenth) / 10);
    if (at) marks.push(`${(at.bytes / GiB).toFixed(2)} GiB: ${mb(at.rss)}`);
  }
  console.log(`${''.padEnd(15)}RSS as the trace grew: ${marks.join(', ')}`);
}

const cases = { '5m': fiveMillion, oom: outOfMemory, trace: traced };
const only = process.argv[2];
if (only && !cases[only]) {
  console.error(`no case '${only}'; cases: ${Object.keys(cases).join(', ')}`);
  process.exit(2);
}
if (process.platform !== 'linux') console.error('bench/big.js reads RSS from /proc: peak figures need Linux');
const folder = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-big-'));
try {
  for (const [name, run] of Object.entries(cases)) if (!only || only === name) await run(folder);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
