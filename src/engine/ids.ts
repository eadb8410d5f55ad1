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
/** The character codes of a byte's two hex digits, high and low: one lookup a digit, no shifting loop. */
const HIGH = new Uint8Array(256).map((_, byte) => HEX[byte >> 4]);
const LOW = new Uint8Array(256).map((_, byte) => HEX[byte & 0xf]);

/** The 36 character codes of a UUID, written in place, then made one flat string (not a V8 rope). */
const UUID_CHARS = new Uint8Array(36).fill('-'.charCodeAt(0));

/** Writes the 4 hex digits of `n`'s low 16 bits at `at`. */
function writeHex4(n: number, at: number): void {
  const high = (n >>> 8) & 0xff;
  const low = n & 0xff;
  UUID_CHARS[at] = HIGH[high];
  UUID_CHARS[at + 1] = LOW[high];
  UUID_CHARS[at + 2] = HIGH[low];
  UUID_CHARS[at + 3] = LOW[low];
}

const fromCharCode = String.fromCharCode;

/** The UUID of four words as `createIds` draws them (c with the variant bits set), as one flat string. */
export function formatUuidWords(a: number, b: number, c: number, d: number): string {
  // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx: a, b's high half, 4 and b's low 12 bits, c's halves, d.
  // Written as character codes and made a string once, by String.fromCharCode (a flat one-byte string,
  // without Buffer.toString's checks and call into C++): built by concatenation, a million message ids
  // are V8 ropes of 16 pieces each, most of an SQS run's heap.
  const u = UUID_CHARS;
  writeHex4(a >>> 16, 0);
  writeHex4(a, 4);
  writeHex4(b >>> 16, 9);
  u[14] = HEX[4];
  u[15] = HEX[(b >>> 8) & 0xf];
  u[16] = HIGH[b & 0xff];
  u[17] = LOW[b & 0xff];
  writeHex4(c >>> 16, 19);
  writeHex4(c, 24);
  writeHex4(d >>> 16, 28);
  writeHex4(d, 32);
  // prettier-ignore
  return fromCharCode(
    u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15], u[16], u[17],
    u[18], u[19], u[20], u[21], u[22], u[23], u[24], u[25], u[26], u[27], u[28], u[29], u[30], u[31], u[32], u[33], u[34], u[35],
  );
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
