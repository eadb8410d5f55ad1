// The floor for a headless run: the work any simulator of these loads must do, with none of lambda-tui's
// code. It builds every record in the shape Lambda hands it to a function (the fields and value formats of
// aws-lambda's KinesisStreamRecord and SQSRecord), keeps them all, and cuts them into the batches an event
// source mapping would invoke with. bench/run.js reports each case's CPU time as a ratio to these,
// measured in the same run.
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const EPOCH_MS = Date.UTC(2026, 0, 1);

function pad(n, width) {
  return String(n).padStart(width, '0');
}

/** A UUID-shaped id from a counter and a mixing step (ids must differ; their randomness is not the point). */
function uuid(n) {
  const a = (Math.imul(n, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  const b = (Math.imul(n ^ 0x5bd1e995, 0x85ebca6b) >>> 0).toString(16).padStart(8, '0');
  const c = (Math.imul(n + 0x27d4eb2f, 0xc2b2ae35) >>> 0).toString(16).padStart(8, '0');
  const d = (Math.imul(n, 0x165667b1) >>> 0).toString(16).padStart(8, '0');
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}

/** `records` Kinesis records over `shards` shards (keys round-robin), batches of `batchSize` per shard. */
export function kinesisFloor({ records = 1_000_000, shards = 100, batchSize = 500, keys = 1000, stream = 'events' } = {}) {
  const arn = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${stream}`;
  const role = `arn:aws:iam::${ACCOUNT}:role/consumer-role`;
  const perShard = Array.from({ length: shards }, () => []);
  for (let i = 0; i < records; i++) {
    const shard = i % shards;
    const list = perShard[shard];
    const sequenceNumber = `49${pad(shard, 6)}${pad(list.length, 48)}`;
    list.push({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: `key-${i % keys}`,
        sequenceNumber,
        data: Buffer.from(JSON.stringify({ i })).toString('base64'),
        approximateArrivalTimestamp: (EPOCH_MS + i / 10) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-${pad(shard, 12)}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: role,
      awsRegion: REGION,
      eventSourceARN: arn,
    });
  }
  let batches = 0;
  const events = [];
  for (const list of perShard) {
    for (let i = 0; i < list.length; i += batchSize) {
      events.push({ Records: list.slice(i, i + batchSize) });
      batches++;
    }
  }
  return { records, batches, keep: [perShard, events] };
}

/** A backlog of `messages` SQS messages, received in batches of `batchSize`. */
export function sqsFloor({ messages = 1_000_000, batchSize = 10, queue = 'backlog' } = {}) {
  const arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${queue}`;
  const backlog = [];
  for (let i = 0; i < messages; i++) {
    const sent = String(EPOCH_MS + Math.floor(i / 100));
    backlog.push({
      messageId: uuid(i),
      receiptHandle: `AQEB${uuid(i + messages)}`,
      body: JSON.stringify({ i }),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: sent,
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: sent,
      },
      messageAttributes: {},
      md5OfBody: '', // left empty: the floor counts building and batching, not hashing
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
      awsRegion: REGION,
    });
  }
  const events = [];
  for (let i = 0; i < backlog.length; i += batchSize) events.push({ Records: backlog.slice(i, i + batchSize) });
  return { records: messages, batches: events.length, keep: [backlog, events] };
}
