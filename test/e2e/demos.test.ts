/**
 * Demos are tests (STYLE.md): each demo's key script in demos/demos.json is recorded again with the real
 * binary, exactly as `npm run demos` records it, and the last screen of the recording, played into a
 * terminal emulator, must show the dashboard, the scenario and the fact the demo is there to teach.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAsciicast } from '../../src/output/asciicast.js';
// @ts-expect-error scripts/demos.mjs is plain JavaScript without types.
import { loadDemos, recordArgs, recordEnv } from '../../scripts/demos.mjs';
import { renderScreen } from './harness/xterm.js';

const run = promisify(execFile);
const PANE_TITLES = ['1 Sources', '2 Concurrency', '3 In flight', '4 Destinations', '5 Log'];

interface Demo {
  name: string;
  scenario: string;
  teaches: string;
  speed: number;
  keys: string;
  expect: string[];
}
const config = (await loadDemos()) as { columns: number; rows: number; demos: Demo[] };
const dir = mkdtempSync(join(tmpdir(), 'lambda-tui-demos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenarioName(file: string): string {
  return /\bname:\s*'([^']+)'/.exec(readFileSync(file, 'utf8'))![1];
}

describe('every demo in demos/demos.json shows what it teaches', () => {
  it.each(config.demos.map((demo) => [demo.name, demo] as const))('%s', async (_, demo) => {
    const file = join(dir, `${demo.name}.cast`);
    await run(process.execPath, recordArgs(config, demo, file), { env: recordEnv() });
    const { header, events } = parseAsciicast(readFileSync(file, 'utf8'));
    const name = scenarioName(demo.scenario);
    expect(header.title).toBe(name);
    const screen = (await renderScreen(events.map(([, , data]) => data), { cols: header.width, rows: header.height, convertEol: false })).join('\n');
    for (const title of PANE_TITLES) expect(screen).toContain(title);
    // The header cuts a long name to fit beside the clock; its first words are always there.
    expect(screen).toContain(name.slice(0, 30));
    for (const fact of demo.expect) expect(screen).toContain(fact);
  });
});
