/**
 * The physical names and ARNs the importer gives template resources, for `Ref` and `Fn::GetAtt`. A
 * resource keeps the name its template gives it (`QueueName`, `FunctionName`, ...) or else its logical id,
 * and its ARNs follow AWS's formats, so an ARN a template builds by hand (`Fn::Join`, `Fn::Sub`) resolves
 * to the same string as `Fn::GetAtt X.Arn` and leads back to the resource.
 */

export interface Account {
  region: string;
  accountId: string;
  partition: string;
}

/** The property that names each resource type, where it has one. */
export const NAME_PROPERTY: Record<string, string> = {
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::Kinesis::StreamConsumer': 'ConsumerName',
  'AWS::Serverless::SimpleTable': 'TableName',
};

/** Ref and the attributes of one resource, given its physical name. */
export function referencesOf(type: string, name: string, a: Account, props: Record<string, unknown> = {}): { ref: string; atts: Record<string, string> } {
  const arn = (service: string, resource: string) => `arn:${a.partition}:${service}:${a.region}:${a.accountId}:${resource}`;
  switch (type) {
    case 'AWS::SQS::Queue': {
      const queueName = props.FifoQueue === true || props.FifoQueue === 'true' ? (name.endsWith('.fifo') ? name : `${name}.fifo`) : name;
      const url = `https://sqs.${a.region}.amazonaws.com/${a.accountId}/${queueName}`;
      return { ref: url, atts: { Arn: arn('sqs', queueName), QueueName: queueName, QueueUrl: url } };
    }
    case 'AWS::Kinesis::Stream':
      return { ref: name, atts: { Arn: arn('kinesis', `stream/${name}`) } };
    case 'AWS::Kinesis::StreamConsumer': {
      const stream = typeof props.StreamARN === 'string' ? props.StreamARN : arn('kinesis', 'stream/unknown');
      const consumerArn = `${stream}/consumer/${name}:1`;
      return { ref: consumerArn, atts: { ConsumerARN: consumerArn, ConsumerName: name, StreamARN: stream } };
    }
    case 'AWS::DynamoDB::Table':
    case 'AWS::Serverless::SimpleTable': {
      const table = arn('dynamodb', `table/${name}`);
      return { ref: name, atts: { Arn: table, StreamArn: `${table}/stream/2024-01-01T00:00:00.000` } };
    }
    case 'AWS::SNS::Topic': {
      const topic = arn('sns', name);
      return { ref: topic, atts: { TopicArn: topic, TopicName: name } };
    }
    case 'AWS::S3::Bucket':
      return { ref: name, atts: { Arn: `arn:${a.partition}:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com` } };
    case 'AWS::Lambda::Function':
    case 'AWS::Serverless::Function':
      return { ref: name, atts: { Arn: arn('lambda', `function:${name}`) } };
    case 'AWS::Events::EventBus':
      return { ref: name, atts: { Arn: arn('events', `event-bus/${name}`), Name: name } };
    case 'AWS::Events::Rule':
      return { ref: name, atts: { Arn: arn('events', `rule/${name}`) } };
    case 'AWS::Scheduler::Schedule':
      return { ref: name, atts: { Arn: arn('scheduler', `schedule/default/${name}`) } };
    default:
      return { ref: name, atts: { Arn: arn(type.split('::')[1]?.toLowerCase() ?? 'unknown', name) } };
  }
}

/** The kinds of scenario resource an ARN's service maps to. */
export type ResourceKind = 'function' | 'queue' | 'stream' | 'table' | 'topic' | 'bus' | 'bucket';

/**
 * What an ARN (or SQS URL) names: its kind and its resource name, with a Lambda qualifier split off.
 *
 * @example parseArn('arn:aws:lambda:us-east-1:123:function:orders:live') // { kind: 'function', name: 'orders', qualifier: 'live' }
 */
export function parseArn(value: string): { kind: ResourceKind; name: string; qualifier?: string } | undefined {
  const url = /^https:\/\/sqs\.[^/]+\/\d+\/([^/]+)$/.exec(value);
  if (url) return { kind: 'queue', name: url[1] };
  const m = /^arn:[^:]+:([^:]+):[^:]*:[^:]*:(.+)$/.exec(value);
  if (!m) return undefined;
  const [, service, resource] = m;
  switch (service) {
    case 'lambda': {
      const f = /^function:([^:]+)(?::(.+))?$/.exec(resource);
      return f ? { kind: 'function', name: f[1], ...(f[2] ? { qualifier: f[2] } : {}) } : undefined;
    }
    case 'sqs':
      return { kind: 'queue', name: resource };
    case 'sns':
      return { kind: 'topic', name: resource.split(':')[0] };
    case 'kinesis': {
      const s = /^stream\/([^/]+)/.exec(resource);
      return s ? { kind: 'stream', name: s[1] } : undefined;
    }
    case 'dynamodb': {
      const t = /^table\/([^/]+)/.exec(resource);
      return t ? { kind: 'table', name: t[1] } : undefined;
    }
    case 'events': {
      const b = /^event-bus\/(.+)$/.exec(resource);
      return b ? { kind: 'bus', name: b[1] } : undefined;
    }
    case 's3':
      return { kind: 'bucket', name: resource.split('/')[0] };
    default:
      return undefined;
  }
}

/** S3 bucket ARNs have no region or account: `arn:aws:s3:::name`. */
export function parseBucketArn(value: string): string | undefined {
  const m = /^arn:[^:]+:s3:::([^/]+)$/.exec(value);
  return m?.[1];
}
