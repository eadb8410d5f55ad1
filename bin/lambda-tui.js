#!/usr/bin/env node
// NO_COLOR must turn colour off before Ink's colour library is first imported (shared/DESIGN.md,
// terminal facts), so the environment is prepared before the CLI module graph loads.
await import('../dist/ui/env-setup.js');
const { cli } = await import('../dist/cli.js');
await cli();
