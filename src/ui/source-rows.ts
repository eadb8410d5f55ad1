/**
 * The Sources pane's rows, one renderer per kind of source: streams and tables (a row per shard with its
 * checkpoint against the tip, iterator age, lanes and state), SQS queues and their pollers, functions'
 * async queues, SNS topics, S3 buckets, EventBridge buses, synchronous callers, and a generic ledger row
 * for anything no renderer claims. Each renderer reads its module's exported view state
 * (`state.modules[name]`) and the source ledgers; none computes simulation facts of its own.
 */
import type { AsyncViewState } from '../engine/sources/async.js';
import type { EventBridgeViewState } from '../engine/sources/eventbridge.js';
import type { S3ViewState } from '../engine/sources/s3.js';
import type { SnsViewState } from '../engine/sources/sns.js';
import type { SqsViewState } from '../engine/sources/sqs.js';
import type { ShardConsumerView, StreamViewState } from '../engine/sources/stream.js';
import type { SimState, SourceLedger } from '../engine/state.js';
import type { Model } from '../scenario/model.js';
import { fit, formatClock, formatCount, formatDuration, positionBar, shardLabel, shortId } from './format.js';
import { type PaneRow, wrapRow } from './pane-row.js';

export { wrapRow };
import { shardLabelIn } from './selectors.js';
import { lastCall } from './last-call.js';

/**
 * A renderer for one kind of source: the rows it shows and the ledger names it covers.
 *
 * @example const r: SourceRenderer = (state, model, width) => ({ rows: [], covers: [] });
 */
export type SourceRenderer = (state: SimState, model: Model, width: number, crowded?: boolean) => { rows: PaneRow[]; covers: string[] };

/** A ledger as one short line: where every record is, and where the failed ones went. */
export function ledgerText(ledger: SourceLedger): string {
  const c = ledger.counts;
  // Failures first: where they went is what this row is for, and a narrow pane cuts the end.
  const parts = [`put ${formatCount(ledger.put)}`];
  if (c.failed) {
    const to = Object.entries(ledger.failedTo)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([where, n]) => `${where} ${formatCount(n)}`)
      .join(', ');
    parts.push(`failed ${formatCount(c.failed)}${to ? ` -> ${to}` : ''}`);
  }
  parts.push(`ok ${formatCount(c.succeeded)}`);
  if (c.waiting) parts.push(`waiting ${formatCount(c.waiting)}`);
  if (c.inFlight) parts.push(`in flight ${formatCount(c.inFlight)}`);
  if (c.expired) parts.push(`expired ${formatCount(c.expired)}`);
  if (c.filtered) parts.push(`filtered ${formatCount(c.filtered)}`);
  return parts.join('  ');
}

function ledgerRow(state: SimState, name: string, width = 0): PaneRow[] {
  const ledger = state.sources[name];
  if (!ledger) return [];
  return wrapRow({ text: `  ${ledgerText(ledger)}`, tone: ledger.counts.failed > 0 ? 'warn' : 'dim' }, width, 4);
}

/**
 * Iterator age above which a flowing shard reads `behind`, not `ok`: records wait a minute or more
 * before the function sees them.
 *
 * @example BEHIND_MS // 60_000
 */
export const BEHIND_MS = 60_000;

/** True for a shard a learner should look at first: failing, or far behind its tip. */
function unhealthy(c: ShardConsumerView): boolean {
  return c.status === 'retrying' || c.status === 'bisecting' || c.status === 'blocked' || c.iteratorAgeMs > BEHIND_MS;
}

function consumerStatus(c: ShardConsumerView): { text: string; tone: PaneRow['tone'] } {
  switch (c.status) {
    case 'flowing':
      return c.iteratorAgeMs > BEHIND_MS ? { text: 'behind', tone: 'warn' } : { text: 'ok', tone: 'ok' };
    case 'retrying':
      return { text: `attempt ${c.attempt ?? '?'} of ${c.maxAttempts === undefined || c.maxAttempts < 0 ? 'unlimited' : c.maxAttempts}`, tone: 'warn' };
    case 'bisecting': {
      const depth = Math.max(0, ...c.lanes.map((l) => l.batch?.bisectDepth ?? 0));
      return { text: `bisecting (depth ${depth})`, tone: 'warn' };
    }
    case 'blocked':
      return { text: 'blocked', tone: 'bad' };
    default:
      return { text: 'idle', tone: 'dim' };
  }
}

