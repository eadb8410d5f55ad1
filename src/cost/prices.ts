/**
 * The price table the cost model uses (docs/cost.md). One table, one place: AWS changes rates, so the
 * table carries its region, its source and the date it was checked, and `--prices FILE` replaces it (another
 * region, a newer sheet) with a JSON file of the same shape. Every rate is USD per unit named in its key.
 */
import { readFile } from 'node:fs/promises';

export interface ArchitecturePrices {
  /** On-demand duration, first tier (AWS's first 6 B GB-s a month on x86_64, 7.5 B on arm64). */
  gbSecondUsd: number;
  /** Provisioned concurrency while enabled, per GB-s of configured memory. */
  provisionedGbSecondUsd: number;
  /** Duration of an invocation that runs on provisioned concurrency. */
  provisionedDurationGbSecondUsd: number;
}

export interface PriceTable {
  region: string;
  /** Where the rates come from, and when they were checked (YYYY-MM-DD). */
  source: string;
  date: string;
  lambda: {
    /** Every invocation that starts is one request, so every retry attempt is one more. */
    requestUsd: number;
    x86_64: ArchitecturePrices;
    arm64: ArchitecturePrices;
    /** Provisioned concurrency's enabled time is billed rounded up to this many seconds (5 minutes). */
    provisionedRoundingSeconds: number;
  };
  /** Per request; every 64 KB of payload is one request (usage.ts counts the units). */
  sqs: { standardRequestUsd: number; fifoRequestUsd: number };
  /** Per publish of up to 64 KB. */
  sns: { publishUsd: number };
  /** Per custom event of up to 64 KB; AWS service events on the default bus are free. */
  eventbridge: { customEventUsd: number };
  /** Provisioned mode: per shard-hour, and per 25 KB PUT payload unit. */
  kinesis: { shardHourUsd: number; putUnitUsd: number };
  /** Monthly always-free allowances, applied only with `--free-tier`. */
  freeTier: {
    lambdaRequests: number;
    lambdaGbSeconds: number;
    sqsRequests: number;
    snsPublishes: number;
  };
}

/**
 * us-east-1, from the AWS pricing pages for Lambda, SQS, SNS, EventBridge and Kinesis Data Streams as
 * summarised in docs/cost.md (the Lambda rates cross-checked against the AWS Pricing Calculator's metered
 * unit map). Re-check before relying on a figure: rates change.
 */
export const US_EAST_1: PriceTable = {
  region: 'us-east-1',
  source: 'aws.amazon.com/{lambda,sqs,sns,eventbridge,kinesis/data-streams}/pricing; Lambda rates cross-checked with the AWS Pricing Calculator (calculator.aws lambda.json)',
  date: '2026-12-01',
  lambda: {
    requestUsd: 0.0000002,
    x86_64: { gbSecondUsd: 0.0000166667, provisionedGbSecondUsd: 0.0000041667, provisionedDurationGbSecondUsd: 0.0000097222 },
    arm64: { gbSecondUsd: 0.0000133334, provisionedGbSecondUsd: 0.0000033334, provisionedDurationGbSecondUsd: 0.0000077778 },
    provisionedRoundingSeconds: 300,
  },
  sqs: { standardRequestUsd: 0.0000004, fifoRequestUsd: 0.0000005 },
  sns: { publishUsd: 0.0000005 },
  eventbridge: { customEventUsd: 0.000001 },
  kinesis: { shardHourUsd: 0.015, putUnitUsd: 0.000000014 },
  freeTier: { lambdaRequests: 1_000_000, lambdaGbSeconds: 400_000, sqsRequests: 1_000_000, snsPublishes: 1_000_000 },
};

/** A price file that cannot be used: one line naming the file, the field, the value and what is allowed. */
export class PriceFileError extends Error {}

/**
 * Reads a price table from a JSON file. Keys it gives replace the built-in us-east-1 ones, so a file may
 * hold only what differs; an unknown key or a value that is not a non-negative number is refused.
 *
 * @example
 * const prices = await loadPrices('prices/eu-central-1.json');
 */
export async function loadPrices(file: string): Promise<PriceTable> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PriceFileError(`${file}: cannot read a JSON price table (${error instanceof Error ? error.message : String(error)})`);
  }
  return mergePrices(US_EAST_1, raw, file, '') as PriceTable;
}

function mergePrices(base: unknown, over: unknown, file: string, path: string): unknown {
  if (typeof base === 'object' && base !== null) {
    if (typeof over !== 'object' || over === null || Array.isArray(over)) {
      throw new PriceFileError(`${file}: ${path || '(top level)'}: ${JSON.stringify(over)} is not an object; expected keys ${Object.keys(base).join(', ')}`);
    }
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(over)) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in out)) throw new PriceFileError(`${file}: ${at}: unknown key; valid: ${Object.keys(out).join(', ')}`);
      out[key] = mergePrices(out[key], value, file, at);
    }
    return out;
  }
  if (typeof base === 'string') {
    if (typeof over !== 'string') throw new PriceFileError(`${file}: ${path}: ${JSON.stringify(over)} is not a string`);
    return over;
  }
  if (typeof over !== 'number' || !Number.isFinite(over) || over < 0) {
    throw new PriceFileError(`${file}: ${path}: ${JSON.stringify(over)} is not a price; allowed: a number >= 0`);
  }
  if (path === 'lambda.provisionedRoundingSeconds') {
    if (!Number.isInteger(over) || over < 1) throw new PriceFileError(`${file}: ${path}: ${over} is not a rounding step; allowed: a whole number of seconds >= 1`);
  }
  return over;
}
