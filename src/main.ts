/**
 * The command line's entry, as bin/lambda-tui.js loads it (bundled into dist/bundle/main.js by
 * scripts/bundle.mjs, or tsc's dist/main.js). env-setup comes first: NO_COLOR and NODE_ENV must be set
 * before Ink's colour library and React are first evaluated (src/ui/env-setup.ts).
 */
import './ui/env-setup.js';
import { cli } from './cli.js';

await cli();
