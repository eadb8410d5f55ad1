#!/usr/bin/env node
/**
 * Proves a change is behaviour-neutral: runs every bundled scenario (scenarios/*.ts) and a fixed sample of
 * the property tests' random scenarios (test/helpers/mixed-scenario.ts) with `--json --trace`, and again
 * with `--json` alone, through two builds, the working tree's and a git ref's, and checks that the
 * summary, the trace and the exit status are byte-identical (and the summary the same with and without
 * the trace). The ref is built in a temporary worktree that shares this tree's node_modules.
 * One thing is masked: a stack frame inside lambda-tui's own build (a handler's error carries its stack,
 * frames of dist/ included) names the build's folder and line, so `file://<tree>/dist/<file>:<line>:<col>`
 * reads `<lambda-tui>/<file>` on both sides.
 *
 *   node scripts/compare-runs.mjs              # against main
 *   node scripts/compare-runs.mjs main~3       # against any ref
 *   node scripts/compare-runs.mjs HEAD --samples 40 --jobs 1
 *
 * Exit status: 0 identical, 1 some run differs, 2 usage or build error.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  process.stderr.write(`compare-runs: ${message}\nusage: node scripts/compare-runs.mjs [REF] [--samples N] [--jobs N] [--keep]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let ref = 'main';
let samples = 20;
let jobs = 2;
let keep = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--samples') samples = Number(args[++i]);
  else if (a === '--jobs') jobs = Number(args[++i]);
  else if (a === '--keep') keep = true;
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else ref = a;
}
if (!Number.isInteger(samples) || samples < 0 || samples > 1000) usage('--samples takes 0..1000');
if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16) usage('--jobs takes 1..16');

const git = (...a) => execFileSync('git', ['-C', root, ...a], { encoding: 'utf8' }).trim();
let commit;
try {
  commit = git('rev-parse', '--verify', `${ref}^{commit}`);
} catch {
  usage(`'${ref}' is not a commit`);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-compare-'));
const refTree = path.join(tmp, 'ref');
let worktreeAdded = false;
function cleanup() {
  if (worktreeAdded) {
    try {
      git('worktree', 'remove', '--force', refTree);
    } catch {
      /* removed below with the folder */
    }
  }
  if (!keep) rmSync(tmp, { recursive: true, force: true });
  else process.stderr.write(`kept ${tmp}\n`);
}

/** What `npm run build` does: tsc, then the bundled CLI where the tree has one (scripts/bundle.mjs). */
function build(dir) {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (existsSync(path.join(dir, 'scripts/bundle.mjs'))) {
    execFileSync(process.execPath, [path.join(dir, 'scripts/bundle.mjs')], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
  }
}

/** The property tests' generator, sampled with fixed seeds, written as plain scenario files. */
async function writeSamples(dir) {
  if (samples === 0) return [];
  const { createJiti } = await import('jiti');
  const fc = (await import('fast-check')).default;
  const jiti = createJiti(import.meta.url, { moduleCache: false });
  const { mixed, mixedScenario } = await jiti.import(path.join(root, 'test/helpers/mixed-scenario.ts'));
  const files = [];
  fc.sample(mixed, { seed: 20_26, numRuns: samples }).forEach((o, i) => {
    const file = path.join(dir, `mixed-${String(i).padStart(3, '0')}.ts`);
    writeFileSync(file, `export default ${JSON.stringify(mixedScenario(o), null, 2)};\n`);
    files.push(file);
  });
  return files;
}

/** A stack frame inside the build's own dist/ names its folder and line: mask both (see the header). */
function maskFrames(buf, tree) {
  const escaped = pathToFileURL(tree).href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = new RegExp(`${escaped}/dist/([^)"\\s:]+):\\d+:\\d+`, 'g');
  return Buffer.from(buf.toString('utf8').replace(frame, '<lambda-tui>/$1'));
}

function runOne(tree, file, traceFile) {
  return new Promise((resolve) => {
    const args = traceFile === undefined ? ['--json'] : ['--json', '--trace', traceFile];
    const child = spawn(process.execPath, [path.join(tree, 'bin/lambda-tui.js'), file, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('close', (code) => {
      const trace = traceFile !== undefined && existsSync(traceFile) ? readFileSync(traceFile) : Buffer.alloc(0);
      resolve({
        code,
        stdout: maskFrames(Buffer.concat(out), tree),
        stderr: maskFrames(Buffer.concat(err), tree),
        trace: maskFrames(trace, tree),
      });
    });
  });
}

function firstDifference(a, b) {
  const la = a.toString('utf8').split('\n');
  const lb = b.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      const cut = (s) => (s === undefined ? '(none)' : s.length > 160 ? `${s.slice(0, 159)}…` : s);
      return `line ${i + 1}:\n      ref:  ${cut(lb[i])}\n      here: ${cut(la[i])}`;
    }
  }
  return 'same lines, different bytes';
}

const sha = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 12);