/** Streams and tables: a header per source, then a row per shard and mapping. */
export const streamRows: SourceRenderer = (state, _model, width, crowded = false) => {
  const view = state.modules.stream as StreamViewState | undefined;
  const rows: PaneRow[] = [];
  const covers: string[] = [];
  if (!view) return { rows, covers };
  const barWidth = Math.max(6, Math.min(20, width - 38));
  for (const source of Object.values(view.sources)) {
    covers.push(source.name);
    const label = source.kind === 'table' ? 'table' : 'stream';
    rows.push({ text: `${label} ${source.name}  ${source.shards.length} ${source.shards.length === 1 ? 'shard' : 'shards'}  put ${formatCount(source.put)}`, tone: 'title' });
    const mappings = new Set(source.shards.flatMap((s) => s.consumers.map((c) => c.mapping)));
    // When the pane cannot show every row, the shards to look at (failing, far behind) come first,
    // the oldest iterator first; otherwise the shards keep their order, so rows do not jump about.
    const pairs = source.shards.flatMap((shard) => shard.consumers.map((c) => ({ shard, c })));
    if (crowded) {
      pairs.sort((a, b) => Number(unhealthy(b.c)) - Number(unhealthy(a.c)) || (unhealthy(a.c) ? b.c.iteratorAgeMs - a.c.iteratorAgeMs : 0));
    }
    for (const { shard, c } of pairs) {
      const status = consumerStatus(c);
      const bar = positionBar(c.checkpoint - shard.trimmed, shard.tip - shard.trimmed, barWidth);
      const busy = c.lanes.filter((l) => l.batch).length;
      const lanes = c.lanes.length > 1 ? `  lanes ${busy}/${c.lanes.length}` : '';
      const batch = c.lanes.find((l) => l.batch)?.batch;
      const batchText = batch ? `  ${batch.batchId} ${batch.size} rec${batch.inFlight ? '' : ' waiting'}` : '';
      const who = mappings.size > 1 ? ` ${c.fn}` : '';
      rows.push({
        text: ` ${shardLabel(shard.shardId, shard.index)}${who} ${bar} age ${formatDuration(c.iteratorAgeMs).padEnd(5)} ${status.text}${lanes}${batchText}`,
        tone: status.tone === 'ok' || status.tone === 'dim' ? undefined : status.tone,
        target: batch ? { title: `${source.name} ${shard.shardId} batch ${batch.batchId}`, module: 'stream', key: batch.batchId } : { title: `${source.name} ${shard.shardId}`, value: { shard, consumer: c } },
        subject: `shard/${source.name}/${shard.shardId}/${c.fn}`,
      });
    }
    rows.push(...ledgerRow(state, source.name, width));
    const last = source.recentFailures[source.recentFailures.length - 1];
    if (last) {
      rows.push(
        ...wrapRow(
          {
            text: `  last failed batch ${last.batchId} (${last.size} rec, ${shardLabelIn(state, last.shardId)})  -> ${last.to} ${last.condition} at ${formatClock(last.t)}`,
            tone: 'bad',
            target: { title: `failed batch ${last.batchId}`, value: last },
          },
          width,
          4,
        ),
      );
    }
  }
  return { rows, covers };
};

