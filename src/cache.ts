/**
 * The per-user cache: one folder that only its user can write, used to keep work that is costly to redo
 * between runs (the scenario loader keeps jiti's TypeScript transform here; the handler sandbox and the
 * start-up path may keep theirs). It is a speed-up, never a requirement: whenever the folder cannot be
 * proven safe the cache is simply off, with no error, and everything is computed again.
 *
 * Where it lives, first that applies:
 *  - `LAMBDA_TUI_CACHE=0` (or `off`, `false`): nowhere, the cache is off;
 *  - `$XDG_CACHE_HOME/lambda-tui` when XDG_CACHE_HOME is an absolute path;
 *  - `$HOME/.cache/lambda-tui` (the XDG default) when HOME is an absolute path and that folder can be made;
 *  - `<tmpdir>/lambda-tui-<uid>` otherwise.
 *
 * Why it is safe on a machine shared with other users (a folder in /tmp with a predictable name is
 * someone else's to create first):
 *  - each folder of the cache is checked with lstat: a real directory (not a symlink), owned by this
 *    user, writable by nobody else; the folder that holds it must not let another user rename it away
 *    (owned by this user or root, and sticky if others may write to it). A check that fails turns the
 *    cache off;
 *  - an entry is opened with O_NOFOLLOW and checked again with fstat (a regular file of this user, one
 *    link, writable by nobody else) before a byte of it is trusted, and carries the sha256 of its body;
 *  - an entry is written 0600 to a fresh temporary name opened with O_CREAT|O_EXCL|O_NOFOLLOW, then renamed
 *    over the final name, so a planted symlink is replaced, never followed;
 *  - each namespace is bounded (bytes and entries): the least recently used entries are evicted.
 *
 * Everything here is synchronous: jiti asks for its transform synchronously.
 *
 * @example
 * const cache = openUserCache('jiti');
 * const key = cacheKey('v1', source);
 * const code = cache.get(key) ?? compile(source);
 * cache.set(key, code);
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  futimesSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  chmodSync,
  type Stats,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Default bounds of one namespace: beyond either, the least recently used entries go.
 *
 * @example openUserCache('jiti', { maxBytes: CACHE_LIMITS.maxBytes / 2 })
 */
export const CACHE_LIMITS = Object.freeze({ maxBytes: 32 * 1024 * 1024, maxEntries: 256 });

/** Entries whose name is not a plain key are never read nor written (no path separators, no dots first). */
const KEY = /^[a-z0-9][a-z0-9_-]{0,127}$/;

/** First line of every entry: the format and the sha256 of the body that follows it. */
const HEADER = 'lambda-tui-cache v1 ';

/** Temporary files older than this are left-overs of a process that died mid-write. */
const STALE_TMP_MS = 60 * 60 * 1000;

/**
 * How to open the cache (tests pass their own environment and bounds).
 *
 * @example openUserCache('jiti', { env: { XDG_CACHE_HOME: '/tmp/x' }, maxEntries: 4 })
 */
export interface UserCacheOptions {
  /** The environment to read LAMBDA_TUI_CACHE, XDG_CACHE_HOME, HOME and TMPDIR from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Bytes one namespace may hold; default CACHE_LIMITS.maxBytes. */
  maxBytes?: number;
  /** Entries one namespace may hold; default CACHE_LIMITS.maxEntries. */
  maxEntries?: number;
}

/**
 * One namespace of the per-user cache. When the cache is off, `dir` is undefined, `disabled` says why,
 * `get` always misses and `set` does nothing.
 *
 * @example
 * const cache = openUserCache('sandbox');
 * if (cache.dir === undefined) debug(`cache off: ${cache.disabled}`);
 */
export interface UserCache {
  readonly dir: string | undefined;
  readonly disabled: string | undefined;
  /** The value stored under `key`, or undefined (a miss, a damaged entry, an entry that is not ours). */
  get(key: string): string | undefined;
  /** Stores `value` under `key`; false when the cache is off or the write failed. Never throws. */
  set(key: string, value: string): boolean;
  /** The bytes stored under `key` (an entry written by setBytes, or a string's UTF-8), or undefined. */
  getBytes(key: string): Buffer | undefined;
  /** Stores `value`'s bytes under `key`, as `set` does a string. */
  setBytes(key: string, value: Uint8Array): boolean;
}