async function main() {
  process.stderr.write(`building the working tree and ${ref} (${commit.slice(0, 10)})…\n`);
  git('worktree', 'add', '--detach', refTree, commit);
  worktreeAdded = true;
  symlinkSync(path.join(root, 'node_modules'), path.join(refTree, 'node_modules'), 'dir');
  build(root);
  build(refTree);

  const scenarioDir = path.join(root, 'scenarios');
  const bundled = readdirSync(scenarioDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(scenarioDir, f));
  const sampleDir = path.join(tmp, 'samples');
  mkdirSync(sampleDir);
  const files = [...bundled, ...(await writeSamples(sampleDir))];
  mkdirSync(path.join(tmp, 'out'));

  let differ = 0;
  let next = 0;
  const results = new Array(files.length);
  async function worker() {
    while (next < files.length) {
      const i = next++;
      const file = files[i];
      const base = path.basename(file, '.ts');
      const here = await runOne(root, file, path.join(tmp, 'out', `${base}.here.jsonl`));
      const there = await runOne(refTree, file, path.join(tmp, 'out', `${base}.ref.jsonl`));
      const problems = [];
      if (here.code !== there.code) problems.push(`exit status ${there.code} -> ${here.code}`);
      if (!here.stdout.equals(there.stdout)) problems.push(`--json differs at ${firstDifference(here.stdout, there.stdout)}`);
      if (!here.trace.equals(there.trace)) problems.push(`--trace differs at ${firstDifference(here.trace, there.trace)}`);
      if (!here.stderr.equals(there.stderr)) problems.push(`stderr differs at ${firstDifference(here.stderr, there.stderr)}`);
      // Without --trace no one listens to the trace: the engine may skip building per-record events
      // (EngineContext.tracing), and the summary must not change for it.
      const hereAlone = await runOne(root, file);
      const thereAlone = await runOne(refTree, file);
      if (hereAlone.code !== thereAlone.code) problems.push(`without --trace: exit status ${thereAlone.code} -> ${hereAlone.code}`);
      if (!hereAlone.stdout.equals(thereAlone.stdout)) problems.push(`without --trace: --json differs at ${firstDifference(hereAlone.stdout, thereAlone.stdout)}`);
      if (!hereAlone.stdout.equals(here.stdout)) problems.push(`--json differs with and without --trace at ${firstDifference(hereAlone.stdout, here.stdout)}`);
      results[i] = { file, here, problems };
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));

  for (const { file, here, problems } of results) {
    const name = path.relative(root, file).startsWith('..') ? path.basename(file) : path.relative(root, file);
    const lines = here.trace.length ? here.trace.toString('utf8').split('\n').length - 1 : 0;
    if (problems.length === 0) {
      process.stdout.write(`same     ${name}  (exit ${here.code}, ${lines} trace lines, trace ${sha(here.trace)}, json ${sha(here.stdout)})\n`);
    } else {
      differ++;
      process.stdout.write(`DIFFERS  ${name}\n${problems.map((p) => `    ${p}`).join('\n')}\n`);
    }
  }
  process.stdout.write(
    differ === 0
      ? `all ${files.length} runs byte-identical to ${ref} (${bundled.length} bundled scenarios, ${files.length - bundled.length} property samples)\n`
      : `${differ} of ${files.length} runs differ from ${ref}\n`,
  );
  return differ === 0 ? 0 : 1;
}

let status = 2;
try {
  status = await main();
} catch (error) {
  process.stderr.write(`compare-runs: ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  cleanup();
}
process.exit(status);
