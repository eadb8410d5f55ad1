/**
 * Side-effect module: adjusts the environment before Ink and its colour library read it. ES modules
 * evaluate their imports in order, so the CLI must import this first, above `ink` and anything that
 * imports it; chalk decides its colour level once, when it is first evaluated.
 *
 * @example
 * // src/cli.ts
 * import './ui/env-setup.js';
 * import { render } from 'ink';
 */
import { applyNoColor } from './terminal.js';

applyNoColor(process.env);

// React reads NODE_ENV once, when first loaded; its development build renders the dashboard about twice
// as slowly and checks nothing a user needs.
process.env.NODE_ENV ??= 'production';
