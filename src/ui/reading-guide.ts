/**
 * The README's "Reading the dashboard" section, generated from the pane registry (panes.tsx) and the
 * timeline's glyphs (Timeline.tsx), like the key table from the keymap: the docs say what the code draws.
 */
import { PANE_REGISTRY } from './panes.js';
import { TIMELINE_GLYPHS } from './Timeline.js';
import { VIEWS } from './views.js';

/**
 * The section's markdown (without its heading).
 *
 * @example renderReadingGuide().startsWith('| Pane |') // true
 */
export function renderReadingGuide(): string {
  const rows = ['| Pane | What it shows and how to read it |', '| --- | --- |'];
  PANE_REGISTRY.forEach((p, i) => rows.push(`| ${i + 1} ${p.title} | ${p.legend.replace(/\|/g, '\\|')} |`));
  rows.push('');
  const optional = PANE_REGISTRY.filter((p) => p.when !== undefined).map((p) => p.title);
  const rest = PANE_REGISTRY.filter((p) => p.when === undefined).length;
  rows.push(
    `${optional.join(' and ')} show only when the scenario has them (aliases, state machines); panes are numbered in this order among`,
    `those shown, and their number is the key that focuses them: without aliases, ${optional.at(-1)} is ${rest + 1}.`,
  );
  rows.push('');
  rows.push('Three views cover the panes while the run goes on (the time keys keep working; esc or the same key goes back),');
  rows.push('and `z` zooms the focused pane to the whole screen:');
  rows.push('');
  rows.push('| Key | View | What it shows and how to read it |', '| --- | --- | --- |');
  for (const v of VIEWS) rows.push(`| \`${v.key}\` | ${v.title} | ${v.legend.replace(/\|/g, '\\|')} |`);
  rows.push('');
  rows.push('The line above the key hints is the timeline: the whole run, with a glyph where something notable happened');
  rows.push('and `|` at the moment shown (`]` / `[` jump between them, `:` goes to a time):');
  rows.push('');
  rows.push('| Glyph | Meaning |', '| --- | --- |');
  for (const g of Object.values(TIMELINE_GLYPHS)) rows.push(`| \`${g.glyph}\` | ${g.meaning} |`);
  rows.push('| `.` | nothing notable |', '| `\\|` | the cursor: the moment the panes show |');
  return rows.join('\n') + '\n';
}
