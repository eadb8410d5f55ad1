/**
 * Prices a run's usage (usage.ts) with a price table (prices.ts): the summary's `cost` section
 * (docs/cost.md). Every dollar lands in exactly one cause, and `totalUsd` is the sum of the causes.
 */
import type { FunctionModel, Model } from '../scenario/model.js';
import type { PriceTable } from './prices.js';
import { INVOCATION_CAUSES, type Usage } from './usage.js';

/** A month as AWS's pricing calculator counts it: 730 hours. */
export const MONTH_MS = 730 * 3_600_000;

/** Where the dollars went. The first six names are fixed by issue 15; the rest complete the sum. */
export interface CostCauses {
  /** Requests and duration of first attempts (an SQS batch received for the first time, a first try). */
  firstAttempts: number;
  /** Requests and duration of retries: asynchronous retries, stream batch retries and bisected halves. */
  retries: number;
  /** Requests and duration of SQS batches whose messages came back after a visibility timeout. */
  redrives: number;
  /** Billed INIT duration of on-demand cold starts. */
  coldStarts: number;
  /** Provisioned concurrency's enabled time, whether or not anything ran on it. */
  provisionedIdle: number;
  /** SQS receives (empty long polls of idle pollers included) and deletes by event source mappings. */
  polling: number;
  /** What traffic put in: SQS sends, SNS publishes, EventBridge custom events, Kinesis PUT units. */
  ingest: number;
  /** Sends to destinations and dead-letter queues (SQS, SNS, EventBridge). */
  deliveries: number;
  /** Kinesis shard-hours. */
  shardHours: number;
  /** The always-free allowances, prorated to the simulated time (0, or negative with --free-tier). */
  freeTier: number;
}

export interface FunctionCost {
  architecture: string;
  memorySize: number;
  /** Billed requests: every invocation that started, retries included. */
  requests: number;
  /** Billed GB-seconds: duration (on demand and on provisioned concurrency) plus billed INIT. */
  gbSeconds: number;
  /** GB-seconds of provisioned concurrency's enabled time. */
  provisionedGbSeconds: number;
  usd: number;
}

export interface SourceCost {
  kind: string;
  /** Billable request units: SQS requests, SNS publishes, EventBridge events or Kinesis PUT units. */
  requests: number;
  /** SQS: receives that returned nothing (idle pollers' long polls), part of `requests`. */
  emptyReceives?: number;
  /** Kinesis: shard-hours so far. */
  shardHours?: number;
  usd: number;
}

export interface CostSummary {
  currency: 'USD';
  /** The price table used: its region, source and date. */
  prices: { region: string; source: string; date: string };
  freeTier: boolean;
  /** Equal to the sum of `causes`. */
  totalUsd: number;
  /** The same usage for a 730-hour month at the simulated rate (provisioned concurrency and shards all month). */
  monthlyUsd: number;
  functions: Record<string, FunctionCost>;
  sources: Record<string, SourceCost>;
  causes: CostCauses;
}

export interface CostInput {
  model: Model;
  usage: Usage;
  simulatedMs: number;
  /** SQS receives per queue, from the SQS module's view (receives, empty long polls). */
  receives: Record<string, { receives: number; emptyReceives: number }>;
}

export interface CostOptions {
  prices: PriceTable;
  freeTier?: boolean;
}

/** USD values keep 12 significant digits: far below any single billed unit, and free of float noise. */
const DIGITS = 12;

/**
 * The `cost` section of a summary.
 *
 * @example
 * const cost = priceUsage({ model, usage: sim.usage.snapshot(), simulatedMs, receives }, { prices: US_EAST_1 });
 */
export function priceUsage(input: CostInput, options: CostOptions): CostSummary {
  const { simulatedMs } = input;
  const p = options.prices;
  const raw = rawCosts(input, p, simulatedMs);
  const causes = { ...raw.causes };
  const monthly = monthlyCauses(input, p, raw);
  if (options.freeTier) {
    causes.freeTier = -freeTierCredit(raw.quantities, p, simulatedMs / MONTH_MS);
    monthly.freeTier = -freeTierCredit(scaleQuantities(raw.quantities, simulatedMs > 0 ? MONTH_MS / simulatedMs : 0), p, 1);
  }
  const rounded = roundCauses(causes);
  return {
    currency: 'USD',
    prices: { region: p.region, source: p.source, date: p.date },
    freeTier: options.freeTier === true,
    totalUsd: sumCauses(rounded),
    monthlyUsd: sumCauses(roundCauses(monthly)),
    functions: Object.fromEntries(Object.entries(raw.functions).map(([name, f]) => [name, { ...f, usd: round(f.usd), gbSeconds: round6(f.gbSeconds), provisionedGbSeconds: round6(f.provisionedGbSeconds) }])),
    sources: Object.fromEntries(Object.entries(raw.sources).map(([name, s]) => [name, { ...s, usd: round(s.usd), ...(s.shardHours !== undefined ? { shardHours: round6(s.shardHours) } : {}) }])),
    causes: rounded,
  };
}

