/**
 * The command line's entry, as bin/lambda-tui.js loads it (bundled into dist/bundle/main.cjs by
 * scripts/bundle.mjs, or tsc's dist/main.js). env-setup comes first: NO_COLOR and NODE_ENV must be set
 * before Ink's colour library and React are first evaluated (src/ui/env-setup.ts). No top-level await:
 * the bundle is CommonJS (src/code-cache.ts). cli() catches what it can and ends the process itself.
 */
import './ui/env-setup.js';
import { cli } from './cli.js';

void cli();
