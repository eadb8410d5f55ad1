import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderKeyTable } from '../../src/ui/keymap.js';
import { renderReadingGuide } from '../../src/ui/reading-guide.js';

describe('keybindings are data: one keymap drives input, the help overlay and the README', () => {
  it("README.md's key table is the one the keymap renders (run `npm run docs:keys` after changing a key)", async () => {
    const readme = await readFile('README.md', 'utf8');
    expect(readme).toContain(renderKeyTable());
  });

  it("README.md's 'Reading the dashboard' is the one the pane registry renders", async () => {
    const readme = await readFile('README.md', 'utf8');
    expect(readme).toContain(renderReadingGuide());
  });
});