interface Quantities {
  /** Lambda requests and GB-s of functions without provisioned concurrency (the free tier covers only them). */
  freeLambdaRequests: number;
  freeLambdaGbSeconds: number;
  /** Their on-demand duration rate, per function, to value the free GB-s at (x86_64 and arm64 differ). */
  gbSecondsByRate: Array<{ gbSeconds: number; rate: number }>;
  sqsRequests: Array<{ requests: number; rate: number }>;
  snsPublishes: number;
}

interface Raw {
  causes: CostCauses;
  functions: Record<string, FunctionCost>;
  sources: Record<string, SourceCost>;
  quantities: Quantities;
  /** The per-run cost of enabled provisioned concurrency and shard-hours, which monthly recomputes. */
  provisionedIdleUsd: number;
  shardHoursUsd: number;
}

function rawCosts(input: CostInput, p: PriceTable, simulatedMs: number): Raw {
  const { model, usage } = input;
  const causes: CostCauses = {
    firstAttempts: 0,
    retries: 0,
    redrives: 0,
    coldStarts: 0,
    provisionedIdle: 0,
    polling: 0,
    ingest: 0,
    deliveries: 0,
    shardHours: 0,
    freeTier: 0,
  };
  const quantities: Quantities = { freeLambdaRequests: 0, freeLambdaGbSeconds: 0, gbSecondsByRate: [], sqsRequests: [], snsPublishes: 0 };
  const functions: Record<string, FunctionCost> = {};
  for (const [name, u] of Object.entries(usage.functions)) {
    const fn = model.functions[name];
    const rates = p.lambda[fn.architecture];
    let requests = 0;
    let mbMs = u.initMbMs;
    let usd = 0;
    for (const cause of INVOCATION_CAUSES) {
      const cost =
        u.requests[cause] * p.lambda.requestUsd +
        (u.onDemandMbMs[cause] / MB_MS_PER_GB_S) * rates.gbSecondUsd +
        (u.provisionedMbMs[cause] / MB_MS_PER_GB_S) * rates.provisionedDurationGbSecondUsd;
      causes[cause] += cost;
      usd += cost;
      requests += u.requests[cause];
      mbMs += u.onDemandMbMs[cause] + u.provisionedMbMs[cause];
    }
    const init = (u.initMbMs / MB_MS_PER_GB_S) * rates.gbSecondUsd;
    causes.coldStarts += init;
    usd += init;
    // Provisioned concurrency is billed from when it is enabled, in 5-minute steps (docs/cost.md).
    const roundingMs = p.lambda.provisionedRoundingSeconds * 1000;
    const provisionedMb = provisionedMemoryMb(fn);
    const enabledMs = provisionedMb > 0 ? Math.ceil(simulatedMs / roundingMs) * roundingMs : 0;
    const provisionedGbSeconds = (provisionedMb * enabledMs) / MB_MS_PER_GB_S;
    const idle = provisionedGbSeconds * rates.provisionedGbSecondUsd;
    causes.provisionedIdle += idle;
    usd += idle;
    const gbSeconds = mbMs / MB_MS_PER_GB_S;
    if (provisionedMb === 0) {
      quantities.freeLambdaRequests += requests;
      quantities.freeLambdaGbSeconds += gbSeconds;
      quantities.gbSecondsByRate.push({ gbSeconds, rate: rates.gbSecondUsd });
    }
    functions[name] = { architecture: fn.architecture, memorySize: fn.memorySize, requests, gbSeconds, provisionedGbSeconds, usd };
  }

  const sources: Record<string, SourceCost> = {};
  let shardHoursUsd = 0;
  for (const [name, u] of Object.entries(usage.sources)) {
    const sent = u.requests.ingest + u.requests.deliveries;
    if (u.kind === 'queue') {
      const rate = model.queues[name].fifo ? p.sqs.fifoRequestUsd : p.sqs.standardRequestUsd;
      const r = input.receives[name] ?? { receives: 0, emptyReceives: 0 };
      const polls = r.receives + r.emptyReceives + u.deletes;
      causes.ingest += u.requests.ingest * rate;
      causes.deliveries += u.requests.deliveries * rate;
      causes.polling += polls * rate;
      quantities.sqsRequests.push({ requests: sent + polls, rate });
      sources[name] = { kind: u.kind, requests: sent + polls, emptyReceives: r.emptyReceives, usd: (sent + polls) * rate };
    } else if (u.kind === 'topic') {
      causes.ingest += u.requests.ingest * p.sns.publishUsd;
      causes.deliveries += u.requests.deliveries * p.sns.publishUsd;
      quantities.snsPublishes += sent;
      sources[name] = { kind: u.kind, requests: sent, usd: sent * p.sns.publishUsd };
    } else if (u.kind === 'bus') {
      causes.ingest += u.requests.ingest * p.eventbridge.customEventUsd;
      causes.deliveries += u.requests.deliveries * p.eventbridge.customEventUsd;
      sources[name] = { kind: u.kind, requests: sent, usd: sent * p.eventbridge.customEventUsd };
    } else if (u.kind === 'stream') {
      const shardHours = (model.streams[name].shardCount * simulatedMs) / 3_600_000;
      const hoursUsd = shardHours * p.kinesis.shardHourUsd;
      causes.ingest += u.requests.ingest * p.kinesis.putUnitUsd;
      causes.deliveries += u.requests.deliveries * p.kinesis.putUnitUsd;
      causes.shardHours += hoursUsd;
      shardHoursUsd += hoursUsd;
      sources[name] = { kind: u.kind, requests: sent, shardHours, usd: sent * p.kinesis.putUnitUsd + hoursUsd };
    } else {
      // DynamoDB tables and S3 buckets: their own charges (writes, storage, requests) are outside the model;
      // Lambda's reads of a DynamoDB stream and S3's event notifications are free.
      sources[name] = { kind: u.kind, requests: 0, usd: 0 };
    }
  }
  return { causes, functions, sources, quantities, provisionedIdleUsd: causes.provisionedIdle, shardHoursUsd };
}

