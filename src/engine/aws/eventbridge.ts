/**
 * EventBridge event envelopes (docs/aws-rules.md §6).
 */
import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda';
import { type AwsAccount, ruleArn } from './arn.js';
import { isoSeconds } from './format.js';

export interface EventBridgeEventInput<TDetailType extends string, TDetail> {
  account: AwsAccount;
  id: string;
  detailType: TDetailType;
  source: string;
  /** When the event happened (absolute epoch ms); `time` shows whole seconds. */
  epochMs: number;
  resources?: string[];
  detail: TDetail;
}

/**
 * An EventBridge event: `version '0'`, `id`, `detail-type`, `source`, `account`, `time`, `region`,
 * `resources`, `detail`. `time` has second precision and no fraction (`2019-11-14T18:16:05Z`), unlike
 * most other AWS timestamps.
 *
 * @example
 * eventBridgeEvent({
 *   account: { region: 'us-east-1', accountId: '123456789012' }, id: 'e-1',
 *   detailType: 'OrderPlaced', source: 'shop', epochMs: 1_500, detail: { id: 1 },
 * }).time; // '1970-01-01T00:00:01Z'
 */
export function eventBridgeEvent<TDetailType extends string, TDetail>(
  input: EventBridgeEventInput<TDetailType, TDetail>,
): EventBridgeEvent<TDetailType, TDetail> {
  return {
    version: '0',
    id: input.id,
    'detail-type': input.detailType,
    source: input.source,
    account: input.account.accountId,
    time: isoSeconds(input.epochMs),
    region: input.account.region,
    resources: input.resources ?? [],
    detail: input.detail,
  };
}

export interface ScheduledEventInput {
  account: AwsAccount;
  id: string;
  ruleName: string;
  /** The rule's bus; default `'default'` (schedules run on the default bus). */
  busName?: string;
  /** When the schedule fired (absolute epoch ms). */
  epochMs: number;
}

/**
 * The event a schedule rule (`rate(...)` / `cron(...)`) sends its targets: `detail-type 'Scheduled Event'`,
 * `source 'aws.events'`, `resources [ruleArn]`, `detail {}`.
 *
 * @example
 * scheduledEvent({ account: { region: 'us-east-1', accountId: '123456789012' }, id: 'e-1',
 *   ruleName: 'nightly', epochMs: 0 }).resources;
 * // ['arn:aws:events:us-east-1:123456789012:rule/nightly']
 */
export function scheduledEvent(input: ScheduledEventInput): ScheduledEvent<Record<string, never>> {
  return eventBridgeEvent({
    account: input.account,
    id: input.id,
    detailType: 'Scheduled Event',
    source: 'aws.events',
    epochMs: input.epochMs,
    resources: [ruleArn(input.account, input.ruleName, input.busName)],
    detail: {},
  });
}
