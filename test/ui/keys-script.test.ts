import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GAP_MS,
  KeysScriptError,
  keyToInput,
  MAX_PRESSES,
  parseKeysScript,
} from '../../src/ui/keys-script.js';

describe('a --keys script presses keys at fixed times', () => {
  it('waits each prefix after the previous press', () => {
    expect(parseKeysScript('2s:space 3s:n 1s:q')).toEqual([
      { atMs: 2_000, key: 'space' },
      { atMs: 5_000, key: 'n' },
      { atMs: 6_000, key: 'q' },
    ]);
  });

  it(`presses an unprefixed key ${DEFAULT_GAP_MS}ms after the previous one`, () => {
    expect(parseKeysScript('2s:space 3s:n n n 1s:q').map((press) => press.atMs)).toEqual([
      2_000,
      5_000,
      5_000 + DEFAULT_GAP_MS,
      5_000 + 2 * DEFAULT_GAP_MS,
      6_000 + 2 * DEFAULT_GAP_MS,
    ]);
  });

  it('counts the first wait from the start of the run', () => {
    expect(parseKeysScript('q')).toEqual([{ atMs: DEFAULT_GAP_MS, key: 'q' }]);
    expect(parseKeysScript('0ms:q')).toEqual([{ atMs: 0, key: 'q' }]);
  });

  it('understands milliseconds, fractional seconds and minutes', () => {
    expect(parseKeysScript('500ms:n 1.5s:n 1m:q').map((press) => press.atMs)).toEqual([500, 2_000, 62_000]);
  });

  it('ignores extra whitespace and accepts an empty script', () => {
    expect(parseKeysScript('  1s:q \n')).toEqual([{ atMs: 1_000, key: 'q' }]);
    expect(parseKeysScript('')).toEqual([]);
  });

  it('knows the dashboard keys by name, and single characters as themselves', () => {
    const keys = 'space enter esc tab up down left right backspace q ? + - N : ctrl-c';
    expect(parseKeysScript(keys).map((press) => press.key)).toEqual(keys.split(' '));
  });

  it('reads other common spellings as the canonical key', () => {
    expect(parseKeysScript('Enter ESCAPE return C-c ctrl+C').map((press) => press.key)).toEqual([
      'enter',
      'esc',
      'enter',
      'ctrl-c',
      'ctrl-c',
    ]);
  });

  it('takes the character after a wait literally, even a colon', () => {
    expect(parseKeysScript('1s::')).toEqual([{ atMs: 1_000, key: ':' }]);
  });
});

describe('a bad --keys script is refused with the token that is wrong', () => {
  const refusal = (script: string): KeysScriptError => {
    try {
      parseKeysScript(script);
    } catch (error) {
      if (error instanceof KeysScriptError) return error;
      throw error;
    }
    throw new Error(`accepted ${JSON.stringify(script)}`);
  };

  it('names an unknown key and lists the known ones', () => {
    const error = refusal('1s:space 2s:spce');
    expect(error.message).toContain('token 2 "2s:spce"');
    expect(error.message).toContain('unknown key "spce"');
    expect(error.message).toContain('space, enter, esc');
    expect([error.token, error.position]).toEqual(['2s:spce', 2]);
  });

  it('refuses a wait without a unit or with an unknown unit', () => {
    expect(refusal('2:q').message).toContain('token 1 "2:q": "2" is not a wait');
    expect(refusal('n 3x:q').message).toContain('token 2 "3x:q": "3x" is not a wait');
    expect(refusal('1h:q').message).toContain('"1h" is not a wait');
  });

  it('refuses a wait over an hour, which is almost certainly a typo', () => {
    expect(refusal('61m:q').message).toContain('longer than the 1h limit');
  });

  it('refuses a wait with nothing to press', () => {
    expect(refusal('2s:').message).toContain('token 1 "2s:"');
  });

  it('refuses a script with more presses than the limit', () => {
    expect(refusal(Array(MAX_PRESSES + 1).fill('n').join(' ')).position).toBe(MAX_PRESSES + 1);
  });
});

describe('a scripted press sends the bytes a terminal would', () => {
  it.each([
    ['space', ' '],
    ['enter', '\r'],
    ['esc', '\x1b'],
    ['tab', '\t'],
    ['up', '\x1b[A'],
    ['down', '\x1b[B'],
    ['right', '\x1b[C'],
    ['left', '\x1b[D'],
    ['backspace', '\x7f'],
    ['ctrl-c', '\x03'],
    ['q', 'q'],
    ['?', '?'],
    ['+', '+'],
  ])('%s is %j', (key, bytes) => {
    expect(keyToInput(key)).toBe(bytes);
  });

  it('refuses a name that is not a key', () => {
    expect(() => keyToInput('nope')).toThrow(/not a key: "nope"/);
  });
});
