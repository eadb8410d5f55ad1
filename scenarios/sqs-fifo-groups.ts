import { defineScenario } from 'lambda-tui';

/**
 * FIFO message groups (docs/aws-rules.md §3.3). Lambda sends one batch at a time per message group and keeps order
 * within a group. Account 'acct-2' has a bad message: its group is blocked (no later message of acct-2 is
 * received) while the message is retried, until the redrive policy moves it to the FIFO dead-letter queue;
 * the other accounts keep flowing the whole time.
 */
export default defineScenario({
  name: 'SQS FIFO: one blocked group, the others flowing',
  description: 'acct-2 stops at its bad message (blocked group) for 3 receives, 15 s apart, then it is redriven and acct-2 resumes in order; acct-1/3/4 never stop',
  duration: '2m',
  functions: {
    ledger: {
      duration: { p50: '150ms', p99: '400ms' },
      timeout: '5s',
      handler: async (event: { Records: Array<{ body: string; attributes: { MessageGroupId: string } }> }) => {
        for (const record of event.Records) {
          if ((JSON.parse(record.body) as { bad?: boolean }).bad) throw new Error(`bad entry in ${record.attributes.MessageGroupId}`);
        }
        return {};
      },
    },
  },
  queues: {
    'ledger.fifo': { fifo: true, visibilityTimeout: '15s', deadLetterQueue: { queue: 'ledger-dlq.fifo', maxReceiveCount: 3 } },
    'ledger-dlq.fifo': { fifo: true },
  },
  eventSourceMappings: [{ source: 'ledger.fifo', function: 'ledger', batchSize: 1 }],
  traffic: [
    {
      to: 'ledger.fifo',
      rate: 8,
      count: 400,
      messageGroups: ['acct-1', 'acct-2', 'acct-3', 'acct-4'],
      body: (i) => ({ entry: i, bad: i === 9 }),
    },
  ],
});