/** SQS queues with their pollers (one row per mapping). */
export const sqsRows: SourceRenderer = (state, _model, width) => {
  const view = state.modules.sqs as SqsViewState | undefined;
  const rows: PaneRow[] = [];
  const covers: string[] = [];
  if (!view) return { rows, covers };
  for (const q of Object.values(view.queues)) {
    covers.push(q.name);
    rows.push(
      ...wrapRow(
        {
          text: `queue ${q.name}${q.fifo ? ' (fifo)' : ''}  visible ${formatCount(q.visible)}  in flight ${formatCount(q.inFlight)}  delayed ${formatCount(q.delayed)}  oldest ${formatDuration(q.oldestAgeMs)}`,
          tone: 'title',
          target: { title: `queue ${q.name}: next message`, module: 'sqs', key: q.name },
          subject: `queue/${q.name}`,
        },
        width,
      ),
    );
    const extra = [];
    if (q.invisibleAfterFailure) extra.push(`invisible after failure ${formatCount(q.invisibleAfterFailure)}`);
    if (q.redriven || q.deadLetterQueue) extra.push(`redriven ${formatCount(q.redriven)}${q.deadLetterQueue ? ` -> ${q.deadLetterQueue} (max receives ${q.maxReceiveCount})` : ''}`);
    if (q.fifo && q.groups !== undefined) {
      extra.push(`groups ${q.groups}${q.blockedGroupCount ? `  blocked ${q.blockedGroupCount}: ${(q.blockedGroups ?? []).slice(0, 3).join(', ')}` : ''}`);
    }
    if (extra.length) rows.push(...wrapRow({ text: `  ${extra.join('  ')}`, tone: q.invisibleAfterFailure || q.blockedGroupCount ? 'warn' : 'dim' }, width, 4));
    for (const m of Object.values(view.mappings)) {
      if (m.queue !== q.name) continue;
      rows.push(
        ...wrapRow(
          {
            text: `  -> ${m.fn}${m.enabled ? '' : ' (disabled)'}  pollers ${m.concurrencyTarget}/${m.concurrencyCap}  batches ${m.inFlightBatches}${m.heldBatches ? `  held ${m.heldBatches}` : ''}${m.fillingBatch ? `  filling ${m.fillingBatch}` : ''}`,
            tone: m.heldBatches ? 'warn' : undefined,
          },
          width,
          5,
        ),
      );
    }
    rows.push(...ledgerRow(state, q.name, width));
  }
  return { rows, covers };
};

/** Functions' internal async queues: depth, scheduled retries and the next one due. */
export const asyncRows: SourceRenderer = (state, _model, width, crowded) => {
  const view = state.modules.async as AsyncViewState | undefined;
  const rows: PaneRow[] = [];
  const covers: string[] = [];
  if (!view) return { rows, covers };
  for (const f of Object.values(view.functions)) {
    covers.push(`async:${f.fn}`);
    const ledger = state.sources[`async:${f.fn}`];
    if (crowded && f.queueDepth === 0 && f.scheduledRetries === 0 && f.inFlight === 0 && ledger) {
      // Nothing waits or runs: one line says so, and leaves room for the rest of the pane.
      rows.push(...wrapRow({ text: `async ${f.fn}  idle  ${ledgerText(ledger)}`, tone: ledger.counts.failed > 0 ? 'warn' : undefined }, width));
      continue;
    }
    rows.push(
      ...wrapRow(
        {
          text: `async ${f.fn}  queue ${formatCount(f.queueDepth)}  retries ${formatCount(f.scheduledRetries)}  in flight ${formatCount(f.inFlight)}  oldest ${formatDuration(f.oldestEventAgeMs)}`,
          tone: 'title',
        },
        width,
      ),
    );
    const next = f.nextRetries[0];
    if (next) {
      rows.push({
        text: `  next retry ${shortId(next.eventId, 6)} try ${next.attempt} at ${formatClock(next.at)} (after ${next.reason})`,
        tone: 'warn',
        target: { title: `async event ${next.eventId}`, module: 'async', key: next.eventId },
      });
    }
    rows.push(...ledgerRow(state, `async:${f.fn}`, width));
  }
  return { rows, covers };
};

