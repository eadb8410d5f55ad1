#!/usr/bin/env node
// The bundled CLI (dist/bundle/main.cjs, scripts/bundle.mjs) is one CommonJS file, run with V8's code
// cache (dist/code-cache.js, src/code-cache.ts); tsc's build (dist/main.js) is the same program as
// separate modules. Both set up the environment (NO_COLOR, NODE_ENV) before Ink's colour library is first
// imported (src/main.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundled = fileURLToPath(new URL('../dist/bundle/main.cjs', import.meta.url));
if (existsSync(bundled)) {
  const { runBundle } = await import('../dist/code-cache.js');
  runBundle(bundled);
} else {
  await import('../dist/main.js');
}
