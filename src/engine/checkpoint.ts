/**
 * Checkpoints of a running simulation (docs/checkpoints.md): a deep copy of everything the engine and
 * its modules hold outside the immutable snapshot, so that a run can go on from any checkpoint and
 * produce, byte for byte, what the straight run produced from there.
 *
 * The working state is a graph, not a tree: a timer in the engine's heap carries the batch a module
 * also keeps in its tables, a running invocation carries the module's reference to its batch. So the
 * engine and every module hand their live state to one copy (cloneGraph), which keeps every shared
 * reference shared in the copy. What never changes is not copied but shared: frozen objects (the immer
 * snapshots and what they hold), the model and everything reachable from it, and functions (which must
 * therefore close over nothing that changes: the engine only keeps closures that read the model or
 * build an event at the start of an invocation, see `Simulation.checkpoint`).
 */

/**
 * Deep-copies `root`, keeping shared references shared and cycles intact: Maps, Sets, arrays, typed
 * arrays, Dates, plain objects and class instances (same prototype, own enumerable fields). Frozen
 * objects, objects for which `shared` is true, and functions are kept as they are.
 *
 * @example const copy = cloneGraph({ a, b: [a] }, () => false); copy.b[0] === copy.a // true
 */
export function cloneGraph<T>(root: T, shared: (value: object) => boolean = () => false): T {
  const copies = new Map<object, object>();
  const work: Array<[object, object]> = [];
  // What the copy holds, counted as approximateBytes counts it, while copying (copiedBytes).
  let bytes = 0;
  const copy = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const known = copies.get(value);
    if (known !== undefined) return known;
    if (Object.isFrozen(value) || shared(value)) return value;
    let out: object;
    bytes += 24;
    if (Array.isArray(value)) out = new Array(value.length);
    else if (value instanceof Map) out = new Map();
    else if (value instanceof Set) out = new Set();
    else if (ArrayBuffer.isView(value)) {
      // A Buffer's slice shares its memory: copy bytes into a new one.
      out = Buffer.isBuffer(value) ? Buffer.from(value) : (value as unknown as { slice(): object }).slice();
      bytes += value.byteLength;
      copies.set(value, out);
      return out;
    } else if (value instanceof Date) {
      out = new Date(value.getTime());
      copies.set(value, out);
      return out;
    } else out = Object.create(Object.getPrototypeOf(value) as object | null) as object;
    copies.set(value, out);
    work.push([value, out]);
    return out;
  };
  const result = copy(root);
  while (work.length > 0) {
    const [from, to] = work.pop()!;
    if (Array.isArray(from)) {
      const arr = to as unknown[];
      bytes += 8 * from.length;
      for (let i = 0; i < from.length; i++) arr[i] = copy(from[i]);
    } else if (from instanceof Map) {
      const map = to as Map<unknown, unknown>;
      bytes += 16 * from.size;
      for (const [k, v] of from) map.set(copy(k), copy(v));
    } else if (from instanceof Set) {
      const set = to as Set<unknown>;
      bytes += 8 * from.size;
      for (const v of from) set.add(copy(v));
    } else {
      const src = from as Record<string, unknown>;
      const dst = to as Record<string, unknown>;
      const keys = Object.keys(src);
      bytes += 8 * keys.length;
      for (const k of keys) dst[k] = copy(src[k]);
    }
  }
  if (typeof result === 'object' && result !== null) COPIED_BYTES.set(result, bytes);
  return result as T;
}

const COPIED_BYTES = new WeakMap<object, number>();

/**
 * The approximate bytes `cloneGraph` copied to make `copy` (counted as approximateBytes counts, without
 * what it shared: frozen objects and those `shared` kept), or undefined for anything else. The dashboard
 * budgets its checkpoints with it instead of walking each copy again.
 *
 * @example copiedBytes(cloneGraph(state)) === approximateBytes(cloneGraph(state)) // for a tree of plain data
 */
export function copiedBytes(copy: unknown): number | undefined {
  return typeof copy === 'object' && copy !== null ? COPIED_BYTES.get(copy) : undefined;
}

/**
 * Every object reachable from `root` (the model: specs, handlers' holders, traffic bodies' holders), for
 * `cloneGraph`'s `shared`: the model is never changed by a run, so a checkpoint keeps it by reference.
 *
 * @example const inModel = reachable(model); cloneGraph(state, (o) => inModel.has(o));
 */
export function reachable(root: unknown): WeakSet<object> {
  const seen = new WeakSet<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Map) for (const [k, v] of value) stack.push(k, v);
    else if (value instanceof Set) for (const v of value) stack.push(v);
    else if (!ArrayBuffer.isView(value)) for (const k of Object.keys(value)) stack.push((value as Record<string, unknown>)[k]);
  }
  return seen;
}

/**
 * The approximate bytes a copied graph holds (for the dashboard's checkpoint budget): 8 per field or
 * element plus an object header each, typed arrays by their length (strings are shared, not copied). Shared parts
 * (frozen, `shared`) are not counted: the checkpoint does not hold a copy of them.
 *
 * @example approximateBytes(checkpoint) // 48_000 for a small run
 */
export function approximateBytes(root: unknown, shared: (value: object) => boolean = () => false): number {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  let bytes = 0;
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Object.isFrozen(value) || shared(value)) continue;
    bytes += 24;
    if (ArrayBuffer.isView(value)) bytes += value.byteLength;
    else if (value instanceof Map) {
      bytes += 16 * value.size;
      for (const [k, v] of value) stack.push(k, v);
    } else if (value instanceof Set) {
      bytes += 8 * value.size;
      for (const v of value) stack.push(v);
    } else {
      const keys = Object.keys(value);
      bytes += 8 * keys.length;
      for (const k of keys) stack.push((value as Record<string, unknown>)[k]);
    }
  }
  return bytes;
}
