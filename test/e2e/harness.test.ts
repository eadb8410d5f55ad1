import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AsciicastWriter, parseAsciicast } from '../../src/output/asciicast.js';
import { hasAsciinema, killAllTmux, startTmux } from './harness/tmux.js';
import { renderScreen } from './harness/xterm.js';

afterEach(killAllTmux);

describe('a command started in tmux behaves as in a person\'s terminal', () => {
  it('shows what the command printed, while it is still running', async () => {
    const tmux = await startTmux({ command: "bash -c 'printf hello; sleep 5'" });
    expect(await tmux.waitFor('hello', 5_000)).toContain('hello');
    expect(await tmux.exitStatus()).toBeUndefined();
  });

  it('runs without CI and with FORCE_COLOR, so Ink renders live frames', async () => {
    const tmux = await startTmux({
      command: ['bash', '-c', 'echo "CI=${CI-unset} FORCE_COLOR=$FORCE_COLOR"'],
      env: { CI: 'true' },
    });
    await tmux.waitFor('CI=unset FORCE_COLOR=1', 5_000);
  });

  it('keeps the last screen and the exit status after the command ends', async () => {
    const tmux = await startTmux({ command: ['bash', '-c', 'printf "first\\nlast"; exit 3'] });
    expect(await tmux.waitForExit(5_000)).toBe(3);
    expect((await tmux.capture()).split('\n').slice(0, 2)).toEqual(['first', 'last']);
  });

  it('reports the new width to the command after a resize', async () => {
    const tmux = await startTmux({ command: ['bash', '--norc', '--noprofile'], cols: 100, rows: 30 });
    await tmux.sendKeys('tput cols; tput lines', 'Enter');
    await tmux.waitFor(/^100\n30$/m, 5_000);
    await tmux.resize(72, 20);
    await tmux.sendKeys('clear; tput cols; tput lines', 'Enter');
    await tmux.waitFor(/^72\n20$/m, 5_000);
  });

  it('delivers scripted key presses as the bytes a terminal sends', async () => {
    // od shows the bytes it read: an up arrow arrives as ESC [ A, then q, as from a real terminal.
    const tmux = await startTmux({ command: ['bash', '-c', 'stty raw -echo; head -c 4 | od -An -c; sleep 5'] });
    await tmux.press('up');
    await tmux.press('q');
    await tmux.waitFor(/033\s+\[\s+A\s+q/, 5_000);
  });
});

describe('the headless xterm screen', () => {
  it('reads back text the way it is laid out on screen', async () => {
    const lines = await renderScreen('\x1b[2J\x1b[Hab\ncd\x1b[1;2HX', { cols: 10, rows: 3 });
    expect(lines).toEqual(['aX', 'cd', '']);
  });
});

describe('a recording plays in the asciinema player people use', () => {
  // .ci/run installs Debian's asciinema; elsewhere this is skipped rather than failed.
  it.skipIf(!hasAsciinema)('shows the same last screen in `asciinema cat` as in the headless xterm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-tui-cast-'));
    try {
      const cast = new AsciicastWriter({ width: 40, height: 8, timestamp: 0, title: 'harness', mode: 'diff' });
      for (let tick = 0; tick < 5; tick++) {
        cast.frame(tick * 100, `\x1b[32mlambda-tui\x1b[39m  tick ${tick}\n+--------+\n| shard ${'#'.repeat(tick)}\n+--------+`);
      }
      cast.end(500);
      const file = join(dir, 'demo.cast');
      writeFileSync(file, cast.toString());
      // asciinema 2.2's cat opens /dev/tty, so it needs a terminal: the tmux pane is one.
      const tmux = await startTmux({ command: ['asciinema', 'cat', file], cols: 40, rows: 8 });
      expect(await tmux.waitForExit(10_000)).toBe(0);
      const { events } = parseAsciicast(cast.toString());
      const expected = await renderScreen(events.map(([, , data]) => data), { cols: 40, rows: 8, convertEol: false });
      expect(await tmux.capture()).toBe(expected.join('\n').replace(/\n+$/, ''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
