import { defineScenario } from 'lambda-tui';

/**
 * A DynamoDB stream with bisectBatchOnError (docs/aws-rules.md sections 3.4 and 7). Each traffic record is a
 * write to the users table: new users are INSERTs, every fifth write updates an existing user (a MODIFY
 * with old and new images). The stream handler throws on a user whose email is missing. Lambda polls each
 * shard four times a second, splits the failing batch in two until the bad write is alone, retries it
 * twice, then sends a DDBStreamBatchInfo record to users-failed and moves on.
 */
export default defineScenario({
  name: 'DynamoDB stream bisect',
  description: 'user 42 has no email: watch its shard halve the batch down to that one write, the lone write fail three times, and a DDBStreamBatchInfo land in users-failed while the other shard keeps flowing',
  duration: '2m',
  functions: {
    'sync-users': {
      duration: '120ms',
      handler: (event: { Records: Array<{ eventName: string; dynamodb: { NewImage?: Record<string, { S?: string }> } }> }) => {
        for (const record of event.Records) {
          if (record.eventName !== 'REMOVE' && !record.dynamodb.NewImage?.email?.S) throw new Error('user without email');
        }
      },
    },
  },
  tables: { users: { partitionKey: 'userId', shardCount: 2, streamViewType: 'NEW_AND_OLD_IMAGES' } },
  queues: { 'users-failed': {} },
  eventSourceMappings: [
    { source: 'users', function: 'sync-users', batchSize: 40, maxBatchingWindow: '5s', bisectBatchOnError: true, retryAttempts: 2, onFailure: 'users-failed' },
  ],
  traffic: [
    {
      to: 'users',
      rate: 8,
      count: 600,
      body: (i) =>
        i % 5 === 4
          ? { oldImage: { userId: `u${i - 1}`, email: `u${i - 1}@example.com`, plan: 'free' }, newImage: { userId: `u${i - 1}`, email: `u${i - 1}@example.com`, plan: 'pro' } }
          : { userId: `u${i}`, plan: 'free', ...(i === 42 ? {} : { email: `u${i}@example.com` }) },
    },
  ],
});
