/**
 * A binary min-heap ordered by time, ties broken by insertion sequence (SimPy's event heap), so that two
 * things due at the same millisecond always happen in the order they were scheduled.
 */
export interface HeapEntry {
  at: number;
  seq: number;
}

export class TimeHeap<T extends HeapEntry> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    // Sift up with a hole: parents move down, the item is written once (the same layout as swapping).
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent];
      if (!before(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    const n = items.length;
    if (n > 0) {
      // Sift down with a hole, choosing children as a swapping sift would.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let m = l;
        let child = items[l];
        if (r < n && before(items[r], child)) {
          m = r;
          child = items[r];
        }
        if (!before(child, last)) break;
        items[i] = child;
        i = m;
      }
      items[i] = last;
    }
    return top;
  }

  /** Pops the soonest entry if it is due at or before `t` (entries pushed meanwhile count too). */
  popDue(t: number): T | undefined {
    const items = this.items;
    return items.length > 0 && items[0].at <= t ? this.pop() : undefined;
  }

  /** The k soonest entries, soonest first, without removing them: O(k log k), a frontier walk from the root. */
  smallest(k: number): T[] {
    const items = this.items;
    const out: T[] = [];
    const frontier: number[] = items.length > 0 ? [0] : [];
    while (out.length < k && frontier.length > 0) {
      let best = 0;
      for (let j = 1; j < frontier.length; j++) if (before(items[frontier[j]], items[frontier[best]])) best = j;
      const i = frontier.splice(best, 1)[0];
      out.push(items[i]);
      if (2 * i + 1 < items.length) frontier.push(2 * i + 1);
      if (2 * i + 2 < items.length) frontier.push(2 * i + 2);
    }
    return out;
  }

  /** Pops every entry due at or before `t`, in (at, seq) order. */
  *drain(t: number): Generator<T> {
    while (this.items.length > 0 && this.items[0].at <= t) yield this.pop()!;
  }
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
