/**
 * Trace events (docs/architecture.md, "Trace contract"): one JSON object per line, in engine order, each with
 * `t` (simulated ms) and `type`. The required fields are public; extra fields are additions.
 */
export type Trigger = 'sync' | 'async' | 'esm';
export type Outcome = 'success' | 'error' | 'timeout' | 'partial';
export type DeliveryKind = 'onSuccess' | 'onFailure' | 'dlq';

export type TraceEvent =
  | { t: number; type: 'record.put'; source: string; id: string; shard?: string; group?: string; partitionKey?: string }
  | {
      t: number;
      type: 'invoke.start';
      fn: string;
      requestId: string;
      trigger: Trigger;
      attempt: number;
      cold: boolean;
      source?: string;
      batchId?: string;
      records?: string[];
      shard?: string;
      /** The caller a traffic entry named (`via`), on every attempt, synchronous or asynchronous; absent when a source (a queue, stream, topic, bus or bucket) invoked. */
      via?: string;
      /** The executed version ('$LATEST', '1', ...), as AWS's START line says `Version:`. */
      version: string;
      /** The alias it came through, if any. */
      alias?: string;
      /** Present (true) when the invocation runs on provisioned concurrency: the cost model prices it so. */
      provisioned?: boolean;
      /** Present (true) when an on-demand init took over 10 s and is done again inside this invocation (docs/fidelity.md). */
      initRetried?: boolean;
      /** Present (true) on a tumbling window's final invoke, the one with isFinalInvokeForWindow (docs/aws-rules.md §3.4). */
      finalWindow?: boolean;
    }
  | {
      t: number;
      type: 'invoke.end';
      fn: string;
      requestId: string;
      outcome: Outcome;
      durationMs: number;
      failed?: string[];
      errorType?: string;
      errorMessage?: string;
    }
  | { t: number; type: 'throttle'; fn: string; trigger: Trigger; reason: string; source?: string; version?: string; alias?: string }
  | { t: number; type: 'async.retry'; fn: string; eventId: string; attempt: number; at: number; reason?: string }
  /** At-least-once delivery: the internal queue hands a succeeded event to the function again. */
  | { t: number; type: 'async.duplicate'; fn: string; eventId: string }
  | { t: number; type: 'batch.bisect'; batchId: string; into: [string, string]; source?: string; shard?: string }
  | { t: number; type: 'checkpoint'; source: string; shard: string; sequenceNumber: string }
  | { t: number; type: 'sqs.delete'; queue: string; ids: string[]; reason?: string }
  | { t: number; type: 'sqs.visible'; queue: string; id: string; receiveCount: number }
  | { t: number; type: 'sqs.redrive'; queue: string; dlq: string; id: string }
  /** An SNS message a subscription's filter policy kept back (docs/fidelity.md). */
  | { t: number; type: 'sns.filtered'; topic: string; endpoint: string; id: string }
  /** A FIFO send accepted and not delivered: its deduplication id was sent within 5 minutes, as message `id`. */
  | { t: number; type: 'sqs.duplicate'; queue: string; deduplicationId: string; id: string }
  | { t: number; type: 'record.expired'; source: string; id: string }
  | { t: number; type: 'record.filtered'; source: string; id: string }
  | {
      t: number;
      type: 'deliver';
      to: string;
      kind: DeliveryKind;
      condition: string;
      payload: unknown;
      fn?: string;
      source?: string;
      /** DLQ deliveries: the message attributes AWS adds (RequestID, ErrorCode, ErrorMessage). */
      messageAttributes?: Record<string, unknown>;
    }
  | {
      t: number;
      type: 'sync.response';
      fn: string;
      via: string;
      statusCode: number;
      requestId?: string;
      functionError?: string;
      body?: unknown;
      headers?: Record<string, string>;
      reason?: string;
      /** A streamed binary body, given in base64. */
      isBase64Encoded?: boolean;
      /**
       * A function URL with invokeMode RESPONSE_STREAM: ms from the invocation's start to the first byte
       * the handler wrote (its time to first byte; the whole answer arrives at `t`).
       */
      firstByteMs?: number;
    }
  | { t: number; type: 'fault.injected'; fn: string; kind: string; detail: string }
  /** A caller that retries (Cognito, S3 Batch, Firehose) calls the function again at `at` (docs/callers.md). */
  | { t: number; type: 'caller.retry'; fn: string; via: string; attempt: number; reason: string; at: number }
  /** S3 Batch Operations: one task's result, and the job's completion report once its last task is done. */
  | { t: number; type: 's3batch.task'; fn: string; job: string; key: string; resultCode: string; attempt: number; resultString: string }
  | { t: number; type: 's3batch.report'; fn: string; job: string; tasks: number; succeeded: number; failed: number; failedTasks: Array<{ key: string; resultCode: string; resultString: string }> }
  /** Firehose: a buffered batch's records by result, and the ids of records sent to the processing-failed prefix. */
  | { t: number; type: 'firehose.result'; fn: string; stream: string; invocationId: string; records: number; ok: number; dropped: number; failed: number; failedIds: string[]; reason?: string }
  // Deployments (docs/versions.md): `alias` is 'fn:alias', `deployment` the deployment's id.
  | { t: number; type: 'deployment.start'; alias: string; deployment: string; from: string; to: string; config: string }
  | { t: number; type: 'deployment.shift'; alias: string; deployment: string; weights: Record<string, number> }
  | { t: number; type: 'deployment.hook'; alias: string; deployment: string; hook: 'BeforeAllowTraffic' | 'AfterAllowTraffic'; fn: string; status: 'InProgress' | 'Succeeded' | 'Failed'; requestId?: string }
  | { t: number; type: 'alarm.state'; alias: string; deployment: string; alarm: string; state: AlarmState; value: number | null; previous: AlarmState }
  | { t: number; type: 'deployment.rollback'; alias: string; deployment: string; alarm?: string; reason: string; weights: Record<string, number> }
  | { t: number; type: 'deployment.end'; alias: string; deployment: string; outcome: 'Succeeded' | 'Stopped' | 'Failed'; reason?: string }
  /** Step Functions (docs/callers.md): an execution, each state it enters, its retries and catches. */
  | { t: number; type: 'sfn.execution.start'; machine: string; execution: string; input: unknown }
  | { t: number; type: 'sfn.state.enter'; machine: string; execution: string; state: string; stateType: string }
  | { t: number; type: 'sfn.task.retry'; machine: string; execution: string; state: string; error: string; attempt: number; delayMs: number; at: number }
  | { t: number; type: 'sfn.task.catch'; machine: string; execution: string; state: string; error: string; next: string }
  | { t: number; type: 'sfn.execution.end'; machine: string; execution: string; status: 'SUCCEEDED' | 'FAILED'; output?: unknown; error?: string; cause?: string }
  /** A CloudWatch line of an invocation that ran real code (docs/sandbox.md, "Logs"). */
  /**
   * A line of real code's log. A Lambda@Edge replica's lines name their log group and Region, which are not
   * the function's own (`/aws/lambda/us-east-1.<fn>` in the Region nearest the viewer).
   */
  | { t: number; type: 'log'; fn: string; requestId: string; logStream: string; line: string; logGroup?: string; region?: string }

  /** The Invoke API refused an asynchronous request before queueing it (e.g. 413 over 1 MB). */
  | { t: number; type: 'invoke.refused'; fn: string; via: string; invocationType: 'Event'; statusCode: number; errorType: string; body: unknown };

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export type TraceType = TraceEvent['type'];

/** Serialises one event as a trace line; key order is the order the engine built it in, so it is stable. */
export function traceLine(event: TraceEvent): string {
  return JSON.stringify(event);
}
