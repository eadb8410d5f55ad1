/**
 * A double-ended queue of record store ids in a growable Int32Array ring. The SQS module keeps every
 * backlog (visible, delayed, per message group, retention order) in these, so a queue of a million
 * messages costs four bytes a message and every operation is O(1) amortised: nothing ever scans it.
 */
export class IdDeque {
  private buf: Int32Array;
  private head = 0;
  private count = 0;

  constructor(capacity = 16) {
    this.buf = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends at the back. */
  push(id: number): void {
    if (this.count === this.buf.length) this.grow();
    this.buf[(this.head + this.count) % this.buf.length] = id;
    this.count++;
  }

  /** Inserts at the front (a FIFO message group's failed messages return ahead of the rest). */
  unshift(id: number): void {
    if (this.count === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = id;
    this.count++;
  }

  /** The front id, or -1 when empty. */
  peek(): number {
    return this.count === 0 ? -1 : this.buf[this.head];
  }

  /** The back id, or -1 when empty. */
  peekBack(): number {
    return this.count === 0 ? -1 : this.buf[(this.head + this.count - 1) % this.buf.length];
  }

  /** Removes and returns the front id, or -1 when empty. */
  shift(): number {
    if (this.count === 0) return -1;
    const id = this.buf[this.head];
    this.head = (this.head + 1) % this.buf.length;
    this.count--;
    return id;
  }

  private grow(): void {
    const next = new Int32Array(this.buf.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }
}
