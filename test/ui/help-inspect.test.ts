/**
 * Issue 14, items 4 and 5: `?` explains the focused pane (or view) first; the inspector wraps long values,
 * decodes Kinesis data beside its base64, shows EventBridge patterns as JSON and says when a queue is empty.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { Controller } from '../../src/ui/controller.js';
import { layout } from '../../src/ui/layout.js';
import { helpRows, inspectLines } from '../../src/ui/Overlays.js';
import { PANE_REGISTRY, type DashboardView } from '../../src/ui/panes.js';
import { initialUiState, update } from '../../src/ui/update.js';
import { VIEWS } from '../../src/ui/views.js';

describe('? explains what is focused first', async () => {
  const model = (await loadScenario('scenarios/kinesis-error.ts')).model;
  const c = new Controller(model, { paused: true });
  const view: DashboardView = { state: c.snapshot, model, layout: layout({ columns: 100, rows: 30 }), logLines: [] };
  const press = (keys: string[]) => keys.reduce((ui, key) => update(ui, { type: 'key', key }, view).ui, initialUiState());

  it('opens on the focused pane\'s legend, wrapped to the overlay, then the keys', () => {
    const ui = press(['2', '?']);
    expect(ui.overlay).toMatchObject({ kind: 'help', about: { title: 'Concurrency' } });
    const rows = helpRows(model, ui.overlay?.kind === 'help' ? ui.overlay.about : undefined, 97).map((r) => r.text);
    expect(rows[0]).toBe('reading Concurrency');
    const legend = rows.slice(1, rows.indexOf('keys')).join(' ');
    expect(legend.replace(/\s+/g, ' ')).toContain('thr: throttles');
    expect(legend).toContain('._-=+*#');
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(97);
    expect(rows).toContain('keys');
  });

  it('in a view, explains the view', () => {
    const ui = press(['m', '?']);
    expect(ui.overlay).toMatchObject({ kind: 'help', about: { title: 'the Metrics view', legend: VIEWS[1].legend } });
  });

  it('every pane has a legend that names its glyphs', () => {
    expect(PANE_REGISTRY.find((p) => p.name === 'sources')!.legend).toMatch(/\[###\|\.\.\]/);
    expect(PANE_REGISTRY.find((p) => p.name === 'inFlight')!.legend).toMatch(/\[##\.\.\]/);
  });
});

describe('the inspector', () => {
  it('wraps long values under their start instead of cutting them', () => {
    const long = 'x'.repeat(150);
    const lines = inspectLines({ message: long }, 60);
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(lines.join('').replace(/\s+/g, '')).toContain(long);
    expect(lines[2]).toMatch(/^ {4}x/);
  });

  it('decodes Kinesis data beside the base64 when it is text, and leaves binary alone', () => {
    const data = Buffer.from('{"order":200}').toString('base64');
    expect(inspectLines({ kinesis: { data } })).toContain(`    (data decoded: {"order":200})`);
    const binary = Buffer.from([0, 159, 146, 150]).toString('base64');
    expect(inspectLines({ kinesis: { data: binary } }).some((l) => l.includes('decoded'))).toBe(false);
  });

  it('shows an EventBridge pattern as JSON, and says an empty queue is empty instead of null', () => {
    const lines = inspectLines({ name: 'r', pattern: '{"source":["orders"]}' });
    expect(lines).toContain('  "pattern": {');
    expect(lines).toContain('      "orders"');
    expect(inspectLines(null)[0]).toMatch(/empty now/);
  });
});
