import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeHeap } from '../../src/engine/heap.js';
import { createIds, formatUuidWords } from '../../src/engine/ids.js';
import { RecordStore } from '../../src/engine/records.js';
import { createRng } from '../../src/engine/rng.js';

describe('ids come from the seeded rng', () => {
  it('gives request ids in AWS form: lower-case UUID v4 with the RFC 4122 variant', () => {
    const ids = createIds(createRng(1));
    for (let i = 0; i < 1000; i++) expect(ids.requestId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives the same ids for the same seed, and different ones for another', () => {
    const draw = (seed: number) => {
      const ids = createIds(createRng(seed));
      return [ids.requestId(), ids.short('b'), ids.messageId()];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('writes each UUID from four 32-bit draws: a, b (version 4 in place of its bits 12-15), c with the variant, d', () => {
    const rng = createRng(5);
    const ids = createIds(createRng(5));
    const hex = (n: number, digits: number) => (n >>> 0).toString(16).padStart(8, '0').slice(8 - digits);
    for (let i = 0; i < 10_000; i++) {
      const a = rng.u32();
      const b = rng.u32();
      const c = ((rng.u32() & 0x3fffffff) | 0x80000000) >>> 0;
      const d = rng.u32();
      const id = i % 2 === 0 ? ids.messageId() : ids.requestId();
      expect(id).toBe(`${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b & 0xfff, 3)}-${hex(c >>> 16, 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`);
    }
  });

  it('draws the same message ids as words, which the record store keeps and formats on read (checkpoints too)', () => {
    const strings = createIds(createRng(9));
    const words = createIds(createRng(9));
    const store = new RecordStore();
    const want: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      want.push(strings.messageId());
      const w = words.messageIdWords();
      expect(formatUuidWords(w[0], w[1], w[2], w[3])).toBe(want[i]);
      // Between them, records with a given id and with none (formatted as source#i).
      store.add('q', w, i, { trafficIndex: 0, i, body: i });
      if (i % 1000 === 0) store.add('s', i % 2000 === 0 ? 'given' : null, i, { trafficIndex: 0, i, body: i });
    }
    const read = () => Array.from({ length: store.size }, (_, id) => store.itemId(id));
    const all = read();
    expect(all.filter((_, id) => store.source(id) === 'q')).toEqual(want);
    expect(all.filter((_, id) => store.source(id) === 's')).toEqual(['given', 's#1000', 'given', 's#3000', 'given']);
    const saved = store.save();
    store.add('q', createIds(createRng(1)).messageIdWords(), 0, { trafficIndex: 0, i: 0, body: 0 });
    store.load(saved);
    expect(read()).toEqual(all);
  });

  it('does not repeat over 200,000 draws', () => {
    const ids = createIds(createRng(3));
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(ids.requestId());
    expect(seen.size).toBe(200_000);
  });
});

describe('the time heap orders by time, then by scheduling order', () => {
  it('pops in (at, seq) order and lists the k soonest without removing them', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), fc.integer({ min: 0, max: 20 }), (ats, k) => {
        const heap = new TimeHeap<{ at: number; seq: number }>();
        ats.forEach((at, seq) => heap.push({ at, seq }));
        const sorted = ats.map((at, seq) => ({ at, seq })).sort((a, b) => a.at - b.at || a.seq - b.seq);
        expect(heap.smallest(k)).toEqual(sorted.slice(0, k));
        expect(heap.size).toBe(ats.length);
        expect([...heap.drain(Infinity)]).toEqual(sorted);
      }),
    );
  });
});
