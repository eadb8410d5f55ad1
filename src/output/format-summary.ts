/**
 * The human-readable summary a headless run prints without --json: what ran, what failed and where each
 * record ended up.
 */
import { formatDuration } from '../lang/duration.js';
import type { Summary } from './summary.js';

export function formatSummary(s: Summary): string {
  const lines: string[] = [];
  lines.push(`${s.scenario}  (seed ${s.seed}, ${formatDuration(s.simulatedMs)} simulated, ${s.traceEvents} trace events)`);
  lines.push('');
  lines.push('functions');
  for (const [name, f] of Object.entries(s.functions)) {
    const d = f.durationMs ? `  p50 ${formatDuration(f.durationMs.p50)} p99 ${formatDuration(f.durationMs.p99)}` : '';
    lines.push(
      `  ${name}: ${plural(f.invocations, 'invocation')}, ${plural(f.errors, 'error')}, ${plural(f.timeouts, 'timeout')}, ` +
        `${plural(f.throttles, 'throttle')}, ${plural(f.coldStarts, 'cold start')}, peak concurrency ${f.peakConcurrency}${d}`,
    );
  }
  if (Object.keys(s.sources).length > 0) {
    lines.push('');
    lines.push('sources');
    for (const [name, src] of Object.entries(s.sources)) {
      // The default bus always exists (DESIGN); an unused one is noise.
      if (name === 'default' && src.kind === 'bus' && src.put === 0) continue;
      const failedTo = Object.entries(src.failedTo)
        .map(([to, n]) => `${n} to ${to}`)
        .join(', ');
      const parts = [
        `${src.put} put`,
        `${src.succeeded} succeeded`,
        `${src.failed} failed${failedTo ? ` (${failedTo})` : ''}`,
        src.expired ? `${src.expired} expired` : '',
        src.filtered ? `${src.filtered} filtered` : '',
        src.inFlight ? `${src.inFlight} in flight` : '',
        src.waiting ? `${src.waiting} waiting` : '',
        src.peakAgeMs ? `peak age ${formatDuration(src.peakAgeMs)}` : '',
      ].filter(Boolean);
      lines.push(`  ${name} (${src.kind}): ${parts.join(', ')}`);
    }
  }
  if (Object.keys(s.destinations).length > 0) {
    lines.push('');
    lines.push('destinations');
    for (const [name, d] of Object.entries(s.destinations)) {
      const by = Object.entries(d.byCondition)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ');
      lines.push(`  ${name} (${d.kind}): ${plural(d.deliveries, 'delivery', 'deliveries')}: ${by}`);
    }
  }
  lines.push('');
  lines.push(
    s.accounting.ok
      ? `accounting: ok, ${s.accounting.records} records each in exactly one state`
      : `accounting: FAILED\n${s.accounting.problems.map((p) => `  ${p}`).join('\n')}`,
  );
  return lines.join('\n') + '\n';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
