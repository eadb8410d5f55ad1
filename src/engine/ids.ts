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

const HEX = '0123456789abcdef';

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/**
 * Ids from the seeded rng (shared/DESIGN.md): short ids through nanoid's customRandom, UUIDs from 128
 * random bits. Same seed, same ids.
 *
 * @example const ids = createIds(createRng(1)); ids.requestId(); // 'c0a8…-…'
 */
export function createIds(rng: Rng): Ids {
  const shortId = customRandom(urlAlphabet, 8, (size) => rng.bytes(size));
  const uuid = (): string => {
    // 128 bits straight from the seeded rng: a UUID is hex, so nanoid's alphabet mapping (which would
    // draw 48 bytes for 32 hex digits) buys nothing here, and a million message ids are a hot path.
    const h = hex8(rng.u32()) + hex8(rng.u32()) + hex8(rng.u32()) + hex8(rng.u32());
    // Version 4 and the RFC 4122 variant, as real request ids have.
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${HEX[8 + (parseInt(h[16], 16) & 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  return {
    requestId: uuid,
    messageId: uuid,
    short: (prefix) => `${prefix}-${shortId()}`,
  };
}
