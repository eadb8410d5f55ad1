/**
 * SNS topics (docs/aws-rules.md §6): every message published to a topic fans out to every
 * subscription, in declaration order.
 *
 * - A function subscription invokes the function asynchronously with an SNS event (capitalised keys,
 *   `Records[0].Sns.Message`). SNS's own delivery retries (3 immediate, 2 at 1 s, …, docs/aws-rules.md §6 / S31b)
 *   only apply when Lambda rejects the invoke; Lambda accepts every async invoke into its queue (202, even
 *   when throttled or at reserved concurrency 0), so in this simulator SNS→Lambda delivery never fails and
 *   failures are the async queue's business (retries, destinations, DLQ).
 * - A queue subscription sends the SNS notification JSON document as the SQS message body (raw message
 *   delivery is off by default and not modelled: "Amazon SNS sends the message to the subscribed queue as a
 *   JSON document", AWS SNS developer guide, "Fanout to Amazon SQS queues" / "Amazon SNS message and JSON
 *   formats"). That document spells `SigningCertURL` and `UnsubscribeURL` with upper-case URL, unlike the
 *   Lambda event's `SigningCertUrl` / `UnsubscribeUrl`, omits `Subject` when none was set, and carries
 *   `MessageAttributes` only when there are some.
 *
 * Ledger: the topic is the source; a message is put (waiting) and succeeded once it has fanned out. Each
 * subscriber's copy is a new record in the subscriber's own ledger (`async:<fn>` or the queue).
 */
import { kindOf } from '../lambda/versions.js';
import type { SNSEventRecord } from 'aws-lambda';
import { type MessageAttributeInput, normalizeMessageAttributes, payloadToString, snsEvent, snsRecord } from '../aws/index.js';
import { matchesPattern } from '../../lang/patterns.js';
import { type EngineModule, type IncomingRecord, type RecordAttributes, viewOf } from '../module.js';
import { accountOf } from './async.js';

export const SNS = 'sns';

/** One topic's counters. */
export interface SnsTopicView {
  topic: string;
  subscriptions: string[];
  /** Messages published. */
  published: number;
  /** Copies delivered to subscriptions (published × subscriptions, less the filtered). */
  deliveries: number;
  /** Copies a subscription's filter policy kept back. */
  filtered: number;
}

/** The SNS module's view state, `state.modules.sns`: one row per declared topic. */
export interface SnsViewState {
  topics: Record<string, SnsTopicView>;
}

/**
 * The notification JSON document SNS sends to an SQS subscriber (or an HTTP endpoint), built from the
 * fields of the Lambda record so both carry the same message id, timestamp and signature.
 *
 * @example
 * snsQueueNotification(snsRecord({...})); // { Type: 'Notification', MessageId, TopicArn, Message, …, SigningCertURL, UnsubscribeURL }
 */
export function snsQueueNotification(record: SNSEventRecord): Record<string, unknown> {
  const s = record.Sns;
  const doc: Record<string, unknown> = { Type: s.Type, MessageId: s.MessageId, TopicArn: s.TopicArn };
  if (s.Subject !== null && s.Subject !== undefined) doc.Subject = s.Subject;
  doc.Message = s.Message;
  doc.Timestamp = s.Timestamp;
  doc.SignatureVersion = s.SignatureVersion;
  doc.Signature = s.Signature;
  doc.SigningCertURL = s.SigningCertUrl;
  doc.UnsubscribeURL = s.UnsubscribeUrl;
  if (Object.keys(s.MessageAttributes).length > 0) doc.MessageAttributes = s.MessageAttributes;
  return doc;
}

const NOT_JSON = Symbol('not JSON');

/** The message body a MessageBody-scoped policy sees: a JSON object, or nothing to match. */
function bodyForPolicy(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return NOT_JSON;
  }
}