/**
 * A cache key: the sha256, in hex, of the parts (each length-prefixed, so ['ab','c'] and ['a','bc'] differ).
 *
 * @example cacheKey('jiti 2.7.0', JSON.stringify(options), source) // '3f1c…' (64 hex digits)
 */
export function cacheKey(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest('hex');
}

function sha256(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Why a directory may not hold cache entries, or undefined when it is safe. Uses lstat: no symlinks. */
function unsafeDirectory(dir: string, uid: number): string | undefined {
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch (error) {
    return `${dir}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`;
  }
  if (st.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!st.isDirectory()) return `${dir} is not a directory`;
  if (st.uid !== uid) return `${dir} belongs to uid ${st.uid}, not ${uid}`;
  if ((st.mode & 0o022) !== 0) return `${dir} is writable by others (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

/**
 * Why the folder holding a cache folder lets someone else swap it, or undefined. It may be a symlink
 * (a ~/.cache on another disk is common): what counts is the directory it leads to.
 */
function unsafeParent(dir: string, uid: number): string | undefined {
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (error) {
    return `${dir}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`;
  }
  if (!st.isDirectory()) return `${dir} is not a directory`;
  if (st.uid !== uid && st.uid !== 0) return `${dir} belongs to uid ${st.uid}`;
  if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) return `${dir} is writable by others and not sticky`;
  return undefined;
}

/** Makes `dir` (0700) if it is missing, then checks it. Returns why it is unsafe, or undefined. */
function ensureDirectory(dir: string, uid: number): string | undefined {
  let created = false;
  try {
    mkdirSync(dir, { mode: 0o700 });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return `${dir}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be made'}`;
  }
  const problem = unsafeDirectory(dir, uid);
  if (problem === undefined && created) {
    try {
      chmodSync(dir, 0o700); // the umask may have taken bits away, never added them; this is for clarity
    } catch {
      return `${dir}: cannot set its mode`;
    }
  }
  return problem;
}

type Root = { dir: string } | { disabled: string };

/** Finds (and makes) the cache's root folder, or says why there is none. */
function cacheRoot(env: NodeJS.ProcessEnv): Root {
  const setting = (env.LAMBDA_TUI_CACHE ?? '').toLowerCase();
  if (setting === '0' || setting === 'off' || setting === 'false' || setting === 'no') return { disabled: 'turned off by LAMBDA_TUI_CACHE' };
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid === undefined) return { disabled: 'no user id on this platform' };

  const candidates: Array<{ parent: string; dir: string; makeParent: boolean }> = [];
  const xdg = env.XDG_CACHE_HOME;
  const home = env.HOME;
  if (xdg && path.isAbsolute(xdg)) candidates.push({ parent: xdg, dir: path.join(xdg, 'lambda-tui'), makeParent: true });
  else if (home && path.isAbsolute(home)) candidates.push({ parent: path.join(home, '.cache'), dir: path.join(home, '.cache', 'lambda-tui'), makeParent: true });
  const tmp = env.TMPDIR && path.isAbsolute(env.TMPDIR) ? env.TMPDIR : os.tmpdir();
  candidates.push({ parent: tmp, dir: path.join(tmp, `lambda-tui-${uid}`), makeParent: false });

  let last = 'no place for it';
  for (const candidate of candidates) {
    if (candidate.makeParent) {
      try {
        mkdirSync(candidate.parent, { recursive: true, mode: 0o700 });
      } catch {
        last = `${candidate.parent} cannot be made`;
        continue; // a read-only home: try the next place
      }
    }
    const parentProblem = unsafeParent(candidate.parent, uid);
    if (parentProblem) return { disabled: parentProblem };
    const problem = ensureDirectory(candidate.dir, uid);
    if (problem === undefined) return { dir: candidate.dir };
    // A folder that exists but is not safely ours is an alarm, not a reason to look elsewhere.
    if (existsNoFollow(candidate.dir)) return { disabled: problem };
    last = problem;
  }
  return { disabled: last };
}

