import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Model } from '../../src/scenario/model.js';
import { loadScenario } from '../../src/scenario/load.js';
import { App } from '../../src/ui/App.js';
import { Controller } from '../../src/ui/controller.js';
import { KEYMAP, keysLabel, renderKeyTable } from '../../src/ui/keymap.js';
import { keyToInput } from '../../src/ui/keys-script.js';

const strip = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');

let kinesis: Model;
beforeAll(async () => {
  kinesis = (await loadScenario('scenarios/kinesis-error.ts')).model;
});

/** A frame appears a macrotask after a key (DESIGN, terminal facts): poll until it shows `expected`. */
async function until(frame: () => string, expected: string | RegExp, timeoutMs = 5000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const text = strip(frame());
    if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return text;
    if (Date.now() - start > timeoutMs) throw new Error(`frame never showed ${String(expected)}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function dashboard() {
  const controller = new Controller(kinesis, { paused: true, historySize: 50 });
  // On until the batch-info record has reached orders-failed and a batch is in flight.
  while (!(controller.snapshot.destinations['orders-failed'] && Object.keys(controller.snapshot.inFlight).length > 0)) {
    if (controller.snapshot.tick > 3000) throw new Error('kinesis-error never delivered to orders-failed');
    await controller.seek(controller.snapshot.tick + 5);
  }
  const tick = controller.snapshot.tick;
  const onQuit = vi.fn();
  const app = render(<App controller={controller} size={{ columns: 100, rows: 30 }} onQuit={onQuit} />);
  const press = (key: string) => app.stdin.write(keyToInput(key));
  const frame = () => app.lastFrame() ?? '';
  await until(frame, 'Sources');
  return { controller, app, press, frame, onQuit, tick };
}

describe('keys drive the run', () => {
  it('space pauses and resumes', async () => {
    const { controller, press, frame } = await dashboard();
    press('space');
    await until(frame, '> running');
    expect(controller.paused).toBe(false);
    press('space');
    await until(frame, '|| paused');
  });

  it('n and right step one tick; b and left step back', async () => {
    const { controller, press, frame, tick } = await dashboard();
    press('n');
    await until(frame, `tick ${tick + 1} `);
    press('right');
    await until(frame, `tick ${tick + 2} `);
    press('b');
    await until(frame, new RegExp(`tick ${tick + 1} .*<< past \\(live at tick ${tick + 2}\\)`));
    press('left');
    await until(frame, `tick ${tick} `);
    expect(controller.snapshot.tick).toBe(tick);
  });

  it('+ and - change the speed', async () => {
    const { press, frame } = await dashboard();
    press('+');
    await until(frame, 'x20');
    press('-');
    press('-');
    await until(frame, 'x5');
  });

  it('r restarts from t=0', async () => {
    const { press, frame } = await dashboard();
    press('r');
    await until(frame, /t 00:00\.0 +tick 0 /);
    expect(strip(frame())).toContain('restarted from t=0 with the same seed');
  });

  it('q and Ctrl-C quit', async () => {
    const { press, onQuit } = await dashboard();
    press('q');
    press('ctrl-c');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(onQuit).toHaveBeenCalledTimes(2);
  });
});

describe('keys move around the dashboard', () => {
  it('tab and the digits focus panes', async () => {
    const { press, frame } = await dashboard();
    press('tab');
    await until(frame, '[2 Concurrency]');
    press('5');
    await until(frame, '[5 Log]');
    press('1');
    await until(frame, '[1 Sources]');
  });

  it('j/k and arrows move the selection marker', async () => {
    const { press, frame } = await dashboard();
    press('j');
    await until(frame, /\|> shard-0/);
    press('down');
    await until(frame, /\|> shard-1/);
    press('k');
    await until(frame, /\|> shard-0/);
  });

  it('takes presses that arrive in one read one at a time', async () => {
    const { app, frame } = await dashboard();
    app.stdin.write('jj4');
    await until(frame, '[4 Destinations]');
    app.stdin.write('1');
    await until(frame, /\|> shard-1/);
  });

  it('reads an escape sequence split across two writes as one key', async () => {
    const { app, frame } = await dashboard();
    // Terminals may deliver ESC [ B in pieces; Ink's parser must not see a lone Esc and a 'B'.
    app.stdin.write('\x1b[');
    app.stdin.write('B');
    await until(frame, /\|> shard-0/);
  });

  it('enter on a destination shows its payload as AWS-shaped JSON, and a lone esc closes it', async () => {
    const { press, frame } = await dashboard();
    press('4');
    await until(frame, '[4 Destinations]');
    press('enter');
    const shown = await until(frame, 'Inspect orders-failed onFailure RetryAttemptsExhausted');
    expect(shown).toContain('"condition": "RetryAttemptsExhausted"');
    expect(shown).toContain('"KinesisBatchInfo"');
    press('j');
    press('esc');
    await until(frame, '[4 Destinations]');
  });

  it('enter on an in-flight batch shows the Kinesis event the function got', async () => {
    const { press, frame } = await dashboard();
    press('3');
    await until(frame, '[3 In flight]');
    press('enter');
    const shown = await until(frame, 'Inspect processor batch');
    expect(shown).toContain('"eventSource": "aws:kinesis"');
  });

  it('? opens the help, generated from the keymap', async () => {
    const { press, frame } = await dashboard();
    press('?');
    const shown = await until(frame, 'Help');
    for (const b of KEYMAP.filter((k) => k.context === 'dashboard').slice(0, 8)) expect(shown).toContain(b.description);
    press('esc');
    await until(frame, '[1 Sources]');
  });

  it('/ filters the log; esc clears it', async () => {
    const { press, frame } = await dashboard();
    press('/');
    for (const ch of 'bisect') press(ch);
    await until(frame, '/bisect_');
    press('enter');
    const shown = await until(frame, /Log\]=+ \/bisect /);
    expect(shown).toMatch(/-> bisect/);
    press('/');
    press('esc');
    await until(frame, /\[5 Log\]=+\+/);
  });

  it('f opens the fault menu and enter injects the chosen fault as a recorded input', async () => {
    const { controller, press, frame } = await dashboard();
    press('f');
    await until(frame, 'Inject a fault');
    press('j');
    press('j');
    await until(frame, '* fail the next 3 invocations');
    press('enter');
    await until(frame, 'fault 0 injected: fail the next 3 invocations -> processor');
    expect(controller.inputs).toHaveLength(1);
    expect(controller.inputs[0].fault).toMatchObject({ function: 'processor', kind: 'error', count: 3 });
  });
});

describe('renderKeyTable: the README key table comes from the keymap', () => {
  it('has a row for every binding', () => {
    const table = renderKeyTable();
    expect(table.split('\n')[0]).toBe('| Key | Action | Where |');
    for (const b of KEYMAP) expect(table).toContain(`| ${b.description} | ${b.context} |`);
    expect(table).toContain('`space`');
    expect(keysLabel(KEYMAP.find((b) => b.action === 'quit')!)).toBe('q / Ctrl-C');
  });
});