/** The month: usage scaled from the simulated time, provisioned concurrency and shards for all 730 hours. */
function monthlyCauses(input: CostInput, p: PriceTable, raw: Raw): CostCauses {
  const { model, simulatedMs } = input;
  const scale = simulatedMs > 0 ? MONTH_MS / simulatedMs : 0;
  const out = { ...raw.causes };
  for (const key of Object.keys(out) as Array<keyof CostCauses>) out[key] *= scale;
  let provisioned = 0;
  for (const fn of Object.values(model.functions)) {
    provisioned += ((provisionedMemoryMb(fn) * MONTH_MS) / MB_MS_PER_GB_S) * p.lambda[fn.architecture].provisionedGbSecondUsd;
  }
  out.provisionedIdle = provisioned;
  let shards = 0;
  for (const s of Object.values(model.streams)) shards += s.shardCount;
  out.shardHours = shards * 730 * p.kinesis.shardHourUsd;
  out.freeTier = 0;
  return out;
}

function scaleQuantities(q: Quantities, k: number): Quantities {
  return {
    freeLambdaRequests: q.freeLambdaRequests * k,
    freeLambdaGbSeconds: q.freeLambdaGbSeconds * k,
    gbSecondsByRate: q.gbSecondsByRate.map((x) => ({ gbSeconds: x.gbSeconds * k, rate: x.rate })),
    sqsRequests: q.sqsRequests.map((x) => ({ requests: x.requests * k, rate: x.rate })),
    snsPublishes: q.snsPublishes * k,
  };
}

/**
 * What the monthly always-free allowances take off, with `share` of a month's allowance available (the
 * simulated time over a month, for a run; 1 for the month). Functions with provisioned concurrency get no
 * free tier (the Lambda pricing page). Free GB-s go to the dearest rate first, as a bill would show the
 * smallest total; requests are priced alike.
 */
function freeTierCredit(q: Quantities, p: PriceTable, share: number): number {
  const f = p.freeTier;
  let credit = Math.min(q.freeLambdaRequests, f.lambdaRequests * share) * p.lambda.requestUsd;
  let gb = f.lambdaGbSeconds * share;
  for (const x of [...q.gbSecondsByRate].sort((a, b) => b.rate - a.rate)) {
    const used = Math.min(gb, x.gbSeconds);
    credit += used * x.rate;
    gb -= used;
  }
  let sqs = f.sqsRequests * share;
  for (const x of [...q.sqsRequests].sort((a, b) => b.rate - a.rate)) {
    const used = Math.min(sqs, x.requests);
    credit += used * x.rate;
    sqs -= used;
  }
  credit += Math.min(q.snsPublishes, f.snsPublishes * share) * p.sns.publishUsd;
  return credit;
}

const MB_MS_PER_GB_S = 1024 * 1000;

/**
 * The memory held by a function's provisioned concurrency, in MB: each version's and each alias's
 * environments times the memory of the version they run (an alias's weighted second version is taken at
 * its primary version's memory).
 */
export function provisionedMemoryMb(fn: FunctionModel): number {
  let mb = 0;
  for (const v of Object.values(fn.versions)) mb += v.provisionedConcurrentExecutions * v.memorySize;
  for (const a of Object.values(fn.aliases)) mb += a.provisionedConcurrentExecutions * (fn.versions[a.version]?.memorySize ?? fn.memorySize);
  return mb;
}

function round(usd: number): number {
  return usd === 0 ? 0 : Number(usd.toPrecision(DIGITS));
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function roundCauses(c: CostCauses): CostCauses {
  const out = { ...c };
  for (const key of Object.keys(out) as Array<keyof CostCauses>) out[key] = round(out[key]);
  return out;
}

/** The sum of the causes, in their fixed order, to 12 significant digits: `totalUsd` is exactly this. */
export function sumCauses(c: CostCauses): number {
  let sum = 0;
  for (const value of Object.values(c)) sum += value;
  return round(sum);
}
