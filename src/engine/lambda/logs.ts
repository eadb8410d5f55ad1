/**
 * The CloudWatch lines of an invocation that runs real code, in the text format the Node.js runtime
 * writes (docs/sandbox.md, "Logs"): `START`, the handler's own console lines (timestamp, request id,
 * level, message, tab-separated), `END` and `REPORT` (tab-separated fields, ending with a tab;
 * `Init Duration` on cold starts only).
 */
import type { HandlerLogLine } from './handler-port.js';

/** @example startLine('r-1', '$LATEST') // 'START RequestId: r-1 Version: $LATEST' */
export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

/** @example endLine('r-1') // 'END RequestId: r-1' */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/**
 * A line the handler wrote: console.* lines carry the runtime's prefix, raw stdout/stderr writes
 * (level '') do not.
 *
 * @example consoleLine(Date.UTC(2025, 0, 1), 'r-1', { atMs: 5, level: 'INFO', message: 'hi' })
 * // '2025-01-01T00:00:00.005Z\tr-1\tINFO\thi'
 */
export function consoleLine(epochMs: number, requestId: string, line: HandlerLogLine): string {
  if (line.level === '') return line.message;
  return `${new Date(epochMs + line.atMs).toISOString()}\t${line.requestId ?? requestId}\t${line.level}\t${line.message}`;
}

/** The runtime's line when Lambda stops a handler at its timeout. */
export function timeoutLine(epochMs: number, atMs: number, requestId: string, timeoutMs: number): string {
  return `${new Date(epochMs + atMs).toISOString()} ${requestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}

export interface ReportInput {
  requestId: string;
  durationMs: number;
  memorySize: number;
  maxMemoryUsedMb: number;
  /** Cold starts only: the init phase, which is billed too (on-demand functions since August 2025). */
  initDurationMs?: number;
  /** 'timeout' or 'error' when the runtime reports a status (a timeout, a crash). */
  status?: string;
}

/**
 * @example reportLine({ requestId: 'r-1', durationMs: 12, memorySize: 128, maxMemoryUsedMb: 128 })
 * // 'REPORT RequestId: r-1\tDuration: 12.00 ms\tBilled Duration: 12 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t'
 */
export function reportLine(r: ReportInput): string {
  const billed = Math.ceil(r.durationMs + (r.initDurationMs ?? 0));
  let line = `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${r.memorySize} MB\tMax Memory Used: ${r.maxMemoryUsedMb} MB\t`;
  if (r.initDurationMs !== undefined) line += `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`;
  if (r.status) line += `Status: ${r.status}\t`;
  return line;
}
