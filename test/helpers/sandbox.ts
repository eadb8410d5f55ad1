/**
 * Test helpers for real handler code: write a scenario (and handler files) into a temporary folder, load
 * it as the CLI does and run it headless through the worker sandbox.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HandlerRecord } from '../../src/engine/lambda/handler-port.js';
import { createSimulation, type Simulation } from '../../src/engine/simulation.js';
import type { TraceEvent, TraceType } from '../../src/engine/trace.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Model } from '../../src/scenario/model.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/pool.js';

/** A fresh folder with these files (paths relative to it); returns its path. */
export function scenarioFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-sandbox-'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

export interface FileRun {
  sim: Simulation;
  model: Model;
  trace: TraceEvent[];
  sandbox: Sandbox;
  record: HandlerRecord;
  of<T extends TraceType>(type: T): Array<Extract<TraceEvent, { type: T }>>;
  /** The `log` lines, in order. */
  lines(): string[];
}

/** Loads `file` and runs it to its duration through a sandbox; closes the sandbox afterwards. */
export async function runFile(
  file: string,
  options: { sandbox?: SandboxOptions; seed?: number; record?: HandlerRecord; keep?: boolean } = {},
): Promise<FileRun> {
  const { model } = await loadScenario(file);
  const sandbox = createSandbox(model, { workers: 1, ...options.sandbox });
  const record = options.record ?? new HandlerRecord();
  const trace: TraceEvent[] = [];
  const sim = createSimulation(model, { seed: options.seed, handlers: sandbox, handlerRecord: record, onTrace: (e) => trace.push(e) });
  try {
    await sim.run();
  } finally {
    if (!options.keep) await sandbox.close();
  }
  const of = <T extends TraceType>(type: T) => trace.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
  return { sim, model, trace, sandbox, record, of, lines: () => of('log').map((e) => e.line) };
}

/** A scenario file's text with one function `fn` and synchronous invokes. */
export function oneFunction(fnSpec: string, traffic = "{ invoke: 'fn', type: 'RequestResponse', count: 1 }", extra = ''): string {
  return `import { defineScenario } from 'lambda-tui';
${extra}
export default defineScenario({
  name: 'sandbox test',
  duration: '10s',
  functions: { fn: ${fnSpec} },
  traffic: [${traffic}],
});
`;
}