function existsNoFollow(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

const DISABLED_READ = (): undefined => undefined;
const DISABLED_WRITE = (): boolean => false;

/**
 * Opens one namespace (a subfolder, e.g. 'jiti' or 'sandbox') of the per-user cache. Never throws: a cache
 * that cannot be used comes back turned off, with the reason in `disabled`.
 *
 * @example
 * const cache = openUserCache('jiti');
 * cache.set(cacheKey(source), code);
 * cache.get(cacheKey(source)); // code
 */
export function openUserCache(namespace: string, options: UserCacheOptions = {}): UserCache {
  if (!KEY.test(namespace)) throw new Error(`cache namespace '${namespace}' is not a plain name`);
  const off = (reason: string): UserCache => ({
    dir: undefined,
    disabled: reason,
    get: DISABLED_READ,
    set: DISABLED_WRITE,
    getBytes: DISABLED_READ,
    setBytes: DISABLED_WRITE,
  });
  let root: Root;
  try {
    root = cacheRoot(options.env ?? process.env);
  } catch (error) {
    return off(`cannot be prepared: ${(error as Error).message}`);
  }
  if ('disabled' in root) return off(root.disabled);
  const uid = process.getuid!();
  const dir = path.join(root.dir, namespace);
  const problem = ensureDirectory(dir, uid);
  if (problem) return off(problem);
  const maxBytes = options.maxBytes ?? CACHE_LIMITS.maxBytes;
  const maxEntries = options.maxEntries ?? CACHE_LIMITS.maxEntries;
  const put = (key: string, body: Buffer): boolean => {
    const ok = writeEntry(dir, key, body);
    if (ok) evict(dir, maxBytes, maxEntries);
    return ok;
  };
  return {
    dir,
    disabled: undefined,
    get: (key) => readEntry(dir, key, uid)?.toString('utf8'),
    set: (key, value) => put(key, Buffer.from(value, 'utf8')),
    getBytes: (key) => readEntry(dir, key, uid),
    setBytes: (key, value) => put(key, Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
  };
}

/** Reads one entry's body if it is a plain file of ours with an intact body; marks it used (mtime) for eviction. */
function readEntry(dir: string, key: string, uid: number): Buffer | undefined {
  if (!KEY.test(key)) return undefined;
  let fd: number;
  try {
    fd = openSync(path.join(dir, key), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.uid !== uid || st.nlink !== 1 || (st.mode & 0o022) !== 0) return undefined;
    if (st.size > 64 * 1024 * 1024) return undefined;
    const buffer = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, buffer, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const data = buffer.subarray(0, read);
    // The header is ASCII: the header line is the same whether it is read as bytes or as text.
    const newline = data.indexOf(0x0a);
    if (newline < 0 || data.subarray(0, HEADER.length).toString('latin1') !== HEADER) return undefined;
    const body = data.subarray(newline + 1);
    if (data.subarray(HEADER.length, newline).toString('latin1') !== sha256(body)) return undefined;
    try {
      const now = new Date();
      futimesSync(fd, now, now);
    } catch {
      // Not being able to mark it used only makes it the next to go.
    }
    return body;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Writes one entry 0600 under a fresh name (O_EXCL, O_NOFOLLOW), then renames it into place. */
function writeEntry(dir: string, key: string, body: Buffer): boolean {
  if (!KEY.test(key)) return false;
  const tmp = path.join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    const data = Buffer.concat([Buffer.from(`${HEADER}${sha256(body)}\n`, 'latin1'), body]);
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path.join(dir, key));
    return true;
  } catch {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already gone
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never made
    }
    return false;
  }
}

/** Removes the least recently used entries until the namespace is within its bounds. */
function evict(dir: string, maxBytes: number, maxEntries: number): void {
  try {
    const now = Date.now();
    const entries: Array<{ file: string; size: number; mtimeMs: number }> = [];
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      let st: Stats;
      try {
        st = lstatSync(file);
      } catch {
        continue;
      }
      if (name.startsWith('.tmp-')) {
        if (now - st.mtimeMs > STALE_TMP_MS) unlinkQuietly(file);
        continue;
      }
      if (!KEY.test(name) || !st.isFile()) continue;
      entries.push({ file, size: st.size, mtimeMs: st.mtimeMs });
    }
    let bytes = entries.reduce((sum, e) => sum + e.size, 0);
    if (bytes <= maxBytes && entries.length <= maxEntries) return;
    entries.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.file < b.file ? -1 : 1));
    let count = entries.length;
    for (const entry of entries) {
      if (bytes <= maxBytes && count <= maxEntries) break;
      unlinkQuietly(entry.file);
      bytes -= entry.size;
      count -= 1;
    }
  } catch {
    // A cache that cannot be trimmed now is trimmed on the next write.
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // someone else removed it
  }
}
