/**
 * The README and docs/ as a new user reads them: every bundled file they name exists, the worked sweep's
 * figures are what the command prints today, and every sweep command they show runs.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const BIN = path.resolve('bin/lambda-tui.js');
const DOCS = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The `lambda-tui sweep ...` commands of a document, continuation lines joined, shell-split (single quotes only). */
function sweepCommands(text: string): string[][] {
  const lines = text.split('\n');
  const out: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*(npx )?lambda-tui sweep \S+\.ts /.test(lines[i])) continue;
    let command = lines[i];
    while (command.trimEnd().endsWith('\\')) command = command.trimEnd().slice(0, -1) + ' ' + lines[++i].trim();
    command = command.replace(/\s[>|].*$/, '').replace(/"\$i\/(\d+)"/g, '1/$1');
    const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
    out.push(words.slice(words.indexOf('sweep')));
  }
  return out;
}

describe('README and docs/: the examples are true today', () => {
  it.each(DOCS)('%s names only bundled scenarios and examples that exist', (doc) => {
    const text = readFileSync(doc, 'utf8');
    const named = [...text.matchAll(/\b(?:scenarios|examples)\/[A-Za-z0-9_./-]+/g)].map((m) => m[0].replace(/[.)]+$/, ''));
    const missing = named.filter((p) => !/\.handler$/.test(p) && !existsSync(p));
    expect(missing).toEqual([]);
  });

  it("README's worked sweep prints the figures the README shows", async () => {
    const readme = readFileSync('README.md', 'utf8');
    const shown = /```\n( {2}# {2}batchSize[\s\S]*?)```/.exec(readme)![1];
    const [command] = sweepCommands(readme);
    expect(command).toContain('--objective');
    const r = await cli(command);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(shown);
  }, 60_000);

  it.each(DOCS.flatMap((doc) => sweepCommands(readFileSync(doc, 'utf8')).map((c) => [doc, c.join(' ')] as const)))(
    '%s: `lambda-tui %s` runs (for 1 simulated second)',
    async (_doc, _text) => {
      const command = sweepCommands(readFileSync(_doc, 'utf8')).find((c) => c.join(' ') === _text)!;
      const r = await cli([...command.filter((w, i, all) => w !== '--duration' && all[i - 1] !== '--duration'), '--duration', '1s']);
      expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('sweep: '))).toEqual([]);
      expect(r.code).toBe(0);
    },
    60_000,
  );
});
