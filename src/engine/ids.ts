import { customRandom, urlAlphabet } from 'nanoid';
import type { Rng } from './rng.js';

export interface Ids {
  /** An AWS request id: a lower-case UUID v4 drawn from the seeded rng. */
  requestId(): string;
  /** A short id for batches and internal references, e.g. `b-V1StGXR8`. */
  short(prefix: string): string;
  /** An SQS message id (UUID form, as SQS uses). */
  messageId(): string;
  /**
   * The same draw as `messageId`, as its four 32-bit words (a shared array, valid until the next call):
   * the record store keeps the words and formats the id when it is read (formatUuidWords).
   */
  messageIdWords(): Uint32Array;
}

const HEX = [...'0123456789abcdef'].map((ch) => ch.charCodeAt(0));

/** The 36 characters of a UUID, written in place and read out as one flat string (not a V8 rope). */
const UUID_CHARS = Buffer.alloc(36, '-'.charCodeAt(0));

/** Writes `n`'s 8 hex digits (high nibble first) at `at`, or its low `digits` digits. */
function writeHex(n: number, at: number, digits = 8): void {
  for (let i = digits - 1; i >= 0; i--) {
    UUID_CHARS[at + i] = HEX[n & 0xf];
    n >>>= 4;
  }
}

/** The UUID of four words as `createIds` draws them (c with the variant bits set), as one flat string. */
export function formatUuidWords(a: number, b: number, c: number, d: number): string {
  // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx: a, b's high half, 4 and b's low 12 bits, c's halves, d.
  // Written as characters and read out once as a flat string: built by concatenation, a million
  // message ids are V8 ropes of 16 pieces each, most of an SQS run's heap.
  writeHex(a, 0);
  writeHex(b >>> 16, 9, 4);
  UUID_CHARS[14] = HEX[4];
  writeHex(b & 0xfff, 15, 3);
  writeHex(c >>> 16, 19, 4);
  writeHex(c & 0xffff, 24, 4);
  writeHex(d, 28);
  return UUID_CHARS.toString('latin1');
}

/**
 * Ids from the seeded rng (docs/architecture.md): short ids through nanoid's customRandom, UUIDs from 128
 * random bits. Same seed, same ids.
 *
 * @example const ids = createIds(createRng(1)); ids.requestId(); // 'c0a8…-…'
 */
export function createIds(rng: Rng): Ids {
  const shortId = customRandom(urlAlphabet, 8, (size) => rng.bytes(size));
  const words = new Uint32Array(4);
  const draw = (): Uint32Array => {
    // 128 bits straight from the seeded rng: a UUID is hex, so nanoid's alphabet mapping (which would
    // draw 48 bytes for 32 hex digits) buys nothing here, and a million message ids are a hot path.
    words[0] = rng.u32();
    words[1] = rng.u32();
    // Version 4 and the RFC 4122 variant bits, as real request ids have.
    words[2] = ((rng.u32() & 0x3fffffff) | 0x80000000) >>> 0;
    words[3] = rng.u32();
    return words;
  };
  const uuid = (): string => {
    const w = draw();
    return formatUuidWords(w[0], w[1], w[2], w[3]);
  };
  return {
    requestId: uuid,
    messageId: uuid,
    messageIdWords: draw,
    short: (prefix) => `${prefix}-${shortId()}`,
  };
}
