/**
 * The engine's only source of randomness: a seeded sfc32 generator (Chris Doty-Humphrey's small fast
 * counter), so that a run is a function of its seed and inputs (docs/architecture.md, "Time and state").
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** 32 random bits as an unsigned integer. */
  u32(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** Fills a byte array, for nanoid's customRandom. */
  bytes(size: number): Uint8Array;
  /** A standard normal deviate (Box-Muller). */
  normal(): number;
  /** The generator's four words, for a checkpoint (docs/checkpoints.md). */
  save(): [number, number, number, number];
  /** Puts the generator back where `save` found it: the same draws follow. */
  load(words: readonly [number, number, number, number]): void;
}

/**
 * Creates a generator from a 32-bit seed; equal seeds give equal sequences.
 *
 * @example const rng = createRng(1); rng.next(); // same value on every machine
 */
export function createRng(seed: number): Rng {
  // splitmix32 spreads a small seed over the four words of state.
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const nextU32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextU32();
  const next = (): number => nextU32() / 4294967296;
  return {
    next,
    u32: nextU32,
    int: (n) => Math.floor(next() * n),
    bytes(size) {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i++) out[i] = nextU32() & 0xff;
      return out;
    },
    normal() {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    save: () => [a, b, c, d],
    load(words) {
      [a, b, c, d] = words;
    },
  };
}
