import { render } from 'ink';
import { createElement } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import type { Model } from '../../src/scenario/model.js';
import { App } from '../../src/ui/App.js';
import { Controller } from '../../src/ui/controller.js';
import { ESCAPE_TIMEOUT_MS, holdSplitEscapes, splitUnfinishedEscape } from '../../src/ui/key-input.js';
import { FrameStdout, ScriptedStdin, settle } from '../../src/ui/play-script.js';

const SIZE = { columns: 100, rows: 30 };
let kinesis: Model;
let unmount: (() => void) | undefined;

beforeAll(async () => {
  kinesis = (await loadScenario('scenarios/kinesis-error.ts')).model;
});

afterEach(() => {
  unmount?.();
  unmount = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The dashboard reading keys through holdSplitEscapes, as the live shell does over SSH. */
async function dashboard() {
  const controller = new Controller(kinesis, { paused: true });
  const source = new ScriptedStdin();
  const stdout = new FrameStdout(SIZE.columns, SIZE.rows);
  const app = render(createElement(App, { controller, size: SIZE, onQuit: () => {} }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: holdSplitEscapes(source) as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  unmount = () => app.unmount();
  const type = async (bytes: string, waitMs = 0) => {
    source.type(bytes);
    if (waitMs > 0) await sleep(waitMs);
    await settle(controller);
  };
  await settle(controller);
  return { controller, stdout, type };
}

describe('escape sequences split across reads (a slow SSH link)', () => {
  it('tells finished input from an unfinished escape sequence at its end', () => {
    expect(splitUnfinishedEscape('q\x1b[')).toEqual(['q', '\x1b[']);
    expect(splitUnfinishedEscape('\x1b')).toEqual(['', '\x1b']);
    expect(splitUnfinishedEscape('\x1b[1;5')).toEqual(['', '\x1b[1;5']);
    expect(splitUnfinishedEscape('\x1b[B')).toEqual(['\x1b[B', '']);
    expect(splitUnfinishedEscape('\x1bOA')).toEqual(['\x1bOA', '']);
    expect(splitUnfinishedEscape('n')).toEqual(['n', '']);
  });

  it('moves down in the fault menu when a down arrow arrives as ESC, then [B', async () => {
    const { stdout, type } = await dashboard();
    await type('f');
    expect(stdout.lastFrame).toContain('Inject a fault');
    await type('\x1b', 5);
    await type('[B');
    expect(stdout.lastFrame).toContain('Inject a fault');
    expect(stdout.lastFrame).toMatch(/>\* throttle|> *throttle/);
  });

  it('steps once when a right arrow arrives as ESC [, then C', async () => {
    const { controller, type } = await dashboard();
    await type('\x1b[', 5);
    await type('C');
    expect(controller.snapshot.tick).toBe(1);
  });

  it('still reads a lone Esc as Esc, once nothing follows it', async () => {
    const { stdout, type } = await dashboard();
    await type('f');
    expect(stdout.lastFrame).toContain('Inject a fault');
    await type('\x1b', ESCAPE_TIMEOUT_MS * 3);
    expect(stdout.lastFrame).not.toContain('Inject a fault');
    expect(stdout.lastFrame).toContain('1 Sources');
  });
});

describe('Esc followed quickly by a key (issue 16, item 9)', () => {
  it('closes the fault menu with Esc and then quits with q, sent in one write or in two quick reads', async () => {
    for (const reads of [['\x1bq'], ['\x1b', 'q']]) {
      const controller = new Controller(kinesis, { paused: true });
      const source = new ScriptedStdin();
      const stdout = new FrameStdout(SIZE.columns, SIZE.rows);
      let quit = 0;
      const app = render(createElement(App, { controller, size: SIZE, onQuit: () => void (quit += 1) }), {
        stdout: stdout as unknown as NodeJS.WriteStream,
        stdin: holdSplitEscapes(source) as unknown as NodeJS.ReadStream,
        debug: true,
        exitOnCtrlC: false,
        patchConsole: false,
      });
      unmount = () => app.unmount();
      await settle(controller);
      source.type('f');
      await settle(controller);
      expect(stdout.lastFrame).toContain('Inject a fault');
      for (const bytes of reads) {
        source.type(bytes);
        await sleep(5); // well inside ESCAPE_TIMEOUT_MS
      }
      await sleep(ESCAPE_TIMEOUT_MS * 2);
      await settle(controller);
      expect(stdout.lastFrame).not.toContain('Inject a fault');
      expect(quit).toBe(1);
      app.unmount();
      unmount = undefined;
    }
  });
});
