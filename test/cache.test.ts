import { chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey, openUserCache } from '../src/cache.js';

let base: string;
beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-cache-'));
});
afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
const posix = uid !== undefined;
const root = uid === 0;

describe('the per-user cache (src/cache.ts)', () => {
  it.runIf(posix)('lives in $XDG_CACHE_HOME/lambda-tui, folders 0700 and entries 0600, and reads back what it wrote', () => {
    const cache = openUserCache('jiti', { env: { XDG_CACHE_HOME: base } });
    expect(cache.disabled).toBeUndefined();
    expect(cache.dir).toBe(path.join(base, 'lambda-tui', 'jiti'));
    expect(statSync(path.join(base, 'lambda-tui')).mode & 0o777).toBe(0o700);
    expect(statSync(cache.dir!).mode & 0o777).toBe(0o700);
    const key = cacheKey('x', 'source');
    expect(cache.get(key)).toBeUndefined();
    expect(cache.set(key, 'compiled ✓')).toBe(true);
    expect(cache.get(key)).toBe('compiled ✓');
    expect(statSync(path.join(cache.dir!, key)).mode & 0o777).toBe(0o600);
    // No temporary file is left behind.
    expect(readdirSync(cache.dir!)).toEqual([key]);
  });

  it.runIf(posix)('keeps bytes as they are (V8 code cache entries), and refuses a damaged body', () => {
    const cache = openUserCache('v8', { env: { XDG_CACHE_HOME: base } });
    const key = cacheKey('bytes');
    // Every byte value, none of them valid UTF-8 on its own past 0x7f.
    const bytes = Uint8Array.from({ length: 512 }, (_, i) => (i * 7) % 256);
    expect(cache.setBytes(key, bytes)).toBe(true);
    expect(Buffer.compare(cache.getBytes(key)!, Buffer.from(bytes))).toBe(0);
    // A string entry reads back as its UTF-8 bytes, and bytes that are UTF-8 as the string.
    expect(cache.set(key, 'compiled ✓')).toBe(true);
    expect(cache.getBytes(key)!.toString('utf8')).toBe('compiled ✓');
    const file = path.join(cache.dir!, key);
    const data = readFileSync(file);
    data[data.length - 1] ^= 1;
    writeFileSync(file, data);
    expect(cache.getBytes(key)).toBeUndefined();
    expect(cache.get(key)).toBeUndefined();
  });

  it.runIf(posix)('falls back to $HOME/.cache, then to <tmpdir>/lambda-tui-<uid>', () => {
    expect(openUserCache('jiti', { env: { HOME: base } }).dir).toBe(path.join(base, '.cache', 'lambda-tui', 'jiti'));
    const tmp = path.join(base, 'tmp');
    mkdirSync(tmp, { mode: 0o1777 });
    chmodSync(tmp, 0o1777);
    expect(openUserCache('jiti', { env: { TMPDIR: tmp } }).dir).toBe(path.join(tmp, `lambda-tui-${uid}`, 'jiti'));
  });

  it('keys are sha256 hex and length-prefixed', () => {
    expect(cacheKey('ab', 'c')).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey('ab', 'c')).not.toBe(cacheKey('a', 'bc'));
    expect(cacheKey('ab', 'c')).toBe(cacheKey('ab', 'c'));
  });

  it('is turned off by LAMBDA_TUI_CACHE=0, without an error', () => {
    const cache = openUserCache('jiti', { env: { XDG_CACHE_HOME: base, LAMBDA_TUI_CACHE: '0' } });
    expect(cache.dir).toBeUndefined();
    expect(cache.disabled).toMatch(/LAMBDA_TUI_CACHE/);
    expect(cache.set(cacheKey('k'), 'v')).toBe(false);
    expect(cache.get(cacheKey('k'))).toBeUndefined();
    expect(existsSync(path.join(base, 'lambda-tui'))).toBe(false);
  });

  it.runIf(posix)('is off when its folder is a symbolic link, even to a folder of ours', () => {
    const elsewhere = path.join(base, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, path.join(base, 'lambda-tui'));
    const cache = openUserCache('jiti', { env: { XDG_CACHE_HOME: base } });
    expect(cache.dir).toBeUndefined();
    expect(cache.disabled).toMatch(/symbolic link/);
    expect(cache.set(cacheKey('k'), 'v')).toBe(false);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it.runIf(posix)('is off when its folder is writable by group or others', () => {
    mkdirSync(path.join(base, 'lambda-tui'), { mode: 0o700 });
    chmodSync(path.join(base, 'lambda-tui'), 0o770);
    expect(openUserCache('jiti', { env: { XDG_CACHE_HOME: base } }).disabled).toMatch(/writable by others/);
    chmodSync(path.join(base, 'lambda-tui'), 0o755); // readable is fine: the entries are 0600
    expect(openUserCache('jiti', { env: { XDG_CACHE_HOME: base } }).disabled).toBeUndefined();
  });

  it.runIf(posix)('is off when the folder holding it is writable by others and not sticky', () => {
    chmodSync(base, 0o777);
    expect(openUserCache('jiti', { env: { XDG_CACHE_HOME: base } }).disabled).toMatch(/not sticky/);
    chmodSync(base, 0o1777);
    expect(openUserCache('jiti', { env: { XDG_CACHE_HOME: base } }).disabled).toBeUndefined();
  });

  it.runIf(root)('is off when its folder belongs to another user', () => {
    mkdirSync(path.join(base, 'lambda-tui'), { mode: 0o700 });
    chownSync(path.join(base, 'lambda-tui'), 4242, 4242);
    const cache = openUserCache('jiti', { env: { XDG_CACHE_HOME: base } });
    expect(cache.dir).toBeUndefined();
    expect(cache.disabled).toMatch(/belongs to uid 4242/);
  });

  it.runIf(posix)('never follows an entry that is a symbolic link, and replaces it on write', () => {
    const cache = openUserCache('jiti', { env: { XDG_CACHE_HOME: base } });
    const victim = path.join(base, 'precious.txt');
    writeFileSync(victim, 'mine');
    const key = cacheKey('k');
    symlinkSync(victim, path.join(cache.dir!, key));
    expect(cache.get(key)).toBeUndefined();
    expect(cache.set(key, 'compiled')).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('mine');
    expect(lstatSync(path.join(cache.dir!, key)).isSymbolicLink()).toBe(false);
    expect(cache.get(key)).toBe('compiled');
  });

  it.runIf(posix)('ignores an entry whose body does not match its checksum, a group-writable entry and a hard link', () => {
    const cache = openUserCache('jiti', { env: { XDG_CACHE_HOME: base } });
    const key = cacheKey('k');
    cache.set(key, 'good');
    const file = path.join(cache.dir!, key);
    writeFileSync(file, readFileSync(file, 'utf8').replace('good', 'evil'));
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, 'good');
    chmodSync(file, 0o620);
    expect(cache.get(key)).toBeUndefined();
    chmodSync(file, 0o600);
    expect(cache.get(key)).toBe('good');
    const key2 = cacheKey('k2');
    cache.set(key2, 'two');
    rmSync(path.join(cache.dir!, key2));
    // A hard link to a file elsewhere (nlink 2) is not an entry of ours.
    linkSync(file, path.join(cache.dir!, key2));
    expect(cache.get(key2)).toBeUndefined();
  });

  it.runIf(posix)('refuses keys that are not plain names', () => {
    const cache = openUserCache('jiti', { env: { XDG_CACHE_HOME: base } });
    expect(cache.set('../escape', 'v')).toBe(false);
    expect(cache.get('../escape')).toBeUndefined();
    expect(existsSync(path.join(base, 'lambda-tui', 'escape'))).toBe(false);
    expect(() => openUserCache('../x', { env: { XDG_CACHE_HOME: base } })).toThrow(/not a plain name/);
  });

  it.runIf(posix)('is bounded: the least recently used entries are evicted beyond maxEntries or maxBytes', () => {
    const cache = openUserCache('jiti', { env: { XDG_CACHE_HOME: base }, maxEntries: 3, maxBytes: 10_000 });
    const keys = ['a', 'b', 'c', 'd'].map((k) => cacheKey(k));
    const past = Date.now() / 1000 - 1000;
    keys.slice(0, 3).forEach((key, i) => {
      cache.set(key, `value ${i}`);
      utimesSync(path.join(cache.dir!, key), past + i, past + i);
    });
    expect(cache.get(keys[0])).toBe('value 0'); // a read marks it used: b is now the oldest
    cache.set(keys[3], 'value 3');
    expect(readdirSync(cache.dir!).sort()).toEqual([keys[0], keys[2], keys[3]].sort());
    cache.set(cacheKey('big'), 'x'.repeat(9_000));
    const left = readdirSync(cache.dir!);
    const bytes = left.reduce((sum, name) => sum + statSync(path.join(cache.dir!, name)).size, 0);
    expect(bytes).toBeLessThanOrEqual(10_000);
    expect(left).toContain(cacheKey('big'));
  });
});
