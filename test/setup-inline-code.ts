/**
 * Vitest ends its workers without an 'exit' event, so the folder of inline code a test file's imports
 * wrote (src/import/index.ts, inlineDir) would stay in the temporary directory: each file removes its own.
 * The folder is read from where inlineDir notes it, so that files which import no template load nothing.
 */
import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';

afterAll(() => {
  const key = Symbol.for('lambda-tui.inlineFolder');
  const dir = (globalThis as Record<symbol, unknown>)[key];
  if (typeof dir === 'string') rmSync(dir, { recursive: true, force: true });
  delete (globalThis as Record<symbol, unknown>)[key];
});
