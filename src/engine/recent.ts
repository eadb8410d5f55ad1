/**
 * A module's last few invocations by request id, kept only when a dashboard reads the views
 * (EngineContext.views): the Log pane's enter on an invocation shows the event its handler received
 * (docs/dashboard.md). A plain array, so that checkpoints (docs/checkpoints.md) copy it with the module's
 * state; a headless run never fills it.
 */

/** At most this many invocations per module are kept. */
export const RECENT_INVOCATIONS = 64;

export interface Kept<T> {
  requestId: string;
  data: T;
}

/** Keeps `data` for `requestId`, dropping the oldest beyond `max`. */
export function keepRecent<T>(list: Array<Kept<T>>, requestId: string, data: T, max = RECENT_INVOCATIONS): void {
  list.push({ requestId, data });
  if (list.length > max) list.shift();
}

/** What was kept for `requestId` (the newest, when an id was kept twice), or undefined. */
export function findRecent<T>(list: ReadonlyArray<Kept<T>>, requestId: string): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i].requestId === requestId) return list[i].data;
  return undefined;
}
