/**
 * The Lambda `Context` a simulated handler receives, with its clock on simulated time.
 */
import type { Context } from 'aws-lambda';
import { type AwsAccount, functionArn } from './arn.js';
import { md5Hex } from './format.js';

export interface LambdaContextInput extends AwsAccount {
  functionName: string;
  memorySize: number;
  timeoutMs: number;
  requestId: string;
  /** Simulated ms at which the invocation started. */
  startedAtSimMs: number;
  /** The simulated clock: getRemainingTimeInMillis reads it. */
  nowSimMs: () => number;
  /** Default `$LATEST`. */
  functionVersion?: string;
  /** The ARN the caller invoked (qualified when invoked through a version or alias); default unqualified. */
  invokedFunctionArn?: string;
  /**
   * The execution environment's id: one log stream per environment, shared by all its invocations.
   * Default: the request id (one stream per invocation).
   */
  environmentId?: string;
  /** Absolute epoch ms of the environment's start, for the log stream's date; default startedAtSimMs. */
  environmentStartedEpochMs?: number;
  /** The log stream's name when the caller already knows it (see logStreamName). */
  logStreamName?: string;
  /** Default `/aws/lambda/<fn>`; a Lambda@Edge replica logs to `/aws/lambda/us-east-1.<fn>`. */
  logGroupName?: string;
  /** Called by the legacy `done` / `fail` / `succeed` methods instead of crashing. */
  onLegacyCompletion?: (error: unknown, result: unknown) => void;
}

/**
 * A full Lambda `Context`: `getRemainingTimeInMillis()` counts down on simulated time from the function's
 * timeout (never below 0), `functionVersion` is `$LATEST`, `logGroupName` is `/aws/lambda/<fn>`, and the
 * log stream name has AWS's form `YYYY/MM/DD/[$LATEST]<32 hex>`, derived from the environment. The legacy
 * `done` / `fail` / `succeed` methods only report to `onLegacyCompletion`.
 *
 * @example
 * let now = 1000;
 * const ctx = lambdaContext({ functionName: 'fn', memorySize: 128, timeoutMs: 3000, requestId: 'r-1',
 *   region: 'us-east-1', accountId: '123456789012', startedAtSimMs: 1000, nowSimMs: () => now });
 * now = 1500;
 * ctx.getRemainingTimeInMillis(); // 2500
 */
export function lambdaContext(input: LambdaContextInput): Context {
  const version = input.functionVersion ?? '$LATEST';
  const account: AwsAccount = { region: input.region, accountId: input.accountId };
  const envId = input.environmentId ?? input.requestId;
  const deadlineSimMs = input.startedAtSimMs + input.timeoutMs;
  const report = (error: unknown, result: unknown): void => {
    try {
      input.onLegacyCompletion?.(error, result);
    } catch {
      // A legacy completion must never crash the simulation; the outcome comes from the handler's return.
    }
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: input.functionName,
    functionVersion: version,
    invokedFunctionArn: input.invokedFunctionArn ?? functionArn(account, input.functionName),
    memoryLimitInMB: String(input.memorySize),
    awsRequestId: input.requestId,
    logGroupName: input.logGroupName ?? `/aws/lambda/${input.functionName}`,
    logStreamName: input.logStreamName ?? logStreamName(input.functionName, version, envId, input.environmentStartedEpochMs ?? input.startedAtSimMs),
    getRemainingTimeInMillis: () => Math.max(0, deadlineSimMs - input.nowSimMs()),
    done: (error?: Error, result?: unknown) => report(error ?? null, result),
    fail: (error: Error | string) => report(error, undefined),
    succeed: (messageOrObject: unknown) => report(null, messageOrObject),
  };
}

/**
 * The CloudWatch log stream of an execution environment, in AWS's form `YYYY/MM/DD/[version]<32 hex>`:
 * the date the environment started, and a hex id derived from the function and the environment.
 *
 * @example logStreamName('orders', '$LATEST', 'orders#1', Date.UTC(2025, 0, 1)) // '2025/01/01/[$LATEST]…'
 */
export function logStreamName(functionName: string, version: string, environmentId: string, startedEpochMs: number): string {
  const date = new Date(startedEpochMs).toISOString().slice(0, 10).replace(/-/g, '/');
  return `${date}/[${version}]${md5Hex(`log-stream:${functionName}:${environmentId}`)}`;
}
