import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listScenarios, loadScenario, ScenarioError } from '../../src/scenario/load.js';

let dir: string;

beforeEach(async () => {
  // Outside the repository and with no node_modules around, as under `npx lambda-tui some/dir/x.ts`.
  dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-tui-load-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, source: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, source);
  return file;
}

/** Loads a file that must fail, and returns the lines of its ScenarioError. */
async function failure(file: string): Promise<string[]> {
  const error = await loadScenario(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  expect((error as ScenarioError).file).toBe(file);
  return (error as ScenarioError).lines;
}

const HELLO = `
import { defineScenario } from 'lambda-tui';

const timeout: string = '5s';

export default defineScenario({
  name: 'hello',
  description: 'one function, called through a queue',
  functions: { processor: { timeout: '5s', handler: async () => ({ ok: true }) } },
  queues: { orders: {} },
  eventSourceMappings: [{ source: 'orders', function: 'processor' }],
});
`;

describe('loadScenario', () => {
  it("loads a TypeScript scenario that imports defineScenario from 'lambda-tui' where lambda-tui is not installed", async () => {
    expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
    const file = await write('hello.ts', HELLO);
    const loaded = await loadScenario(file);
    expect(loaded.file).toBe(file);
    expect(loaded.model.file).toBe(file);
    expect(loaded.model.name).toBe('hello');
    expect(loaded.model.functions.processor.timeoutMs).toBe(5000);
    expect(await loaded.model.functions.processor.handler?.({}, {} as never, () => undefined)).toEqual({ ok: true });
    expect(loaded.model.eventSourceMappings[0]).toMatchObject({ id: 'esm-0', sourceKind: 'sqs', batchSize: 10 });
  });

  it('reads the file again on every load, so an edited scenario is not served from a cache', async () => {
    const file = await write('edit.ts', `export default { name: 'first', functions: {} };`);
    expect((await loadScenario(file)).model.name).toBe('first');
    await writeFile(file, `export default { name: 'second', functions: {} };`);
    expect((await loadScenario(file)).model.name).toBe('second');
  });

  it('says a missing file is missing and points at lambda-tui list', async () => {
    const file = path.join(dir, 'nope.ts');
    expect(await failure(file)).toEqual([`${file}: no such file; run \`lambda-tui list\` to see the scenarios`]);
  });

  it('refuses a directory', async () => {
    const lines = await failure(dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${dir}: is a directory`);
  });

  it('reports a syntax error with the file, line and column', async () => {
    const file = await write('broken.ts', `export default {\n  name: 'x'\n  functions: {},\n};\n`);
    const lines = await failure(file);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${escape(file)}:3:\\d+: syntax error: `));
  });

  it('reports an error thrown while the module runs, with the file and line', async () => {
    const file = await write('throws.ts', `const n: number = 1;\nthrow new Error('no config for ' + n);\nexport default {};\n`);
    const lines = await failure(file);
    expect(lines).toEqual([`${file}:2: failed to load: no config for 1`]);
  });

  it('reports an import that cannot be resolved on one line', async () => {
    const file = await write('imports.ts', `import { x } from './missing.js';\nexport default x;\n`);
    const lines = await failure(file);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${file}`);
    expect(lines[0]).toContain("Cannot find module './missing.js'");
  });

  it('refuses a module without a default export', async () => {
    const file = await write('named.ts', `export const scenario = { name: 'x', functions: {} };\n`);
    expect(await failure(file)).toEqual([
      `${file}: has no default export; end it with export default defineScenario({ name, functions, ... })`,
    ]);
  });

  it('refuses a default export that is not an object', async () => {
    const file = await write('string.ts', `export default 'hello';\n`);
    const lines = await failure(file);
    expect(lines).toEqual([
      `${file}: its default export is a string, not a scenario object; export default defineScenario({ name, functions, ... })`,
    ]);
  });

  it('returns validation errors as lines naming the file, the field and the allowed range', async () => {
    const file = await write(
      'invalid.ts',
      `import { defineScenario } from 'lambda-tui';
export default defineScenario({
  name: 'invalid',
  functions: { processor: { timeout: '20m' as '20m', memorySize: 64 } },
});
`,
    );
    expect(await failure(file)).toEqual([
      `${file}: functions.processor.timeout: '20m' is out of range; allowed 1s..15m`,
      `${file}: functions.processor.memorySize: 64 is out of range; allowed 128..10240`,
    ]);
  });

  it('keeps the file as it was given, relative paths included', async () => {
    const file = await write('rel.ts', `export default { name: 'rel', functions: {} };`);
    const relative = path.relative(process.cwd(), file);
    expect((await loadScenario(relative)).file).toBe(relative);
  });
});

describe('listScenarios', () => {
  it('lists every scenario sorted by file, with broken files listed with their error', async () => {
    await write('b-hello.ts', HELLO);
    await write('a-plain.ts', `export default { name: 'plain', functions: { f: {} } };`);
    await write('c-invalid.ts', `export default { name: 'invalid', description: 'bad limits', functions: { f: { timeout: '1h', memorySize: 1 } } };`);
    await write('d-syntax.ts', `export default {`);
    await write('types.d.ts', `export type X = number;`);
    await write('notes.md', `# not a scenario`);
    await mkdir(path.join(dir, 'sub.ts'));

    const list = await listScenarios(dir);
    expect(list.map((s) => path.basename(s.file))).toEqual(['a-plain.ts', 'b-hello.ts', 'c-invalid.ts', 'd-syntax.ts']);
    expect(list[0]).toEqual({ file: path.join(dir, 'a-plain.ts'), name: 'plain', description: '' });
    expect(list[1]).toEqual({ file: path.join(dir, 'b-hello.ts'), name: 'hello', description: 'one function, called through a queue' });
    expect(list[2]).toEqual({
      file: path.join(dir, 'c-invalid.ts'),
      name: 'invalid',
      description: 'bad limits',
      error: `${path.join(dir, 'c-invalid.ts')}: functions.f.timeout: '1h' is out of range; allowed 1s..15m (and 1 more problem)`,
    });
    expect(list[3].name).toBe('d-syntax');
    expect(list[3].error).toMatch(/syntax error/);
  });

  it('lists a scenario whose handler is a file reference as it runs, not as "is not a function"', async () => {
    await mkdir(path.join(dir, 'src'));
    await write('src/orders.js', `exports.handler = async () => ({ ok: true });`);
    await write('e-file-handler.ts', `export default { name: 'file handler', description: 'handler beside it', functions: { f: { handler: './src/orders.handler' } } };`);
    await write('f-missing-handler.ts', `export default { name: 'missing handler', functions: { f: { handler: './src/nope.handler' } } };`);
    const list = await listScenarios(dir);
    expect(list.find((s) => s.file.endsWith('e-file-handler.ts'))).toEqual({ file: path.join(dir, 'e-file-handler.ts'), name: 'file handler', description: 'handler beside it' });
    expect(list.find((s) => s.file.endsWith('f-missing-handler.ts'))!.error).toMatch(/functions\.f\.handler: '\.\/src\/nope\.handler' no module \.\/src\/nope/);
  });

  it('throws for a missing directory', async () => {
    await expect(listScenarios(path.join(dir, 'nope'))).rejects.toBeInstanceOf(ScenarioError);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
