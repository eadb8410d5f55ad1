import { customRandom, urlAlphabet } from 'nanoid';
import type { Rng } from './rng.js';

export interface Ids {
  /** An AWS request id: a lower-case UUID v4 drawn from the seeded rng. */
  requestId(): string;
  /** A short id for batches and internal references, e.g. `b-V1StGXR8`. */
  short(prefix: string): string;
  /** An SQS message id (UUID form, as SQS uses). */
  messageId(): string;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex16(n: number): string {
  return BYTE_HEX[n >>> 24] + BYTE_HEX[(n >>> 16) & 0xff];
}

function hex16lo(n: number): string {
  return BYTE_HEX[(n >>> 8) & 0xff] + BYTE_HEX[n & 0xff];
}

/**
 * Ids from the seeded rng (docs/architecture.md): short ids through nanoid's customRandom, UUIDs from 128
 * random bits. Same seed, same ids.
 *
 * @example const ids = createIds(createRng(1)); ids.requestId(); // 'c0a8…-…'
 */
export function createIds(rng: Rng): Ids {
  const shortId = customRandom(urlAlphabet, 8, (size) => rng.bytes(size));
  const uuid = (): string => {
    // 128 bits straight from the seeded rng: a UUID is hex, so nanoid's alphabet mapping (which would
    // draw 48 bytes for 32 hex digits) buys nothing here, and a million message ids are a hot path.
    const a = rng.u32();
    const b = rng.u32();
    // Version 4 and the RFC 4122 variant bits, as real request ids have.
    const c = ((rng.u32() & 0x3fffffff) | 0x80000000) >>> 0;
    const d = rng.u32();
    return `${hex16(a)}${hex16lo(a)}-${hex16(b)}-${BYTE_HEX[0x40 | ((b >>> 8) & 0x0f)]}${BYTE_HEX[b & 0xff]}-${hex16(c)}-${hex16lo(c)}${hex16(d)}${hex16lo(d)}`;
  };
  return {
    requestId: uuid,
    messageId: uuid,
    short: (prefix) => `${prefix}-${shortId()}`,
  };
}
