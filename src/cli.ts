/**
 * The command line (docs/architecture.md, "CLI contract"): picks the dashboard or a headless run and wires
 * the loader, the engine and the reporters together. Exit status (src/exit-status.ts, README): 0 ran,
 * 1 the scenario failed to load or validate, 2 usage error, 3 the run failed after it started (output
 * that cannot be written, an error in scenario code outside any handler), 130/143 interrupted.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { HandlerRecord } from './engine/lambda/handler-port.js';
import { createSimulation } from './engine/simulation.js';
import { sandboxFor } from './sandbox/pool.js';
import { traceLine } from './engine/trace.js';
import { formatSummary } from './output/format-summary.js';
import { summarize } from './output/summary.js';
import { describeSystemError, EXIT, oneLine, OutputError } from './exit-status.js';
import { heapWatch } from './memory.js';
import { ImportExit, listScenarios, loadScenario, ScenarioError, type LoadOptions } from './scenario/load.js';
import type { Model } from './scenario/model.js';
import { checkRunOverrides } from './scenario/validate.js';
import type { RunOptions } from './run-options.js';

export type { RunOptions } from './run-options.js';
import { loadPrices, PriceFileError } from './cost/prices.js';
import { applySets, parseSet, SetUsageError } from './sweep/set.js';

class UsageError extends Error {}

const EXIT_LOAD = EXIT.load;
const EXIT_USAGE = EXIT.usage;

async function packageVersion(): Promise<string> {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
}

/**
 * The --seed value as a whole number; anything else is a usage error that quotes what was given.
 *
 * @example parseSeed('7') // 7
 */
