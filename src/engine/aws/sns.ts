/**
 * SNS notifications as Lambda receives them (docs/aws-rules.md §6: capitalised keys!).
 */
import type { SNSEvent, SNSEventRecord, SNSMessage, SNSMessageAttributes } from 'aws-lambda';
import { type AwsAccount, subscriptionArn, topicArn } from './arn.js';
import { isoMs, md5Hex, payloadToString, uuidFrom } from './format.js';
import { type MessageAttributeInput, normalizeMessageAttributes } from './sqs.js';

export interface SnsRecordInput {
  account: AwsAccount;
  topicName: string;
  /** The subscription's UUID; default derived from the topic and `subscriber`. */
  subscriptionId?: string;
  /** The subscribed function's name, used to derive a default subscription id. */
  subscriber?: string;
  messageId: string;
  /** Strings pass through unchanged; anything else is JSON.stringify'd. */
  message: unknown;
  subject?: string;
  messageAttributes?: Record<string, MessageAttributeInput>;
  /** When SNS accepted the publish (absolute epoch ms). */
  publishedEpochMs: number;
}

/**
 * One SNS notification record: `EventSource 'aws:sns'`, `Sns.Type 'Notification'`, `Message` always a
 * string, `MessageAttributes{name:{Type,Value}}`. Signature fields are deterministic stand-ins: the
 * simulator signs nothing.
 *
 * `Subject` is `null` when the publisher set none, as real deliveries show (the @types declare it
 * optional; AWS sends the key with a null value).
 *
 * @example
 * snsRecord({
 *   account: { region: 'us-east-1', accountId: '123456789012' }, topicName: 'alerts',
 *   messageId: 'm-1', message: { level: 'high' }, publishedEpochMs: 0,
 * }).Sns.Message; // '{"level":"high"}'
 */
export function snsRecord(input: SnsRecordInput): SNSEventRecord {
  const topic = topicArn(input.account, input.topicName);
  const subId = input.subscriptionId ?? uuidFrom('sns-subscription', topic, input.subscriber ?? '');
  const subArn = subscriptionArn(input.account, input.topicName, subId);
  const message = payloadToString(input.message);
  const attributes: SNSMessageAttributes = {};
  for (const [name, attr] of Object.entries(normalizeMessageAttributes(input.messageAttributes))) {
    // SNS shows binary attributes' base64 as the Value, like string ones.
    attributes[name] = { Type: attr.dataType, Value: attr.stringValue ?? attr.binaryValue ?? '' };
  }
  const host = `https://sns.${input.account.region}.amazonaws.com`;
  const sns: SNSMessage = {
    Type: 'Notification',
    MessageId: input.messageId,
    TopicArn: topic,
    Subject: (input.subject ?? null) as string | undefined,
    Message: message,
    Timestamp: isoMs(input.publishedEpochMs),
    SignatureVersion: '1',
    Signature: Buffer.from(md5Hex(`sig:${input.messageId}:${message}`).repeat(4), 'hex').toString('base64'),
    SigningCertUrl: `${host}/SimpleNotificationService-${md5Hex(`cert:${input.account.region}`)}.pem`,
    UnsubscribeUrl: `${host}/?Action=Unsubscribe&SubscriptionArn=${subArn}`,
    MessageAttributes: attributes,
  };
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: subArn,
    Sns: sns,
  };
}

/**
 * The event SNS sends to a subscribed function (always one record).
 *
 * @example
 * snsEvent([record]); // { Records: [record] }
 */
export function snsEvent(records: SNSEventRecord[]): SNSEvent {
  return { Records: records };
}
