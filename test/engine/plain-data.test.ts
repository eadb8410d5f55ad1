import { describe, expect, it } from 'vitest';
import { samePlainData } from '../../src/engine/plain-data.js';

describe('samePlainData', () => {
  it('compares plain data structurally', () => {
    expect(samePlainData({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'x' }] })).toBe(true);
    expect(samePlainData({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] })).toBe(false);
    expect(samePlainData([1], { 0: 1 })).toBe(false);
  });

  it('tells an undefined key from a missing one, whichever side has it', () => {
    expect(samePlainData({ k: undefined }, { j: 1 })).toBe(false);
    expect(samePlainData({ j: 1 }, { k: undefined })).toBe(false);
    expect(samePlainData({ k: undefined }, { k: undefined })).toBe(true);
  });
});