function parseSeed(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(Array.isArray(value) ? value[value.length - 1] : value).trim();
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--seed: '${text}' is not an integer; give a whole number, e.g. --seed 7`);
  }
  return Number(text);
}

/** Applies --seed, --tick and --duration over the scenario's own values. */
function applyOverrides(model: Model, options: RunOptions): Model {
  const out = { ...model };
  if (!Number.isFinite(options.speed) || options.speed <= 0 || options.speed > 10_000) {
    throw new UsageError(`--speed: ${options.speed} is not a speed; give simulated seconds per wall second, above 0 and at most 10000 (e.g. 0.5, 10)`);
  }
  // The same rules as the scenario fields they override (validate.ts): --duration 400d is refused as a
  // file's duration: '400d' is.
  const checked = checkRunOverrides({ seed: parseSeed(options.seed), tick: options.tick, duration: options.duration });
  if (checked.lines.length > 0) throw new UsageError(checked.lines.join('\n'));
  if (checked.seed !== undefined) out.seed = checked.seed;
  if (checked.tickMs !== undefined) out.tickMs = checked.tickMs;
  if (checked.durationMs !== undefined) out.durationMs = checked.durationMs;
  return out;
}

/**
 * Opens an output file for writing before anything runs, so a missing folder, a folder in place of the
 * file or a read-only place is one line (OutputError) and not a stack after the run.
 *
 * @example const fd = openOutput('--trace', 'run.jsonl');
 */
export function openOutput(flag: string, file: string): number {
  try {
    return openSync(file, 'w');
  } catch (error) {
    throw new OutputError(`${flag}: cannot write ${oneLine(file)}: ${describeSystemError(error)}`);
  }
}

/** Writes all of `text` to `fd` (a full disk is an OutputError naming the flag and the file). */
export function writeAll(fd: number, text: string, flag: string, file: string): void {
  const data = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
  } catch (error) {
    throw new OutputError(`${flag}: cannot write ${oneLine(file)}: ${describeSystemError(error)}`);
  }
}

/** Runs a scenario to its duration without a terminal UI and prints a summary. */
export async function runHeadless(model: Model, options: RunOptions, out: NodeJS.WritableStream): Promise<void> {
  const traceFile = options.trace;
  const traceFd = traceFile !== undefined ? openOutput('--trace', traceFile) : undefined;
  try {
    const pending: string[] = [];
    const flush = (): void => {
      if (traceFd === undefined || pending.length === 0) return;
      const chunk = pending.join('');
      pending.length = 0;
      writeAll(traceFd, chunk, '--trace', traceFile!);
    };
    const sim = createSimulation(model, {
      ...options.simulation,
      onTrace: traceFd !== undefined ? (event) => pending.push(traceLine(event) + '\n') : undefined,
      // The summary reads no view: no per-tick view refresh (SimulationOptions.views).
      views: false,
    });
    const heap = heapWatch();
    while (!sim.done) {
      await sim.advance();
      if (pending.length > 4096) flush();
      const full = heap.check(sim.now);
      if (full !== undefined) {
        flush(); // the trace so far is still worth having
        throw new OutputError(full);
      }
    }
    flush();
    if (traceFd !== undefined) {
      try {
        closeSync(traceFd);
      } catch (error) {
        throw new OutputError(`--trace: cannot write ${oneLine(traceFile!)}: ${describeSystemError(error)}`);
      }
    }
    const summary = summarize(sim, { prices: options.priceTable, freeTier: options.freeTier });
    out.write(options.json ? JSON.stringify(summary, null, 2) + '\n' : formatSummary(summary));
  } catch (error) {
    if (traceFd !== undefined) {
      try {
        closeSync(traceFd);
      } catch {
        // already closed, or the error is the close itself
      }
    }
    throw error;
  }
}

/**
 * The environment variables that make Ink (through is-in-ci) render only the last frame at exit. With a
 * terminal on both ends the user asked for the dashboard: Ink must not see them while it loads.
 */
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

async function importDashboard(): Promise<typeof import('./ui/run-dashboard.js')> {
  const saved = CI_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of CI_VARIABLES) delete process.env[name];
  try {
    return await withoutFetch(() => import('./ui/run-dashboard.js'));
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

/**
 * Loads Ink's modules with the global `fetch` out of sight. Ink's layout engine (yoga) instantiates its
 * WebAssembly from an inlined data: URL, and its loader fetches that URL whenever `fetch` exists, which
 * makes Node load its whole HTTP client (about 35 ms of CPU) for bytes it then decodes itself without
 * it. `fetch` is gone only while the import is under way (before the run starts) and is back as it was.
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (fetch?.configurable !== true) return load();
  delete (globalThis as { fetch?: unknown }).fetch;
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', fetch);
  }
}

/** `--parameter K=V` (repeatable) as a map; a value may hold '='. */
export function parseParameters(values: string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = String(value).indexOf('=');
    if (eq <= 0) throw new UsageError(`--parameter ${value}: give NAME=VALUE, e.g. --parameter Stage=prod`);
    out[String(value).slice(0, eq)] = String(value).slice(eq + 1);
  }
  return out;
}

function loadOptions(options: { stack?: string; parameter?: string[] }): LoadOptions {
  return { stack: options.stack, parameters: parseParameters(options.parameter) };
}

/** `--set path=value` on a single run: exactly one value each, applied before validation. */
function setEdit(file: string, sets: string[] | undefined): LoadOptions['edit'] {
  if (!sets || sets.length === 0) return undefined;
  let parsed;
  try {
    parsed = sets.map(parseSet);
  } catch (error) {
    if (error instanceof SetUsageError) throw new UsageError(error.message);
    throw error;
  }
  for (const s of parsed) {
    if (s.values.length !== 1) throw new UsageError(`--set: '${s.path}' has ${s.values.length} values; a single run takes one (use lambda-tui sweep for several)`);
  }
  return (scenario) => applySets(scenario, file, parsed.map((s) => ({ path: s.path, value: s.values[0] })));
}

/** Loads a scenario or a template; a template's warnings and not-imported lines go to stderr. */
async function load(file: string, options: LoadOptions) {
  const loaded = await loadScenario(file, options);
  for (const line of loaded.notes ?? []) process.stderr.write(line + '\n');
  return loaded;
}

async function runCommand(file: string, options: RunOptions): Promise<number> {
  let model: Model;
  try {
    model = applyOverrides((await load(file, { ...loadOptions(options), edit: setEdit(file, options.set) })).model, options);
    if (options.prices) options.priceTable = await loadPrices(options.prices);
  } catch (error) {
    if (error instanceof ScenarioError) {
      for (const line of error.lines) process.stderr.write(line + '\n');
      return EXIT_LOAD;
    }
    if (error instanceof PriceFileError) {
      process.stderr.write(error.message + '\n');
      return EXIT_LOAD;
    }
    throw error;
  }
  // From here on stdout carries lambda-tui's own output (a summary, --json, a final frame): what scenario
  // code logs with console.log goes to stderr. (The dashboard's Ink patches the console itself.)
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  // Real handler code runs in worker threads; a scenario without any starts none (docs/sandbox.md).
  const sandbox = sandboxFor(model);
  try {
    return await runWith(model, { ...options, simulation: { handlers: sandbox, handlerRecord: new HandlerRecord() } });
  } finally {
    await sandbox?.close();
  }
}

async function runWith(model: Model, options: RunOptions): Promise<number> {
  const interactive = !options.headless && !options.json && process.stdout.isTTY === true && process.stdin.isTTY === true;
  if (options.record || options.keys) {
    const { runScripted } = await withoutFetch(() => import('./ui/scripted.js'));
    return runScripted(model, options);
  }
  if (!interactive) {
    if (!options.headless && !options.json) {
      process.stderr.write('lambda-tui: no terminal (stdout or stdin is not a TTY); running headless. Use --json for a machine-readable summary.\n');
    }
    await runHeadless(model, options, process.stdout);
    return 0;
  }
  const { runDashboard } = await importDashboard();
  return runDashboard(model, options);
}

/** The scenarios bundled with lambda-tui, beside its dist/ folder. */
const BUNDLED_SCENARIOS = fileURLToPath(new URL('../scenarios', import.meta.url));

/**
 * `lambda-tui list [dir]`: the scenarios in `dir`; without one, ./scenarios when it exists and the bundled
 * scenarios otherwise, saying which. A folder that is not there is one line and exit 1.
 */
async function listCommand(dir: string | undefined): Promise<number> {
  let folder = dir;
  if (folder === undefined) {
    const local = path.resolve('scenarios');
    const here = await stat(local).then((s) => s.isDirectory(), () => false);
    folder = here ? local : BUNDLED_SCENARIOS;
    process.stdout.write(here ? `scenarios in ./scenarios\n` : `no ./scenarios here: the scenarios bundled with lambda-tui (${BUNDLED_SCENARIOS})\n`);
  }
  let entries: Awaited<ReturnType<typeof listScenarios>>;
  try {
    entries = await listScenarios(path.resolve(folder));
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    process.stderr.write(`lambda-tui: list: ${folder}: no such folder; give a folder of scenario files, or run 'lambda-tui list' for the bundled ones\n`);
    return EXIT_LOAD;
  }
  if (entries.length === 0) process.stdout.write(`no scenarios in ${folder}\n`);
  for (const entry of entries) {
    const rel = path.relative(process.cwd(), entry.file);
    const shown = rel && !rel.startsWith('..') ? rel : entry.file;
    if (entry.error) process.stdout.write(`${shown}\n  (does not load: ${entry.error})\n`);
    else process.stdout.write(`${shown}\n  ${entry.name}${entry.description ? ` — ${entry.description}` : ''}\n`);
  }
  return 0;
}

/** `lambda-tui validate a.ts b.ts ...`: checks every file; exit 1 when any of them fails. */
async function validateCommand(files: readonly string[], options: Parameters<typeof load>[1]): Promise<number> {
  let status = 0;
  for (const file of files) {
    try {
      const { model } = await load(file, options);
      process.stdout.write(`${file}: ok (${model.name})\n`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      for (const line of error.lines) process.stderr.write(line + '\n');
      status = EXIT_LOAD;
    }
  }
  if (files.length > 1 && status !== 0) process.stderr.write(`lambda-tui: validate: not every file is valid (see above)\n`);
  return status;
}

/** Options whose value may be written negative by mistake (`--duration -1s`). */
const NUMERIC_OPTIONS = new Set(['--seed', '--speed', '--tick', '--duration', '--cols', '--rows', '--jobs', '--seeds']);

/**
 * `--duration -1s` as `--duration=-1s`: yargs takes a value that starts with '-' for short flags (-1 -s)
 * and said "Unknown arguments: 1, s"; joined, the option's own check names the value and its range.
 *
 * @example negativeValues(['--tick', '-5ms']) // ['--tick=-5ms']
 */
export function negativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (NUMERIC_OPTIONS.has(argv[i]) && i + 1 < argv.length && /^-[\d.]/.test(argv[i + 1])) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/** Parses argv and runs; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  let status = 0;
  const version = await packageVersion();
  const parser = yargs(negativeValues(argv))
    .scriptName('lambda-tui')
    .usage('$0 <scenario.ts> [options]\n\nShows how AWS Lambda is invoked and how it fails, from a scenario file.')
    .command(
      '$0 <scenario>',
      'run a scenario: the dashboard in a terminal, headless otherwise',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'a scenario file (.ts, .json), or a template to import and run (.yaml, .json, cdk.out)', demandOption: true })
          .option('seed', { type: 'string', describe: 'seed of the run (default: the scenario\'s, else 1)' })
          .option('speed', { type: 'number', default: 10, describe: 'simulated seconds per wall second in the dashboard' })
          .option('tick', { type: 'string', describe: 'simulated time per tick, e.g. 100ms' })
          .option('duration', { type: 'string', describe: 'how long a headless run simulates, e.g. 5m' })
          .option('headless', { type: 'boolean', default: false, describe: 'run to the end without the dashboard' })
          .option('json', { type: 'boolean', default: false, describe: 'headless; print a JSON summary' })
          .option('trace', { type: 'string', describe: 'write the trace as JSON lines to FILE' })
          .option('record', { type: 'string', describe: 'write an asciicast v2 recording to FILE.cast' })
          .option('keys', { type: 'string', describe: "scripted key presses, e.g. '2s:space 3s:n n n 1s:q'" })
          .option('cols', { type: 'number', default: 100, describe: 'recording width' })
          .option('rows', { type: 'number', default: 30, describe: 'recording height' })
          .option('stack', { type: 'string', describe: 'templates: the stack of a CDK cloud assembly' })
          .option('parameter', { type: 'string', array: true, describe: 'templates: a template parameter, NAME=VALUE (repeatable)' })
          .option('prices', { type: 'string', describe: 'a JSON price table replacing the us-east-1 rates (docs/cost.md)' })
          .option('free-tier', { type: 'boolean', default: false, describe: 'take the monthly free allowances off the cost, prorated' })
          .option('set', { type: 'string', array: true, describe: "change a scenario field for this run, e.g. 'functions.processor.memorySize=512' (repeatable)" })
          .example('$0 scenarios/kinesis-error.ts', 'the dashboard')
          .example('$0 scenarios/kinesis-error.ts --json', 'headless: run to the end, print a summary')
          .example('$0 scenarios/sync-throttle.ts --trace run.jsonl --duration 1m', 'write the trace'),
      async (args) => {
        status = await runCommand(args.scenario as string, args as unknown as RunOptions);
      },
    )
    .command(
      'import <template>',
      'import a SAM, CloudFormation, CDK (cdk.out) or Serverless template as a scenario',
      (y) =>
        y
          .positional('template', { type: 'string', describe: 'template.yaml, template.json, cdk.out, or .serverless/cloudformation-template-update-stack.json', demandOption: true })
          .option('o', { alias: 'output', type: 'string', describe: 'write the scenario to FILE (.ts, or .json) instead of printing it' })
          .option('json', { type: 'boolean', default: false, describe: 'the scenario as JSON (handlers as file references)' })
          .option('stack', { type: 'string', describe: 'the stack of a CDK cloud assembly' })
          .option('parameter', { type: 'string', array: true, describe: 'a template parameter, NAME=VALUE (repeatable)' })
          .example('$0 import template.yaml -o scenario.ts', 'write a scenario to edit')
          .example('$0 import cdk.out --stack OrdersStack --json', 'print a stack of a CDK app as a JSON scenario'),
      async (args) => {
        const { importCommand } = await import('./import/command.js');
        status = await importCommand(args.template as string, {
          out: args.o as string | undefined,
          json: args.json as boolean,
          stack: args.stack as string | undefined,
          parameters: parseParameters(args.parameter as string[] | undefined),
        });
      },
    )
    .command(
      'sweep <scenario>',
      'run every combination of --set values on worker threads; one row per point (docs/sweep.md)',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'a scenario file (.ts) or template', demandOption: true })
          .option('set', { type: 'string', array: true, describe: "a field and its values, e.g. 'eventSourceMappings[0].batchSize=1,10,100' (repeatable)" })
          .option('json', { type: 'boolean', default: false, describe: 'print the rows as a JSON array, each with set and summary' })
          .option('jobs', { type: 'number', describe: 'worker threads (default: every core)' })
          .option('seeds', { type: 'number', default: 1, describe: "run each point with N seeds, from the scenario's" })
          .option('seed', { type: 'number', describe: "the first seed (default: the scenario's)" })
          .option('objective', { type: 'string', array: true, describe: "mark the cheapest point meeting it, e.g. 'p99<2s' (repeatable)" })
          .option('shard', { type: 'string', describe: 'run shard i of n of the grid, e.g. 1/4' })
          .option('chart', { type: 'string', describe: 'metric to chart: cost, p50, p99, peakAge, failures, throttles, coldStarts (default cost)' })
          .option('axis', { type: 'string', describe: 'the --set path to chart against (default: the first)' })
          .option('duration', { type: 'string', describe: 'how long each run simulates, e.g. 5m' })
          .option('prices', { type: 'string', describe: 'a JSON price table replacing the us-east-1 rates (docs/cost.md)' })
          .option('free-tier', { type: 'boolean', default: false, describe: 'take the monthly free allowances off the cost, prorated' })
          .option('stack', { type: 'string', describe: 'templates: the stack of a CDK cloud assembly' })
          .option('parameter', { type: 'string', array: true, describe: 'templates: a template parameter, NAME=VALUE (repeatable)' })
          .example("$0 sweep scenarios/sqs-scaling.ts --set 'eventSourceMappings[0].batchSize=1,10,100' --objective 'p99<10s'", 'batch size against cost and p99'),
      async (args) => {
        const { sweepCommand } = await import('./sweep/command.js');
        status = await sweepCommand(
          {
            scenario: args.scenario as string,
            set: args.set as string[] | undefined,
            json: args.json as boolean,
            jobs: args.jobs as number | undefined,
            seeds: args.seeds as number,
            seed: args.seed as number | undefined,
            objective: args.objective as string[] | undefined,
            shard: args.shard as string | undefined,
            chart: args.chart as string | undefined,
            axis: args.axis as string | undefined,
            duration: args.duration as string | undefined,
            prices: args.prices as string | undefined,
            freeTier: args['free-tier'] as boolean,
            load: loadOptions(args as { stack?: string; parameter?: string[] }),
          },
          process.stdout,
          process.stderr,
        );
      },
    )
    .command(
      'diff <a> <b>',
      'what changed between two runs (--json summaries or scenarios); --fail-on exits 1 when crossed (docs/diff.md)',
      (y) =>
        y
          .positional('a', { type: 'string', describe: 'a --json summary or a scenario', demandOption: true })
          .positional('b', { type: 'string', describe: 'a --json summary or a scenario', demandOption: true })
          .option('fail-on', { type: 'string', array: true, describe: "exit 1 when crossed, e.g. 'cost>+10%' or 'functions.*.errors>+0' (repeatable)" })
          .option('all', { type: 'boolean', default: false, describe: 'show unchanged rows too' })
          .option('json', { type: 'boolean', default: false, describe: 'print the rows as JSON' })
          .example("$0 diff main.json pr.json --fail-on 'cost>+10%'", 'gate a pull request on its cost'),
      async (args) => {
        const d = await import('./diff/diff.js');
        try {
          const thresholds = ((args['fail-on'] as string[] | undefined) ?? []).map(d.parseThreshold);
          const [a, b] = [await d.summaryOf(args.a as string), await d.summaryOf(args.b as string)];
          const rows = d.diffRows(a, b);
          const crossed = d.applyThresholds(rows, thresholds);
          process.stdout.write(args.json ? JSON.stringify(rows.filter((r) => args.all || r.a !== r.b || r.crossed), null, 2) + '\n' : d.formatDiff(rows, [args.a as string, args.b as string], args.all as boolean));
          if (crossed > 0) process.stderr.write(`lambda-tui diff: ${crossed} threshold${crossed === 1 ? '' : 's'} crossed\n`);
          status = crossed > 0 ? 1 : 0;
        } catch (error) {
          if (error instanceof d.DiffUsageError) {
            process.stderr.write(`lambda-tui: ${error.message}\n`);
            status = EXIT_USAGE;
          } else if (error instanceof ScenarioError) {
            for (const line of error.lines) process.stderr.write(line + '\n');
            status = EXIT_USAGE;
          } else throw error;
        }
      },
    )
    .command(
      'list [dir]',
      'list scenarios with their names and descriptions (default: ./scenarios when it exists, else the bundled ones)',
      (y) => y.positional('dir', { type: 'string', describe: 'a folder of scenario files' }),
      async (args) => {
        status = await listCommand(args.dir as string | undefined);
      },
    )
    .command(
      'validate <files..>',
      'check scenario files (or import templates and check them); exit 1 if any has errors',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario files (.ts, .json) or templates' })
          .option('stack', { type: 'string', describe: 'templates: the stack of a CDK cloud assembly' })
          .option('parameter', { type: 'string', array: true, describe: 'templates: a template parameter, NAME=VALUE (repeatable)' }),
      async (args) => {
        status = await validateCommand(args.files as string[], loadOptions(args as { stack?: string; parameter?: string[] }));
      },
    )
    .strictOptions()
    .version(version)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(message ?? 'usage error');
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`lambda-tui: ${error.message}\nRun 'lambda-tui --help' for usage.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof OutputError) {
      process.stderr.write(`lambda-tui: ${error.message}\n`);
      return EXIT.runFailed;
    }
    throw error;
  }
  return status;
}