/** SNS topics, S3 buckets and EventBridge buses: counters, one or two rows each. */
export const fanOutRows: SourceRenderer = (state, _model, width) => {
  const rows: PaneRow[] = [];
  const covers: string[] = [];
  const sns = state.modules.sns as SnsViewState | undefined;
  for (const t of Object.values(sns?.topics ?? {})) {
    covers.push(t.topic);
    rows.push({ text: `topic ${t.topic}  published ${formatCount(t.published)}  deliveries ${formatCount(t.deliveries)}${t.filtered ? `  filtered ${formatCount(t.filtered)}` : ''} -> ${t.subscriptions.join(', ') || 'none'}`, tone: 'title' });
  }
  const s3 = state.modules.s3 as S3ViewState | undefined;
  for (const b of Object.values(s3?.buckets ?? {})) {
    covers.push(b.bucket);
    rows.push({ text: `bucket ${b.bucket}  objects ${formatCount(b.objects)}  notifications ${formatCount(b.notifications)}`, tone: 'title' });
    const key = b.recentKeys[b.recentKeys.length - 1];
    if (key) rows.push({ text: `  last object ${key}`, tone: 'dim' });
  }
  const eb = state.modules.eventbridge as EventBridgeViewState | undefined;
  for (const bus of Object.values(eb?.buses ?? {})) {
    covers.push(bus.bus);
    if (bus.events === 0 && bus.rules.length === 0) continue;
    rows.push({ text: `bus ${bus.bus}  events ${formatCount(bus.events)}  unmatched ${formatCount(bus.unmatched)}`, tone: 'title' });
    for (const r of bus.rules) {
      const next = r.nextFireAtMs !== null ? `  next ${formatClock(r.nextFireAtMs)}` : '';
      rows.push(
        ...wrapRow(
          { text: `  rule ${r.name} (${r.kind === 'schedule' ? r.expression : 'pattern'})  matched ${formatCount(r.matched)} -> ${r.targets.join(', ')}${next}`, target: { title: `rule ${r.name}`, value: r } },
          width,
          4,
        ),
      );
    }
  }
  return { rows, covers };
};

/** Synchronous callers (`cli:fn`, `alb:fn`, `apigateway:fn`): one ledger row each. */
export const syncRows: SourceRenderer = (state, _model, width) => {
  const rows: PaneRow[] = [];
  const covers: string[] = [];
  for (const ledger of Object.values(state.sources)) {
    if (ledger.kind !== 'sync') continue;
    covers.push(ledger.name);
    rows.push(...wrapRow({ text: `${ledger.name}  ${ledgerText(ledger)}`, tone: ledger.counts.failed > 0 ? 'warn' : undefined }, width));
  }
  return { rows, covers };
};

/**
 * The renderers in pane order: where records enter (streams, queues, topics, buckets, buses) before the
 * functions' async queues they feed. A new kind of source adds its renderer here; whatever none covers gets
 * a generic ledger row, so a source is never invisible.
 *
 * @example SOURCE_RENDERERS.length
 */
export const SOURCE_RENDERERS: readonly SourceRenderer[] = [streamRows, sqsRows, fanOutRows, asyncRows, syncRows];

/**
 * Every row of the Sources pane. With `height` (the rows the pane shows), a pane that cannot show them all
 * lists the shards to look at first.
 *
 * @example sourcesRows(controller.snapshot, model, 60).map((r) => r.text)
 */
export const sourcesRows = lastCall(function sourcesRows(state: SimState, model: Model, width: number, height: number = Infinity): PaneRow[] {
  const plain = collectRows(state, model, width, false);
  return plain.length > height ? collectRows(state, model, width, true) : plain;
});

function collectRows(state: SimState, model: Model, width: number, crowded: boolean): PaneRow[] {
  const rows: PaneRow[] = [];
  const covered = new Set<string>();
  for (const render of SOURCE_RENDERERS) {
    const out = render(state, model, width, crowded);
    rows.push(...out.rows);
    for (const name of out.covers) covered.add(name);
  }
  for (const ledger of Object.values(state.sources)) {
    if (covered.has(ledger.name) || (ledger.put === 0 && ledger.kind === 'bus')) continue;
    rows.push(...wrapRow({ text: `${ledger.kind} ${ledger.name}  ${ledgerText(ledger)}`, tone: ledger.counts.failed > 0 ? 'warn' : undefined }, width));
  }
  if (rows.length === 0) rows.push({ text: 'no sources yet', tone: 'dim' });
  return rows.map((r) => ({ ...r, text: fit(r.text, 400) }));
}