/**
 * The message attributes a MessageAttributes-scoped policy sees (sns-message-filtering): String values
 * as strings, Number values as numbers, String.Array values as their array; Binary attributes are not
 * matched by SNS filter policies and are left out.
 */
function attributesForPolicy(attributes: Record<string, MessageAttributeInput> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(normalizeMessageAttributes(attributes))) {
    if (value.dataType.startsWith('Number')) out[name] = Number(value.stringValue);
    else if (value.dataType === 'String.Array') {
      try {
        out[name] = JSON.parse(value.stringValue ?? '[]');
      } catch {
        out[name] = value.stringValue;
      }
    } else if (value.dataType.startsWith('String')) out[name] = value.stringValue;
  }
  return out;
}

const snsView = viewOf<SnsViewState>(SNS);

export function createSnsModule(): EngineModule<Record<string, never>, unknown, SnsViewState, undefined> {
  return {
    name: SNS,
    // Stateless: everything it knows is in the model and the snapshot.
    save: () => undefined,
    restore() {},
    accepts: ['topic'],
    init(ctx) {
      const view: SnsViewState = { topics: {} };
      for (const t of Object.values(ctx.model.topics)) {
        view.topics[t.name] = { topic: t.name, subscriptions: [...t.subscriptions], published: 0, deliveries: 0, filtered: 0 };
      }
      return view;
    },
    put(ctx, topic, incoming: IncomingRecord) {
      const messageId = ctx.ids.messageId();
      const id = ctx.admit(topic, incoming, messageId);
      ctx.emit({ t: ctx.now, type: 'record.put', source: topic, id: messageId });
      const attrs: RecordAttributes = incoming.attributes ?? {};
      const messageAttributes = attrs.messageAttributes as Record<string, MessageAttributeInput> | undefined;
      const subject = typeof attrs.subject === 'string' ? attrs.subject : undefined;
      const publishedEpochMs = ctx.epochMs(attrs.atMs ?? ctx.now);
      const view = snsView(ctx).topics[topic];
      view.published++;
      let policyInputs: { attributes?: unknown; body?: unknown } | undefined;
      for (const config of ctx.model.topics[topic].subscriptionConfigs) {
        const sub = config.endpoint;
        if (config.filterPolicy) {
          policyInputs ??= {};
          const input =
            config.filterPolicyScope === 'MessageBody'
              ? (policyInputs.body ??= bodyForPolicy(incoming.body))
              : (policyInputs.attributes ??= attributesForPolicy(messageAttributes));
          if (input === NOT_JSON || !matchesPattern(config.filterPolicy, input)) {
            view.filtered++;
            ctx.emit({ t: ctx.now, type: 'sns.filtered', topic, endpoint: sub, id: messageId });
            continue;
          }
        }
        const rec = snsRecord({
          account: accountOf(ctx),
          topicName: topic,
          subscriber: sub,
          messageId,
          message: incoming.body,
          ...(subject !== undefined ? { subject } : {}),
          ...(messageAttributes ? { messageAttributes } : {}),
          publishedEpochMs,
        });
        const origin = { trafficIndex: incoming.trafficIndex, i: incoming.i };
        if (kindOf(ctx.model, sub) === 'function') {
          ctx.put(sub, { ...origin, body: snsEvent([rec]), attributes: { producer: 'sns', topic } });
        } else if (config.rawMessageDelivery) {
          // Raw delivery: the message itself is the SQS body, its attributes the SQS message attributes.
          ctx.put(sub, {
            ...origin,
            body: payloadToString(incoming.body),
            attributes: { producer: 'sns', topic, ...(messageAttributes ? { messageAttributes } : {}) },
          });
        } else {
          ctx.put(sub, { ...origin, body: JSON.stringify(snsQueueNotification(rec)), attributes: { producer: 'sns', topic } });
        }
        view.deliveries++;
      }
      // SNS has done its part once every subscription has its copy.
      ctx.settle(id, 'succeeded');
    },
  };
}