/** Ends the process with pendingExit once what is already written to stdout and stderr has left. */
function exitAfterFlush(): void {
  let waiting = 2;
  const exit = (): void => process.exit(pendingExit);
  const done = (): void => {
    waiting -= 1;
    if (waiting === 0) setImmediate(exit);
  };
  // A stream that is already broken calls back with its error, or never: do not wait on it for long.
  setTimeout(exit, 2_000).unref();
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.destroyed || !stream.writable) done();
    else stream.write('', () => done());
  }
}

/** The status the process ends with, once an end has begun (a later failure may still raise it from 0). */
let pendingExit: number | undefined;
const said = new Set<string>();

/** Writes one line on stderr, once (the same failure may be reported by two events). */
function say(line: string): void {
  if (said.has(line)) return;
  said.add(line);
  try {
    process.stderr.write(`lambda-tui: ${line}\n`);
  } catch {
    // stderr is gone too; the status still says it
  }
}

/** Ends the process with `code` and one line on stderr (if any), once stdout and stderr have drained. */
function endWith(code: number, line?: string): void {
  if (line !== undefined) say(line);
  if (pendingExit === undefined) {
    pendingExit = code;
    exitAfterFlush();
  } else if (pendingExit === EXIT.ok && code !== EXIT.ok) {
    pendingExit = code;
  }
}

