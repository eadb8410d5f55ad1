import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import graph of src/: one direction, no cycles (cli -> ui | output -> engine -> scenario -> lang). Every import counts, type-only
 * and dynamic ones included, since each is a dependency a reader has to follow.
 */
const root = path.resolve(__dirname, '..');
const src = path.join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return files(full);
    return /\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') ? [full] : [];
  });
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

/** The src-relative files a source file imports (relative specifiers only; packages are not in the graph). */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec || !spec.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec).replace(/\.js$/, '');
    const target = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => known.has(f));
    out.push(target ? path.relative(src, target) : `${path.relative(src, base)} (unresolved)`);
  }
  return out;
}

const all = files(src);
const known = new Set(all);
const graph = new Map<string, string[]>(all.map((f) => [path.relative(src, f), importsOf(f, readFileSync(f, 'utf8'))]));

/** Strongly connected components of more than one file (or a file importing itself): the cycles. */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const indexes = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indexes.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!indexes.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexes.get(w)!));
    }
    if (low.get(v) === indexes.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (g.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of g.keys()) if (!indexes.has(v)) visit(v);
  return out;
}

/** Every import from a file under `from` into one of `to` (folders end in '/', files do not). */
function crossing(from: string, to: string[]): string[] {
  const hit = (file: string) => to.some((t) => (t.endsWith('/') ? file.startsWith(t) : file === t));
  return [...graph].flatMap(([file, deps]) => (file.startsWith(from) ? deps.filter(hit).map((d) => `${file} -> ${d}`) : []));
}

describe('the import graph of src/', () => {
  it('reads the imports of every source file', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('cli.ts')).toContain('scenario/load.ts');
    expect([...graph.values()].flat().filter((d) => d.endsWith('(unresolved)'))).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself)', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(importsOf(path.join(src, 'x.ts'), "import type { A } from './cli.js';\nconst m = await import('./ui/App.js');")).toEqual([
      'cli.ts',
      'ui/App.tsx',
    ]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('engine/ imports nothing from ui/, output/ or the CLI', () => {
    expect(crossing('engine/', ['ui/', 'output/', 'cli.ts'])).toEqual([]);
  });

  it('scenario/ imports nothing from engine/ (both use lang/ for the AWS languages)', () => {
    expect(crossing('scenario/', ['engine/', 'ui/', 'output/', 'cli.ts'])).toEqual([]);
  });

  it('lang/ (durations, schedules, event patterns) imports only itself', () => {
    expect(crossing('lang/', ['engine/', 'scenario/', 'ui/', 'output/', 'cli.ts', 'index.ts'])).toEqual([]);
  });
});
