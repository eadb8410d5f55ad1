#!/usr/bin/env node
// The bundled CLI (dist/bundle/main.js, scripts/bundle.mjs) loads as a few files; tsc's build
// (dist/main.js) is the same program as separate modules. Both set up the environment (NO_COLOR, NODE_ENV)
// before Ink's colour library is first imported (src/main.ts).
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/bundle/main.js', import.meta.url);
await import(existsSync(bundled) ? bundled.href : new URL('../dist/main.js', import.meta.url).href);