/** What scenario code threw or rejected with, in one line, with the scenario's line when the stack names one. */
function describeFailure(error: unknown): string {
  try {
    if (error instanceof Error) {
      const name = error.name && error.name !== 'Error' ? `${String(error.name)}: ` : '';
      const message = String(error.message).split('\n')[0];
      const frame = typeof error.stack === 'string' ? /\(?([^()\s]+\.ts):(\d+):\d+\)?/.exec(error.stack) : null;
      return oneLine(`${name}${message}${frame ? ` (${frame[1]}:${frame[2]})` : ''}`);
    }
    return oneLine(String(error));
  } catch {
    return 'a value that cannot be shown';
  }
}

/**
 * Keeps every way out of the process on the documented statuses (src/exit-status.ts):
 *  - stdout closed by its reader (`lambda-tui list | head`): quietly 0; stdout that cannot be written
 *    (a full disk): one line, 3;
 *  - an exception thrown by scenario code outside any handler (a timer it set): one line, 3, at once;
 *  - a promise rejected and never handled after loading: one line, and the status becomes 3.
 * Returns whether an unhandled rejection was reported.
 */
function guardProcess(): { rejected: () => boolean } {
  let rejected = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') endWith(EXIT.ok);
    else endWith(EXIT.runFailed, `cannot write to stdout: ${describeSystemError(error)}`);
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    endWith(error.code === 'EPIPE' ? EXIT.ok : EXIT.runFailed);
  });
  process.on('uncaughtException', (error) => {
    if (error instanceof ImportExit) return; // the loader reports it as a load error
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return endWith(EXIT.ok);
    endWith(EXIT.runFailed, `the run failed: an error was thrown outside any handler: ${describeFailure(error)}`);
  });
  process.on('unhandledRejection', (reason) => {
    // While a scenario loads, the loader listens too and reports it as a load error.
    if (process.listenerCount('unhandledRejection') > 1) return;
    rejected = true;
    say(`a promise in the scenario's code was rejected and never handled: ${describeFailure(reason)}`);
    // After the end has begun (the summary is out), it still decides the status.
    if (pendingExit === EXIT.ok) pendingExit = EXIT.runFailed;
  });
  return { rejected: () => rejected };
}

export async function cli(): Promise<void> {
  const guard = guardProcess();
  let code: number;
  try {
    code = await main(hideBin(process.argv));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`lambda-tui: ${error.message}\n`);
      code = EXIT_USAGE;
    } else {
      process.stderr.write(`lambda-tui: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      code = EXIT.internal;
    }
  }
  // A rejection nobody handled surfaces after this turn's microtasks: let it, then decide.
  await new Promise((resolve) => setImmediate(resolve));
  if (guard.rejected() && code === EXIT.ok) code = EXIT.runFailed;
  // Timers a scenario file left behind must not keep the process alive after the run.
  endWith(code);
}
