/**
 * `--keys` scripts: scripted key presses that make a dashboard run (and its recording) repeatable.
 *
 *     2s:space 3s:n n n 1s:q
 *
 * Tokens are separated by whitespace. Each token is one press, `[<wait>:]<key>`: the optional wait
 * (`500ms`, `2s`, `1.5s`, `1m`) is how long after the previous press (or after the start, for the first
 * one) the key is pressed. A press without a wait comes DEFAULT_GAP_MS after the previous one.
 */
import { parseDuration } from '../lang/duration.js';

/**
 * Keys with a name, as written in a script.
 *
 * @example NAMED_KEYS.join(', ') // 'space, enter, esc, ...' for help text and error messages
 */
export const NAMED_KEYS = [
  'space',
  'enter',
  'esc',
  'tab',
  'up',
  'down',
  'left',
  'right',
  'backspace',
  'delete',
  'home',
  'end',
  'pageup',
  'pagedown',
  'shift-tab',
] as const;

/**
 * A key with a name (see NAMED_KEYS).
 *
 * @example const pause: NamedKey = 'space';
 */
export type NamedKey = (typeof NAMED_KEYS)[number];

/**
 * A control chord, `ctrl-a` .. `ctrl-z`; `ctrl-c` is the one the dashboard cares about.
 *
 * @example const interrupt: CtrlKey = 'ctrl-c';
 */
export type CtrlKey = `ctrl-${string}`;

/**
 * A key a script can press: a named key, a control chord, or one printable character (`q`, `?`, `+`, `N`).
 * The `string & {}` keeps editor completion for the named keys while admitting single characters.
 *
 * @example const keys: KeyName[] = ['space', 'ctrl-c', 'q', '?'];
 */
export type KeyName = NamedKey | CtrlKey | (string & {});

/**
 * One scripted press: the key, and when it is pressed, in ms from the start of the run.
 *
 * @example const press: KeyPress = { atMs: 2_000, key: 'space' };
 */
export interface KeyPress {
  atMs: number;
  key: KeyName;
}

/**
 * The wait before a press written without one. Not zero: Ink reads stdin in chunks, and presses that
 * arrive together reach it as one chunk (an `esc` followed by `q` would read as alt-q). 100 ms is one
 * default simulation tick and a frame of the live dashboard (10 fps), so every press gets its own
 * read and its own frame, while `n n n` still feels like three quick presses.
 *
 * @example parseKeysScript('n n') // [{ atMs: 100, key: 'n' }, { atMs: 200, key: 'n' }]
 */
export const DEFAULT_GAP_MS = 100;

/**
 * Upper bound on one wait: a longer pause in a script is almost certainly a typo (`2m` for `2s`).
 *
 * @example parseKeysScript('61m:q') // throws KeysScriptError: wait 61m is longer than the 1h limit
 */
export const MAX_WAIT_MS = 3_600_000;

/**
 * Upper bound on presses in one script, so a runaway generated script fails fast instead of running for hours.
 *
 * @example if (presses.length === MAX_PRESSES) console.warn('the script is at its limit');
 */
export const MAX_PRESSES = 10_000;

// Terminal input as xterm (and tmux, and Ink's parser) understands it: arrows in normal cursor mode
// (CSI A..D, not SS3, since Ink does not enable application cursor keys), DEL for backspace.
const KEY_INPUT: Readonly<Record<NamedKey, string>> = {
  space: ' ',
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  backspace: '\x7f',
  delete: '\x1b[3~',
  home: '\x1b[H',
  end: '\x1b[F',
  pageup: '\x1b[5~',
  pagedown: '\x1b[6~',
  'shift-tab': '\x1b[Z',
};

// Other spellings people reach for; each maps to the canonical name so a script has one meaning.
const ALIASES: Readonly<Record<string, NamedKey>> = {
  escape: 'esc',
  return: 'enter',
  pgup: 'pageup',
  pgdn: 'pagedown',
  del: 'delete',
  backtab: 'shift-tab',
};

/**
 * A script that cannot be run, naming the offending token and its position (1-based).
 *
 * @example
 * try { parseKeysScript(argv.keys); } catch (error) {
 *   if (error instanceof KeysScriptError) { console.error(error.message); process.exit(2); }
 *   throw error;
 * }
 */
export class KeysScriptError extends Error {
  constructor(
    message: string,
    /** The token as written, e.g. `2x:q`. */
    readonly token: string,
    /** 1-based position of the token in the script. */
    readonly position: number,
  ) {
    super(message);
    this.name = 'KeysScriptError';
  }
}

