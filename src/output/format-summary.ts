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
  lines.push(...formatCost(s));
  lines.push('');
  lines.push(
    s.accounting.ok
      ? `accounting: ok, ${s.accounting.records} records each in exactly one state`
      : `accounting: FAILED\n${s.accounting.problems.map((p) => `  ${p}`).join('\n')}`,
  );
  return lines.join('\n') + '\n';
}

/** The cost section: total and month, per function and per billed source, and where the dollars went. */
function formatCost(s: Summary): string[] {
  const c = s.cost;
  const lines = ['', `cost (${c.prices.region} prices of ${c.prices.date}${c.freeTier ? ', free tier prorated' : ''}): ${formatUsd(c.totalUsd)} this run, ${formatUsd(c.monthlyUsd)} a month at this rate`];
  for (const [name, f] of Object.entries(c.functions)) {
    lines.push(`  ${name} (${f.architecture}, ${f.memorySize} MB): ${plural(f.requests, 'request')}, ${f.gbSeconds} GB-s${f.provisionedGbSeconds ? `, ${f.provisionedGbSeconds} GB-s provisioned` : ''}: ${formatUsd(f.usd)}`);
  }
  for (const [name, src] of Object.entries(c.sources)) {
    if (src.usd === 0 && src.requests === 0) continue;
    const extra = [src.emptyReceives ? `${src.emptyReceives} empty receives` : '', src.shardHours ? `${src.shardHours} shard-hours` : ''].filter(Boolean).join(', ');
    lines.push(`  ${name} (${src.kind}): ${plural(src.requests, 'request')}${extra ? ` (${extra})` : ''}: ${formatUsd(src.usd)}`);
  }
  const causes = Object.entries(c.causes)
    .filter(([, usd]) => usd !== 0)
    .map(([cause, usd]) => `${cause} ${formatUsd(usd)}`);
  lines.push(`  by cause: ${causes.length > 0 ? causes.join(', ') : 'nothing billed'}`);
  return lines;
}

/**
 * Dollars with enough digits to see a single request: $1.23 above a dollar, otherwise four significant
 * digits ($0.0001234).
 */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  if (abs >= 1) return `${sign}$${abs.toFixed(2)}`;
  return `${sign}$${Number(abs.toPrecision(4)).toFixed(Math.min(12, Math.max(2, 3 - Math.floor(Math.log10(abs)))))}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
