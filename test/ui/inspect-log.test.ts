/**
 * Issue 14, item 4: enter on the Log opens the line's trace events (a batch's start with its end and
 * bisect, a delivery with its payload); `/` searches the inspector, n / N move between matches; `s`
 * saves the inspected JSON to a new file.
 */
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { Controller } from '../../src/ui/controller.js';
import { layout } from '../../src/ui/layout.js';
import { logLineShown } from '../../src/ui/LogPane.js';
import { type DashboardView, paneBox } from '../../src/ui/panes.js';
import { fileSlug, saveInspected } from '../../src/ui/save-inspect.js';
import { initialUiState, type UiState, update } from '../../src/ui/update.js';

let view: DashboardView;
let dir: string;

beforeAll(async () => {
  const model = (await loadScenario('scenarios/kinesis-error.ts')).model;
  const c = new Controller(model, { paused: true, historySize: 10 });
  // Up to the end of the first failed batch of shard-3, the one that bisects.
  while (!c.logLines().some((l) => l.text.includes('-> bisect'))) await c.seek(c.snapshot.tick + 1);
  view = { state: c.snapshot, model, layout: layout({ columns: 100, rows: 30 }), logLines: c.logLines() };
  dir = await mkdtemp(join(tmpdir(), 'lambda-tui-save-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function keys(names: string[], from: UiState = initialUiState()) {
  let ui = from;
  const commands = [];
  for (const key of names) {
    const result = update(ui, { type: 'key', key }, view);
    ui = result.ui;
    commands.push(...result.commands);
  }
  return { ui, commands };
}

describe('enter on the Log', () => {
  it('opens the marked line (the newest shown) as its trace events: the failed batch with its start and bisect', () => {
    const box = paneBox(view, 'log')!;
    const failed = view.logLines.findIndex((l) => l.text.includes('-> bisect'));
    const scroll = view.logLines.length - 1 - failed;
    // Scrolled so that the failed batch's line is the newest shown (it wraps on two rows at 100 columns).
    let ui = keys(['5']).ui;
    let rows = 0;
    while (logLineShown(view.logLines, box.width, box.height, ui.logScroll)!.line !== view.logLines[failed]) {
      ui = keys(['k'], ui).ui;
      if (++rows > scroll * 3) throw new Error('never reached the failed line');
    }
    const { ui: opened } = keys(['enter'], ui);
    expect(opened.overlay?.kind).toBe('inspect');
    if (opened.overlay?.kind !== 'inspect') return;
    expect(opened.overlay.title).toMatch(/^log 00:\d\d\.\d invoke\.end$/);
    const events = opened.overlay.value as Array<{ type: string; batchId?: string; records?: string[]; errorMessage?: string }>;
    expect(events.map((e) => e.type)).toEqual(['invoke.start', 'invoke.end', 'batch.bisect']);
    expect(events[0].records!.length).toBeGreaterThan(1);
    expect(events[1].errorMessage).toBe('cannot parse order 200');
    expect(opened.overlay.lines.join('\n')).toContain('"type": "batch.bisect"');
  });

  it('says why when the line sums up record puts', () => {
    const puts = { ...view, logLines: view.logLines.filter((l) => l.type === 'record.put') };
    const { ui } = (() => {
      let u = keys(['5']).ui;
      const r = update(u, { type: 'key', key: 'enter' }, puts);
      u = r.ui;
      return { ui: u };
    })();
    expect(ui.overlay).toBeUndefined();
    expect(ui.message?.text).toMatch(/record puts/);
  });
});

describe('/ in the inspector', () => {
  const value = { a: 'first', list: Array.from({ length: 60 }, (_, i) => `item ${i}`), z: 'item last' };
  const open = () => update(initialUiState(), { type: 'inspected', title: 'x', value }, view).ui;

  it('types a search, goes to the first match with enter, n and N round the matches', () => {
    let { ui } = keys(['/', 'i', 't', 'e', 'm', 'space', '5', 'enter'], open());
    expect(ui.overlay).toMatchObject({ kind: 'inspect', query: 'item 5', findDraft: undefined });
    const lines = ui.overlay?.kind === 'inspect' ? ui.overlay.lines : [];
    const hits = lines.flatMap((l, i) => (l.includes('item 5') ? [i] : []));
    expect(hits.length).toBe(11); // item 5, item 50..59
    expect(ui.overlay).toMatchObject({ match: hits[0] });
    ui = keys(['n'], ui).ui;
    expect(ui.overlay).toMatchObject({ match: hits[1] });
    ui = keys(['N', 'N'], ui).ui;
    expect(ui.overlay).toMatchObject({ match: hits[hits.length - 1] });
    expect(ui.message?.text).toBe(`'item 5': match ${hits.length} of ${hits.length}`);
    // The match is on screen.
    const scroll = ui.overlay?.kind === 'inspect' ? ui.overlay.scroll : -1;
    const inner = view.layout!.bodyHeight - 2;
    expect(hits[hits.length - 1]).toBeGreaterThanOrEqual(scroll);
    expect(hits[hits.length - 1]).toBeLessThan(scroll + inner);
  });

  it('says when nothing matches; esc stops the search, a second esc closes', () => {
    let { ui } = keys(['/', 'q', 'x', 'enter'], open());
    expect(ui.message?.text).toBe("no match for 'qx'");
    ui = keys(['/', 'a', 'esc'], ui).ui;
    expect(ui.overlay).toMatchObject({ kind: 'inspect', query: undefined, findDraft: undefined });
    expect(keys(['esc'], ui).ui.overlay).toBeUndefined();
  });

  it('s asks the shell to save the inspected value', () => {
    expect(keys(['s'], open()).commands).toEqual([{ type: 'save', title: 'x', value }]);
    expect(keys(['?', 's']).commands).toEqual([]);
  });
});

describe('saving the inspected JSON', () => {
  it('writes pretty JSON to a new file named after the title, never over an existing one', async () => {
    const first = saveInspected('log 00:11.3 invoke.end', { a: 1 }, dir);
    expect(first).toBe(join(dir, 'lambda-tui-log-00-11.3-invoke.end-1.json'));
    expect(JSON.parse(await readFile(first, 'utf8'))).toEqual({ a: 1 });
    // A planted symlink at the next name is not followed: the name after it is used.
    await symlink(join(dir, 'target'), join(dir, 'lambda-tui-log-00-11.3-invoke.end-2.json'));
    await writeFile(join(dir, 'target'), 'keep');
    const third = saveInspected('log 00:11.3 invoke.end', { b: 2 }, dir);
    expect(third).toBe(join(dir, 'lambda-tui-log-00-11.3-invoke.end-3.json'));
    expect(await readFile(join(dir, 'target'), 'utf8')).toBe('keep');
  });

  it('says why a file cannot be written', () => {
    expect(() => saveInspected('x', 1, join(dir, 'missing', 'folder'))).toThrow(/missing\/folder\/lambda-tui-x-1\.json: ENOENT/);
    expect(fileSlug('../../etc/passwd')).toBe('etc-passwd');
  });
});