const CTRL_PATTERN = /^(?:ctrl|c)[-+]([a-z])$/i;
// A wait prefix looks like a number with an optional unit, then a colon. Anything shaped like that
// is treated as a wait (and refused if malformed) rather than silently read as a key.
const WAIT_PREFIX = /^(\d[\d.]*[a-z]*):(.+)$/i;

/**
 * Canonical name of a key as written in a script, or undefined when it is not a key.
 *
 * @example
 * normalizeKey('Enter');  // 'enter'
 * normalizeKey('C-c');    // 'ctrl-c'
 * normalizeKey('?');      // '?'
 * normalizeKey('spce');   // undefined
 */
export function normalizeKey(written: string): KeyName | undefined {
  // Single characters are case-sensitive: `N` is shift-n, a different key from `n`.
  if ([...written].length === 1) return written.charCodeAt(0) >= 0x20 && written !== '\x7f' ? written : undefined;
  const lower = written.toLowerCase();
  if ((NAMED_KEYS as readonly string[]).includes(lower)) return lower as NamedKey;
  if (lower in ALIASES) return ALIASES[lower];
  const ctrl = CTRL_PATTERN.exec(written);
  if (ctrl) return `ctrl-${ctrl[1].toLowerCase()}`;
  return undefined;
}

function fail(reason: string, token: string, position: number): never {
  throw new KeysScriptError(`--keys: token ${position} "${token}": ${reason}`, token, position);
}

/**
 * Parses a `--keys` script into presses with absolute times. Throws KeysScriptError naming the bad
 * token for an unknown key, a malformed or out-of-range wait, or a script over MAX_PRESSES presses.
 *
 * @example
 * parseKeysScript('2s:space 3s:n n 1s:q');
 * // [{ atMs: 2000, key: 'space' }, { atMs: 5000, key: 'n' }, { atMs: 5100, key: 'n' }, { atMs: 6100, key: 'q' }]
 */
export function parseKeysScript(script: string): KeyPress[] {
  const tokens = script.split(/\s+/).filter((token) => token !== '');
  if (tokens.length > MAX_PRESSES) {
    fail(`a script holds at most ${MAX_PRESSES} presses, this one has ${tokens.length}`, tokens[MAX_PRESSES], MAX_PRESSES + 1);
  }
  const presses: KeyPress[] = [];
  let atMs = 0;
  tokens.forEach((token, index) => {
    const position = index + 1;
    let waitMs = DEFAULT_GAP_MS;
    let written = token;
    const prefixed = WAIT_PREFIX.exec(token);
    if (prefixed) {
      const [, wait, rest] = prefixed;
      if (!/^\d+(?:\.\d+)?(?:ms|s|m)$/.test(wait)) {
        fail(`"${wait}" is not a wait; write it like 500ms, 2s or 1m`, token, position);
      }
      const parsed = parseDuration(wait);
      if (parsed === undefined) fail(`"${wait}" is not a wait; write it like 500ms, 2s or 1m`, token, position);
      if (parsed > MAX_WAIT_MS) fail(`wait ${wait} is longer than the 1h limit`, token, position);
      waitMs = parsed;
      written = rest;
    }
    const key = normalizeKey(written);
    if (key === undefined) {
      fail(
        `unknown key "${written}"; use a single character or one of ${NAMED_KEYS.join(', ')}, ctrl-a..ctrl-z`,
        token,
        position,
      );
    }
    atMs += waitMs;
    presses.push({ atMs, key });
  });
  return presses;
}

/**
 * The bytes a terminal sends for a key, for writing into Ink's stdin or `tmux send-keys -H`.
 * Throws for a name that is not a key (scripts are checked by parseKeysScript first).
 *
 * @example
 * keyToInput('up');     // '\x1b[A'
 * keyToInput('ctrl-c'); // '\x03'
 * keyToInput('q');      // 'q'
 */
export function keyToInput(key: KeyName): string {
  const name = normalizeKey(key);
  if (name === undefined) throw new RangeError(`not a key: ${JSON.stringify(key)}`);
  if (name in KEY_INPUT) return KEY_INPUT[name as NamedKey];
  if (name.startsWith('ctrl-') && name.length === 6) {
    // Ctrl clears the top three bits of the letter: ctrl-a is 0x01, ctrl-c is 0x03 (ETX).
    return String.fromCharCode(name.charCodeAt(5) - 0x60);
  }
  return name;
}
