/**
 * A watch on the JavaScript heap, for the shells (the headless run, the dashboard): a run whose state
 * will not fit in the memory Node allows is stopped with one line that says so, before V8 aborts the
 * process with "heap out of memory" and a native stack (exit 134). The engine itself stays free of I/O;
 * the shell asks between advances.
 *
 * @example
 * const watch = heapWatch();
 * while (!sim.done) { await sim.advance(); const full = watch.check(); if (full) throw new OutputError(full); }
 */
import v8 from 'node:v8';

/**
 * The share of the old generation's limit above which a run is stopped. V8 collects garbage hard before
 * it gets near its limit, so a heap this full is mostly live data, and the next allocations would abort
 * the process.
 *
 * @example HEAP_STOP_SHARE // 0.85
 */
export const HEAP_STOP_SHARE = 0.85;

/**
 * Wall time between two looks at the heap: a look costs about 8 µs, so this keeps the watch under 0.2%
 * of a run, while a run cannot allocate much between two looks.
 */
const EVERY_MS = 5;

/**
 * A heap watch.
 *
 * @example const problem = heapWatch().check(); // undefined, or the line to print
 */
export interface HeapWatch {
  /** The line to print when the heap is too full to go on (a look at most every EVERY_MS), else undefined. */
  check(simulatedMs?: number): string | undefined;
}

const MB = 1024 * 1024;

/**
 * What to tell a person whose run ran out of memory: how much was used of how much, where the run was,
 * and the three ways out.
 *
 * @example outOfMemoryLine(3.5e9, 4e9, 90_000) // 'the run does not fit in memory: 3338 MB of 3815 MB used at simulated 1m30s; ...'
 */
export function outOfMemoryLine(usedBytes: number, limitBytes: number, simulatedMs?: number): string {
  const at = simulatedMs === undefined ? '' : ` at simulated ${formatSimulated(simulatedMs)}`;
  return (
    `the run does not fit in memory: ${Math.round(usedBytes / MB)} MB of the ${Math.round(limitBytes / MB)} MB Node allows used${at}; ` +
    'shorten it (--duration), lower the traffic rates, or give Node more (NODE_OPTIONS=--max-old-space-size=MB)'
  );
}

function formatSimulated(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(rest).padStart(2, '0')}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** What the watch reads: the old generation's use and its limit, in bytes. */
export interface HeapUse {
  used: number;
  limit: number;
}

/**
 * The old generation, where a run's long-lived state lives, against its limit. V8's heap_size_limit also
 * counts the young generation's reservation (48 MB on 64-bit Node 20: three 16 MB semi-spaces, so
 * `--max-old-space-size=64` reports 112 MB); the young generation is emptied by every scavenge, so what
 * fills up and aborts the process is the rest.
 *
 * @example oldGeneration() // { used: 52_000_000, limit: 67_108_864 } under --max-old-space-size=64
 */
export function oldGeneration(): HeapUse {
  const { heap_size_limit: total } = v8.getHeapStatistics();
  let used = 0;
  for (const space of v8.getHeapSpaceStatistics()) if (space.space_name !== 'new_space') used += space.space_used_size;
  const young = total > 64 * MB ? 48 * MB : total / 2;
  return { used, limit: total - young };
}

/**
 * Starts a heap watch. `share`, `read` and `everyMs` are for tests.
 *
 * @example const watch = heapWatch();
 */
export function heapWatch(options: { share?: number; read?: () => HeapUse; everyMs?: number } = {}): HeapWatch {
  const share = options.share ?? HEAP_STOP_SHARE;
  const read = options.read ?? oldGeneration;
  const everyMs = options.everyMs ?? EVERY_MS;
  let last = -Infinity;
  return {
    check(simulatedMs) {
      const now = performance.now();
      if (now - last < everyMs) return undefined;
      last = now;
      const { used, limit } = read();
      return used > limit * share ? outOfMemoryLine(used, limit, simulatedMs) : undefined;
    },
  };
}
