/**
 * `s` in the inspector: the inspected value, as pretty JSON, in a new file in the current folder
 * (`lambda-tui-<what>-<n>.json`), never over an existing one. The path, or why it could not be written,
 * is what the header then says.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Files tried before giving up on finding a free name. */
const MAX_TRIES = 1000;

/**
 * A file name part from an inspector title: letters, digits, dots and dashes, at most 60 characters.
 *
 * @example fileSlug('log 00:11.3 invoke.end') // 'log-00-11.3-invoke.end'
 */
export function fileSlug(title: string): string {
  const slug = title.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60);
  return slug === '' ? 'inspect' : slug;
}

/**
 * Writes `value` as JSON to a new file in `dir` named after `title`; returns its absolute path. Throws
 * an Error whose message says why when it cannot be written.
 *
 * @example saveInspected('orders-failed onFailure', payload) // '/home/me/lambda-tui-orders-failed-onFailure-1.json'
 */
export function saveInspected(title: string, value: unknown, dir = process.cwd()): string {
  let text: string;
  try {
    text = `${JSON.stringify(value === undefined ? null : value, null, 2)}\n`;
  } catch (error) {
    throw new Error(`cannot write it as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const base = `lambda-tui-${fileSlug(title)}`;
  for (let n = 1; n <= MAX_TRIES; n++) {
    const path = resolve(join(dir, `${base}-${n}.json`));
    try {
      // 'wx': a new file only, never through an existing name or symlink.
      writeFileSync(path, text, { flag: 'wx', mode: 0o644 });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new Error(`${path}: ${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))}`);
    }
  }
  throw new Error(`${resolve(dir)}: ${MAX_TRIES} files named ${base}-N.json already`);
}
