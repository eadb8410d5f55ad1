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

/**
 * Ids from nanoid's customRandom over the seeded rng (shared/DESIGN.md): same seed, same ids.
 *
 * @example const ids = createIds(createRng(1)); ids.requestId(); // 'c0a8…-…'
 */
export function createIds(rng: Rng): Ids {
  const shortId = customRandom(urlAlphabet, 8, (size) => rng.bytes(size));
  const hex = customRandom(HEX, 32, (size) => rng.bytes(size));
  const uuid = (): string => {
    const h = hex();
    // Version 4 and the RFC 4122 variant, as real request ids have.
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${HEX[8 + (parseInt(h[16], 16) & 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  return {
    requestId: uuid,
    messageId: uuid,
    short: (prefix) => `${prefix}-${shortId()}`,
  };
}
