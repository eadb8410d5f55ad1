import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/scenario/model.js';
import { formatValidationError, validateScenario, type ValidationError } from '../../src/scenario/validate.js';

const FILE = 'scenarios/x.ts';

/** A valid scenario with one function, plus whatever a test adds or overrides. */
function scenario(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'x', functions: { processor: {} }, ...extra };
}

function errorsOf(input: unknown): ValidationError[] {
  return validateScenario(input, FILE).errors;
}

/**
 * Asserts that validating `input` yields exactly one error (or, with `only: false`, at least one at
 * `path`), at `path`, showing `value`, whose message contains every fragment (the allowed range or names).
 */
function expectError(
  input: unknown,
  path: string,
  value: unknown,
  fragments: string[],
  options: { only?: boolean } = {},
): ValidationError {
  const errors = errorsOf(input);
  const shown = errors.map(formatValidationError).join('\n');
  const found = errors.find((e) => e.path === path);
  expect(found, `no error at ${path}; got:\n${shown}`).toBeDefined();
  if (options.only !== false) expect(errors, shown).toHaveLength(1);
  expect(found!.file).toBe(FILE);
  expect(found!.value).toEqual(value);
  for (const fragment of fragments) expect(found!.message).toContain(fragment);
  return found!;
}

function expectValid(input: unknown): Model {
  const { model, errors } = validateScenario(input, FILE);
  expect(errors.map(formatValidationError)).toEqual([]);
  expect(model).toBeDefined();
  return model!;
}

describe('formatValidationError', () => {
  it('gives one line: file, path, the value shown compactly, and what is allowed', () => {
    const [error] = errorsOf(scenario({ functions: { processor: { timeout: '20m' } } }));
    expect(formatValidationError(error)).toBe("scenarios/x.ts: functions.processor.timeout: '20m' is out of range; allowed 1s..15m");
  });

  it('names the declared resources when a reference is wrong', () => {
    const [error] = errorsOf(
      scenario({ queues: { orders: {}, 'orders-dlq': {} }, eventSourceMappings: [{ source: 'ordrs', function: 'processor' }] }),
    );
    expect(formatValidationError(error)).toBe(
      "scenarios/x.ts: eventSourceMappings[0].source: 'ordrs' is not a queue, stream or table; declared: orders, orders-dlq",
    );
  });

  it('leaves out the value of a missing field', () => {
    const [error] = errorsOf({ functions: {} });
    expect(formatValidationError(error)).toBe('scenarios/x.ts: name: is missing; expected the scenario name');
  });

  it('cuts long values and never spans lines', () => {
    const line = formatValidationError({ file: FILE, path: 'p', value: { a: 'x'.repeat(200), b: '\n' }, message: 'is bad' });
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThan(100);
    expect(line).toContain('…');
  });
});

describe('the scenario itself', () => {
  it('must be an object', () => {
    expectError(42, '', 42, ['defineScenario']);
  });

  it('needs a name', () => {
    expectError({ functions: {} }, 'name', undefined, ['is missing']);
  });

  it('needs a non-empty string name', () => {
    expectError(scenario({ name: '' }), 'name', '', ['non-empty string']);
  });

  it('needs functions', () => {
    expectError({ name: 'x' }, 'functions', undefined, ['is missing', 'map of function name']);
  });

  it('refuses unknown top-level keys and lists the valid ones', () => {
    expectError(scenario({ queus: {} }), 'queus', {}, ['did you mean queues?', 'valid: name, description, seed, tick']);
  });

  it('refuses a description that is not a string', () => {
    expectError(scenario({ description: 5 }), 'description', 5, ['string']);
  });

  it('refuses a seed given as a string, with a hint to drop the quotes', () => {
    expectError(scenario({ seed: '5' }), 'seed', '5', ['is a string, not a number', 'without quotes', '0..2^53-1']);
  });

  it('refuses a fractional or negative seed', () => {
    expectError(scenario({ seed: 1.5 }), 'seed', 1.5, ['whole number', '0..2^53-1']);
    expectError(scenario({ seed: -1 }), 'seed', -1, ['out of range', '0..2^53-1']);
  });

  it('refuses a tick that is not a duration', () => {
    expectError(scenario({ tick: 'fast' }), 'tick', 'fast', ['is not a duration', "'250ms'", 'allowed 1ms..1m']);
  });

  it('refuses a negative duration', () => {
    expectError(scenario({ tick: '-5ms' }), 'tick', '-5ms', ['is negative', 'allowed 1ms..1m']);
  });

  it('refuses a tick out of range', () => {
    expectError(scenario({ tick: '2m' }), 'tick', '2m', ['out of range', 'allowed 1ms..1m']);
  });

  it('refuses a run duration out of range', () => {
    expectError(scenario({ duration: '31d' }), 'duration', '31d', ['allowed 1ms..30d']);
  });

  it('refuses a region that is not a Region name', () => {
    expectError(scenario({ region: 'mars' }), 'region', 'mars', ["'us-east-1'"]);
  });

  it('refuses an account ID that is not 12 digits', () => {
    expectError(scenario({ accountId: '123' }), 'accountId', '123', ['12 digits']);
  });

  it('refuses an account concurrency out of range', () => {
    expectError(scenario({ account: { concurrentExecutions: 0 } }), 'account.concurrentExecutions', 0, ['allowed 1..100000']);
  });

  it('refuses unknown account keys', () => {
    expectError(scenario({ account: { concurrency: 5 } }), 'account.concurrency', 5, ['valid: concurrentExecutions']);
  });
});

describe('resource names', () => {
  it('are unique across all resource kinds', () => {
    expectError(scenario({ queues: { processor: {} } }), 'queues.processor', 'processor', [
      'already declared at functions.processor',
      'unique across functions, queues, streams, tables, topics, buses and buckets',
    ]);
  });

  it("cannot be 'default', the default event bus", () => {
    expectError({ name: 'x', functions: { default: {} } }, 'functions.default', 'default', ['default event bus', 'unique across']);
  });

  it('are non-empty', () => {
    expectError(scenario({ queues: { '': {} } }), "queues['']", '', ['empty name']);
  });

  it('live in maps, not arrays', () => {
    expectError(scenario({ queues: ['orders'] }), 'queues', ['orders'], ['is not an object', 'map of queue name']);
  });

  it('name specs that are objects', () => {
    expectError({ name: 'x', functions: { processor: 5 } }, 'functions.processor', 5, ['is not an object', 'function spec']);
  });
});

describe('functions (docs/aws-rules.md §1, 2, 4)', () => {
  const fn = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    scenario({ functions: { processor: spec }, ...extra });

  it('refuses unknown function keys', () => {
    expectError(fn({ timout: '3s' }), 'functions.processor.timout', '3s', ['did you mean timeout?', 'valid: handler, duration, timeout']);
  });

  it('refuses a handler that is not a function', () => {
    expectError(fn({ handler: 'index.handler' }), 'functions.processor.handler', 'index.handler', ['is not a function']);
  });

  it('refuses a timeout above 15 minutes', () => {
    expectError(fn({ timeout: '20m' }), 'functions.processor.timeout', '20m', ['allowed 1s..15m']);
  });

  it('refuses a timeout below 1 second', () => {
    expectError(fn({ timeout: 500 }), 'functions.processor.timeout', 500, ['allowed 1s..15m']);
  });

  it('refuses a memory size out of range', () => {
    expectError(fn({ memorySize: 100 }), 'functions.processor.memorySize', 100, ['allowed 128..10240']);
    expectError(fn({ memorySize: 10241 }), 'functions.processor.memorySize', 10241, ['allowed 128..10240']);
  });

  it('reads architecture as x86_64 unless the scenario says arm64', () => {
    expect(validateScenario(fn({}), FILE).model?.functions.processor.architecture).toBe('x86_64');
    expect(validateScenario(fn({ architecture: 'arm64' }), FILE).model?.functions.processor.architecture).toBe('arm64');
  });

  it('refuses an architecture AWS does not offer', () => {
    expectError(fn({ architecture: 'aarch64' }), 'functions.processor.architecture', 'aarch64', ["allowed: 'x86_64', 'arm64'"]);
  });

  it('refuses a fractional memory size', () => {
    expectError(fn({ memorySize: 256.5 }), 'functions.processor.memorySize', 256.5, ['whole number', '128..10240']);
  });

  it('refuses a memory size written as a string', () => {
    expectError(fn({ memorySize: '512' }), 'functions.processor.memorySize', '512', ['is a string, not a number', '128..10240']);
  });

  it('refuses a memory size that is not a number at all', () => {
    expectError(fn({ memorySize: 'big' }), 'functions.processor.memorySize', 'big', ['is not a number', '128..10240']);
  });

  it('refuses a negative cold start', () => {
    expectError(fn({ coldStart: -1 }), 'functions.processor.coldStart', -1, ['is negative', 'allowed 0..15m']);
  });

  it('refuses a run time that is not a duration', () => {
    expectError(fn({ duration: 'slow' }), 'functions.processor.duration', 'slow', ['is not a duration', 'allowed 0..1h']);
  });

  it('refuses a p99 below the p50', () => {
    expectError(fn({ duration: { p50: '200ms', p99: '100ms' } }), 'functions.processor.duration.p99', '100ms', [
      "below p50 ('200ms')",
      'at least p50',
    ]);
  });

  it('refuses a duration object without p99', () => {
    expectError(fn({ duration: { p50: '200ms' } }), 'functions.processor.duration.p99', undefined, ['is missing', '0..1h']);
  });

  it('refuses reserved concurrency that leaves less than 100 unreserved', () => {
    expectError(fn({ reservedConcurrentExecutions: 950 }), 'functions.processor.reservedConcurrentExecutions', 950, [
      'allowed 0..900',
      '100 AWS keeps unreserved',
    ]);
  });

  it('follows the account limit for reserved concurrency', () => {
    expectError(
      fn({ reservedConcurrentExecutions: 150 }, { account: { concurrentExecutions: 200 } }),
      'functions.processor.reservedConcurrentExecutions',
      150,
      ['allowed 0..100'],
    );
  });

  it('refuses reserved concurrency that adds up to more than the account minus 100', () => {
    expectError(
      scenario({ functions: { a: { reservedConcurrentExecutions: 500 }, b: { reservedConcurrentExecutions: 450 } } }),
      'functions',
      950,
      ['a 500, b 450', 'at most 900', 'keeps 100'],
    );
  });

  it('refuses provisioned concurrency on the function itself and says where it goes', () => {
    expectError(fn({ provisionedConcurrentExecutions: 10 }), 'functions.processor.provisionedConcurrentExecutions', 10, [
      'AWS never runs $LATEST on provisioned concurrency',
      "functions.processor.versions['1'].provisionedConcurrentExecutions",
      'functions.processor.aliases.live.provisionedConcurrentExecutions',
    ]);
  });

  it('refuses provisioned concurrency on versions and aliases above the reserved concurrency', () => {
    expectError(
      fn({ reservedConcurrentExecutions: 5, versions: { '1': {} }, aliases: { live: { version: '1', provisionedConcurrentExecutions: 10 } } }),
      'functions.processor',
      10,
      ['provisioned concurrency 10', 'above its reservedConcurrentExecutions 5'],
    );
  });

  it('refuses provisioned concurrency above what the account can provision', () => {
    expectError(fn({ versions: { '1': { provisionedConcurrentExecutions: 2000 } } }), 'functions.processor', 2000, ['above the 900 the account can provision']);
  });

  it('refuses negative provisioned concurrency on a version', () => {
    expectError(fn({ versions: { '1': { provisionedConcurrentExecutions: -1 } } }), "functions.processor.versions['1'].provisionedConcurrentExecutions", -1, ['0..100000']);
  });

  it('refuses async retry attempts outside 0..2', () => {
    expectError(fn({ retryAttempts: 3 }), 'functions.processor.retryAttempts', 3, ['allowed 0..2']);
    expectError(fn({ retryAttempts: 1.5 }), 'functions.processor.retryAttempts', 1.5, ['whole number', '0..2']);
  });

  it('refuses a maximum event age outside 60s..6h', () => {
    expectError(fn({ maxEventAge: '30s' }), 'functions.processor.maxEventAge', '30s', ['allowed 60s..6h']);
    expectError(fn({ maxEventAge: '7h' }), 'functions.processor.maxEventAge', '7h', ['allowed 60s..6h']);
  });

  it('refuses an onSuccess destination that is not declared', () => {
    expectError(fn({ onSuccess: 'nowhere' }, { queues: { done: {} } }), 'functions.processor.onSuccess', 'nowhere', [
      'is not a queue, topic, function or bus',
      'declared: default, processor, done',
    ]);
  });

  it('refuses a bucket as onSuccess destination (S3 is on-failure only)', () => {
    expectError(
      fn({ onSuccess: 'archive' }, { buckets: { archive: { notifications: [] } } }),
      'functions.processor.onSuccess',
      'archive',
      ['is a bucket, not a queue, topic, function or bus'],
    );
  });

  it('refuses a FIFO queue as an async destination', () => {
    expectError(fn({ onSuccess: 'done' }, { queues: { done: { fifo: true } } }), 'functions.processor.onSuccess', 'done', [
      'is a FIFO queue',
      'standard queues',
    ]);
  });

  it('accepts itself as a destination, as AWS does', () => {
    expectValid(fn({ onSuccess: 'processor' }));
  });

  it('accepts a bucket as onFailure destination', () => {
    expectValid(fn({ onFailure: 'archive' }, { buckets: { archive: { notifications: [] } } }));
  });

  it('refuses a stream as onFailure destination', () => {
    expectError(fn({ onFailure: 'orders' }, { streams: { orders: {} } }), 'functions.processor.onFailure', 'orders', [
      'is a stream, not a queue, topic, function, bus or bucket',
    ]);
  });

  it('refuses a dead-letter queue that is not a queue or topic', () => {
    expectError(fn({ deadLetterQueue: 'processor' }), 'functions.processor.deadLetterQueue', 'processor', [
      'is a function, not a queue or topic',
    ]);
  });

  it('refuses a FIFO dead-letter queue', () => {
    expectError(fn({ deadLetterQueue: 'dlq' }, { queues: { dlq: { fifo: true } } }), 'functions.processor.deadLetterQueue', 'dlq', [
      'is a FIFO queue',
      'standard queue',
    ]);
  });

  it('refuses a reference that is not a string', () => {
    expectError(fn({ onFailure: 5 }), 'functions.processor.onFailure', 5, ['is not a name', 'declared: default, processor']);
  });
});

describe('queues (docs/aws-rules.md §3.2)', () => {
  const queue = (spec: Record<string, unknown>, more: Record<string, unknown> = {}) =>
    scenario({ queues: { orders: spec, ...more } });

  it('refuses unknown queue keys', () => {
    expectError(queue({ visibility: '30s' }), 'queues.orders.visibility', '30s', ['valid: fifo, visibilityTimeout']);
  });

  it('refuses a fifo flag that is not a boolean', () => {
    expectError(queue({ fifo: 'yes' }), 'queues.orders.fifo', 'yes', ['true or false']);
  });

  it('refuses a visibility timeout above 12h', () => {
    expectError(queue({ visibilityTimeout: '13h' }), 'queues.orders.visibilityTimeout', '13h', ['allowed 0..12h']);
  });

  it('refuses a delivery delay above 15m', () => {
    expectError(queue({ deliveryDelay: '16m' }), 'queues.orders.deliveryDelay', '16m', ['allowed 0..15m']);
  });

  it('refuses a retention period outside 60s..14d', () => {
    expectError(queue({ retentionPeriod: '30s' }), 'queues.orders.retentionPeriod', '30s', ['allowed 60s..14d']);
    expectError(queue({ retentionPeriod: '15d' }), 'queues.orders.retentionPeriod', '15d', ['allowed 60s..14d']);
  });

  it('refuses a maxReceiveCount outside 1..1000', () => {
    const dlq = { dlq: {} };
    expectError(queue({ deadLetterQueue: { queue: 'dlq', maxReceiveCount: 0 } }, dlq), 'queues.orders.deadLetterQueue.maxReceiveCount', 0, [
      'allowed 1..1000',
    ]);
    expectError(
      queue({ deadLetterQueue: { queue: 'dlq', maxReceiveCount: 1001 } }, dlq),
      'queues.orders.deadLetterQueue.maxReceiveCount',
      1001,
      ['allowed 1..1000'],
    );
  });

  it('needs a maxReceiveCount', () => {
    expectError(queue({ deadLetterQueue: { queue: 'dlq' } }, { dlq: {} }), 'queues.orders.deadLetterQueue.maxReceiveCount', undefined, [
      'is missing',
      '1..1000',
    ]);
  });

  it('refuses a dead-letter queue that does not exist', () => {
    expectError(queue({ deadLetterQueue: { queue: 'nope', maxReceiveCount: 3 } }), 'queues.orders.deadLetterQueue.queue', 'nope', [
      'is not a queue',
      'declared: orders',
    ]);
  });

  it('refuses the queue as its own dead-letter queue', () => {
    expectError(queue({ deadLetterQueue: { queue: 'orders', maxReceiveCount: 3 } }), 'queues.orders.deadLetterQueue.queue', 'orders', [
      'the queue itself',
    ]);
  });

  it("refuses a standard dead-letter queue for a FIFO queue", () => {
    expectError(
      queue({ fifo: true, deadLetterQueue: { queue: 'dlq', maxReceiveCount: 3 } }, { dlq: {} }),
      'queues.orders.deadLetterQueue.queue',
      'dlq',
      ['is a standard queue', 'of a FIFO queue must also be FIFO'],
    );
  });

  it('refuses a FIFO dead-letter queue for a standard queue', () => {
    expectError(
      queue({ deadLetterQueue: { queue: 'dlq', maxReceiveCount: 3 } }, { dlq: { fifo: true } }),
      'queues.orders.deadLetterQueue.queue',
      'dlq',
      ['is a FIFO queue', 'of a standard queue must also be standard'],
    );
  });

  it('refuses unknown redrive keys', () => {
    expectError(
      queue({ deadLetterQueue: { queue: 'dlq', maxReceiveCount: 3, maxReceives: 3 } }, { dlq: {} }),
      'queues.orders.deadLetterQueue.maxReceives',
      3,
      ['valid: queue, maxReceiveCount'],
    );
  });
});

describe('streams and tables (docs/aws-rules.md §3.4)', () => {
  it('refuses a stream shard count outside 1..500', () => {
    expectError(scenario({ streams: { orders: { shardCount: 0 } } }), 'streams.orders.shardCount', 0, ['allowed 1..500']);
    expectError(scenario({ streams: { orders: { shardCount: 501 } } }), 'streams.orders.shardCount', 501, ['allowed 1..500']);
  });

  it('refuses a stream retention outside 24h..365d', () => {
    expectError(scenario({ streams: { orders: { retentionPeriod: '23h' } } }), 'streams.orders.retentionPeriod', '23h', [
      'allowed 24h..365d',
    ]);
    expectError(scenario({ streams: { orders: { retentionPeriod: '366d' } } }), 'streams.orders.retentionPeriod', '366d', [
      'allowed 24h..365d',
    ]);
  });

  it('refuses unknown stream keys', () => {
    expectError(scenario({ streams: { orders: { shards: 2 } } }), 'streams.orders.shards', 2, ['did you mean shardCount?']);
  });

  it('needs a table partition key', () => {
    expectError(scenario({ tables: { items: {} } }), 'tables.items.partitionKey', undefined, ['is missing', 'partition key']);
  });

  it('refuses an empty table partition key', () => {
    expectError(scenario({ tables: { items: { partitionKey: '' } } }), 'tables.items.partitionKey', '', ['non-empty string']);
  });

  it('refuses a table shard count outside 1..500', () => {
    expectError(scenario({ tables: { items: { partitionKey: 'id', shardCount: 0 } } }), 'tables.items.shardCount', 0, [
      'allowed 1..500',
    ]);
  });

  it('refuses an unknown stream view type and lists the valid ones', () => {
    expectError(scenario({ tables: { items: { partitionKey: 'id', streamViewType: 'ALL' } } }), 'tables.items.streamViewType', 'ALL', [
      "'KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'",
    ]);
  });
});

describe('topics (docs/aws-rules.md §6)', () => {
  it('refuses a subscription that is not declared', () => {
    expectError(scenario({ topics: { alerts: { subscriptions: ['nobody'] } } }), 'topics.alerts.subscriptions[0]', 'nobody', [
      'is not a function or queue',
      'declared: processor',
    ]);
  });

  it('refuses a subscription to a stream', () => {
    expectError(
      scenario({ streams: { orders: {} }, topics: { alerts: { subscriptions: ['orders'] } } }),
      'topics.alerts.subscriptions[0]',
      'orders',
      ['is a stream, not a function or queue'],
    );
  });

  it('refuses a FIFO queue subscribed to a standard topic', () => {
    expectError(
      scenario({ queues: { q: { fifo: true } }, topics: { alerts: { subscriptions: ['q'] } } }),
      'topics.alerts.subscriptions[0]',
      'q',
      ['is a FIFO queue', 'standard SNS topic cannot deliver to a FIFO queue'],
    );
  });

  it('refuses subscriptions that are not an array', () => {
    expectError(scenario({ topics: { alerts: { subscriptions: 'processor' } } }), 'topics.alerts.subscriptions', 'processor', [
      'is not an array',
    ]);
  });
});

describe('EventBridge buses and rules (docs/aws-rules.md §6)', () => {
  const rule = (spec: Record<string, unknown>, bus = 'events', extra: Record<string, unknown> = {}) =>
    scenario({ buses: { [bus]: { rules: [{ name: 'r', targets: ['processor'], ...spec }] } }, ...extra });

  it('refuses a rule with both an event pattern and a schedule', () => {
    expectError(
      rule({ eventPattern: { source: ['orders'] }, schedule: 'rate(5 minutes)' }, 'default'),
      'buses.default.rules[0]',
      { name: 'r', targets: ['processor'], eventPattern: { source: ['orders'] }, schedule: 'rate(5 minutes)' },
      ['both eventPattern and schedule', 'exactly one'],
    );
  });

  it('refuses a rule with neither an event pattern nor a schedule', () => {
    expectError(rule({}), 'buses.events.rules[0]', { name: 'r', targets: ['processor'] }, ['neither eventPattern nor schedule', 'exactly one']);
  });

  it('refuses an invalid event pattern', () => {
    expectError(rule({ eventPattern: { source: 'orders' } }), 'buses.events.rules[0].eventPattern', { source: 'orders' }, [
      'is not a valid event pattern',
      'source: a leaf must be an array',
    ]);
  });

  it('checks event patterns in the EventBridge dialect (wildcard is allowed there)', () => {
    expectValid(rule({ eventPattern: { source: [{ wildcard: 'order*' }] } }));
  });

  it('refuses an invalid schedule', () => {
    expectError(rule({ schedule: 'rate(0 minutes)' }, 'default'), 'buses.default.rules[0].schedule', 'rate(0 minutes)', [
      'is not a valid schedule',
      '≥ 1',
    ]);
  });

  it('refuses a schedule on a custom bus', () => {
    expectError(rule({ schedule: 'rate(5 minutes)' }), 'buses.events.rules[0].schedule', 'rate(5 minutes)', [
      'only be on the default bus',
    ]);
  });

  it('refuses a target that is not declared, listing the valid ones', () => {
    expectError(rule({ eventPattern: { source: ['a'] }, targets: ['nobody'] }), 'buses.events.rules[0].targets[0]', 'nobody', [
      'is not a function, queue, topic or bus',
      'declared: default, processor, events',
    ]);
  });

  it('refuses a bucket as target', () => {
    expectError(
      rule({ eventPattern: { source: ['a'] }, targets: ['b'] }, 'events', { buckets: { b: { notifications: [] } } }),
      'buses.events.rules[0].targets[0]',
      'b',
      ['is a bucket, not a function, queue, topic or bus'],
    );
  });

  it('refuses more than 5 targets', () => {
    const targets = Array(6).fill('processor');
    expectError(rule({ eventPattern: { source: ['a'] }, targets }), 'buses.events.rules[0].targets', targets, ['allowed 0..5']);
  });

  it('needs targets', () => {
    expectError(
      scenario({ buses: { events: { rules: [{ name: 'r', eventPattern: { source: ['a'] } }] } } }),
      'buses.events.rules[0].targets',
      undefined,
      ['is missing', 'declared: default, processor, events'],
    );
  });

  it('needs a rule name', () => {
    expectError(
      scenario({ buses: { events: { rules: [{ eventPattern: { source: ['a'] }, targets: [] }] } } }),
      'buses.events.rules[0].name',
      undefined,
      ['is missing'],
    );
  });

  it('refuses two rules with the same name on one bus', () => {
    const r = { name: 'r', eventPattern: { source: ['a'] }, targets: ['processor'] };
    expectError(scenario({ buses: { events: { rules: [r, r] } } }), 'buses.events.rules[1].name', 'r', ['unique per bus']);
  });

  it('refuses retry attempts outside 0..185', () => {
    expectError(rule({ eventPattern: { source: ['a'] }, retryAttempts: 186 }), 'buses.events.rules[0].retryAttempts', 186, [
      'allowed 0..185',
    ]);
  });

  it('refuses a maximum event age outside 60s..24h', () => {
    expectError(rule({ eventPattern: { source: ['a'] }, maxEventAge: '25h' }), 'buses.events.rules[0].maxEventAge', '25h', [
      'allowed 60s..24h',
    ]);
    expectError(rule({ eventPattern: { source: ['a'] }, maxEventAge: '30s' }), 'buses.events.rules[0].maxEventAge', '30s', [
      'allowed 60s..24h',
    ]);
  });

  it('refuses a dead-letter queue that is not a queue', () => {
    expectError(rule({ eventPattern: { source: ['a'] }, deadLetterQueue: 'processor' }), 'buses.events.rules[0].deadLetterQueue', 'processor', [
      'is a function, not a queue',
    ]);
  });

  it('refuses a FIFO dead-letter queue', () => {
    expectError(
      rule({ eventPattern: { source: ['a'] }, deadLetterQueue: 'dlq' }, 'events', { queues: { dlq: { fifo: true } } }),
      'buses.events.rules[0].deadLetterQueue',
      'dlq',
      ['is a FIFO queue', 'standard queue'],
    );
  });

  it('refuses unknown rule keys', () => {
    expectError(rule({ eventPattern: { source: ['a'] }, pattern: {} }), 'buses.events.rules[0].pattern', {}, [
      'valid: name, eventPattern, schedule, targets',
    ]);
  });
});

describe('buckets (docs/aws-rules.md §6)', () => {
  const note = (spec: Record<string, unknown>) => scenario({ buckets: { uploads: { notifications: [spec] } } });

  it('refuses a notification to a function that does not exist', () => {
    expectError(note({ events: ['s3:ObjectCreated:*'], function: 'nobody' }), 'buckets.uploads.notifications[0].function', 'nobody', [
      'is not a function',
      'declared: processor',
    ]);
  });

  it('needs events', () => {
    expectError(note({ events: [], function: 'processor' }), 'buckets.uploads.notifications[0].events', [], [
      'non-empty array',
      "'s3:ObjectCreated:*'",
    ]);
  });

  it("refuses event types that do not start with 's3:'", () => {
    expectError(note({ events: ['ObjectCreated:*'], function: 'processor' }), 'buckets.uploads.notifications[0].events[0]', 'ObjectCreated:*', [
      "starting with 's3:'",
    ]);
  });

  it('refuses a prefix that is not a string', () => {
    expectError(
      note({ events: ['s3:ObjectCreated:*'], function: 'processor', prefix: 5 }),
      'buckets.uploads.notifications[0].prefix',
      5,
      ['non-empty string'],
    );
  });
});

describe('event source mappings (docs/aws-rules.md §3)', () => {
  const sources = {
    queues: { orders: { visibilityTimeout: '30s' }, 'orders.fifo': { fifo: true } },
    streams: { clicks: { shardCount: 2 } },
    tables: { items: { partitionKey: 'id' } },
  };
  const esm = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    scenario({ ...sources, eventSourceMappings: [{ function: 'processor', ...spec }], ...extra });

  it('refuses a source that is a function', () => {
    expectError(esm({ source: 'processor' }), 'eventSourceMappings[0].source', 'processor', [
      'is a function, not a queue, stream or table',
      'declared: orders, orders.fifo, clicks, items',
    ]);
  });

  it('needs a source', () => {
    expectError(esm({}), 'eventSourceMappings[0].source', undefined, ['is missing', 'declared: orders']);
  });

  it('refuses a function that does not exist', () => {
    expectError(esm({ source: 'orders', function: 'nobody' }), 'eventSourceMappings[0].function', 'nobody', [
      'is not a function',
      'declared: processor',
    ]);
  });

  it('refuses unknown mapping keys, suggesting the right one', () => {
    expectError(esm({ source: 'orders', batchsize: 5 }), 'eventSourceMappings[0].batchsize', 5, [
      'did you mean batchSize?',
      'valid: source, function, batchSize',
    ]);
  });

  it('refuses a batch size above 10000 for an SQS standard queue', () => {
    expectError(esm({ source: 'orders', batchSize: 10001, maxBatchingWindow: '1s' }), 'eventSourceMappings[0].batchSize', 10001, [
      'allowed 1..10000',
    ]);
  });

  it('refuses a batch size of 0', () => {
    expectError(esm({ source: 'orders', batchSize: 0 }), 'eventSourceMappings[0].batchSize', 0, ['allowed 1..10000']);
  });

  it('refuses a batch size above 10 for a FIFO queue', () => {
    expectError(esm({ source: 'orders.fifo', batchSize: 11 }), 'eventSourceMappings[0].batchSize', 11, ['allowed 1..10 for a FIFO queue']);
  });

  it('refuses a batch size above 10000 for Kinesis', () => {
    expectError(esm({ source: 'clicks', batchSize: 10001 }), 'eventSourceMappings[0].batchSize', 10001, ['allowed 1..10000']);
  });

  it('refuses a batch size above 10000 for DynamoDB Streams (the API limit, not CDK’s 1000)', () => {
    expectError(esm({ source: 'items', batchSize: 10001 }), 'eventSourceMappings[0].batchSize', 10001, ['allowed 1..10000']);
    expectValid(esm({ source: 'items', batchSize: 5000 }));
  });

  it('refuses an SQS batch size above 10 without a batching window of at least 1s', () => {
    expectError(esm({ source: 'orders', batchSize: 20 }), 'eventSourceMappings[0].batchSize', 20, [
      'maxBatchingWindow of at least 1s',
      'allowed 1..10 without a window',
    ]);
    expectValid(esm({ source: 'orders', batchSize: 20, maxBatchingWindow: '1s' }));
  });

  it('lets streams take large batches without a window', () => {
    expectValid(esm({ source: 'clicks', batchSize: 500 }));
  });

  it('refuses a batching window above 300s', () => {
    expectError(esm({ source: 'orders', maxBatchingWindow: '301s' }), 'eventSourceMappings[0].maxBatchingWindow', '301s', [
      'allowed 0..300s',
    ]);
  });

  it('refuses a batching window on a FIFO queue', () => {
    expectError(esm({ source: 'orders.fifo', maxBatchingWindow: '1s' }), 'eventSourceMappings[0].maxBatchingWindow', '1s', [
      'FIFO queues take no batching window',
    ]);
  });

  it('refuses maxConcurrency outside 2..1000', () => {
    expectError(esm({ source: 'orders', maxConcurrency: 1 }), 'eventSourceMappings[0].maxConcurrency', 1, ['allowed 2..1000']);
    expectError(esm({ source: 'orders', maxConcurrency: 1001 }), 'eventSourceMappings[0].maxConcurrency', 1001, ['allowed 2..1000']);
  });

  it('refuses maxConcurrency on a stream', () => {
    expectError(esm({ source: 'clicks', maxConcurrency: 5 }), 'eventSourceMappings[0].maxConcurrency', 5, ['only for SQS mappings']);
  });

  it.each([
    ['startingPosition', 'LATEST'],
    ['parallelizationFactor', 2],
    ['bisectBatchOnError', true],
    ['retryAttempts', 3],
    ['maxRecordAge', '1h'],
    ['onFailure', 'orders'],
    ['tumblingWindow', '1m'],
  ])('refuses the stream-only %s on an SQS mapping', (key, value) => {
    expectError(esm({ source: 'orders', [key]: value }), `eventSourceMappings[0].${key}`, value, [
      'only for Kinesis and DynamoDB Streams mappings',
    ]);
  });

  it('refuses an unknown starting position', () => {
    expectError(esm({ source: 'clicks', startingPosition: 'AT_TIMESTAMP' }), 'eventSourceMappings[0].startingPosition', 'AT_TIMESTAMP', [
      "'TRIM_HORIZON', 'LATEST'",
    ]);
  });

  it('refuses a parallelization factor outside 1..10', () => {
    expectError(esm({ source: 'clicks', parallelizationFactor: 11 }), 'eventSourceMappings[0].parallelizationFactor', 11, [
      'allowed 1..10',
    ]);
  });

  it('refuses a bisect flag that is not a boolean', () => {
    expectError(esm({ source: 'clicks', bisectBatchOnError: 'yes' }), 'eventSourceMappings[0].bisectBatchOnError', 'yes', [
      'true or false',
    ]);
  });

  it('refuses stream retry attempts outside -1..10000', () => {
    expectError(esm({ source: 'clicks', retryAttempts: -2 }), 'eventSourceMappings[0].retryAttempts', -2, ['-1', '..10000']);
    expectError(esm({ source: 'items', retryAttempts: 10001 }), 'eventSourceMappings[0].retryAttempts', 10001, ['..10000']);
  });

  it('refuses a maximum record age that is neither -1 nor 60s..7d', () => {
    expectError(esm({ source: 'clicks', maxRecordAge: '30s' }), 'eventSourceMappings[0].maxRecordAge', '30s', ['allowed -1 or 60s..7d']);
    expectError(esm({ source: 'clicks', maxRecordAge: '8d' }), 'eventSourceMappings[0].maxRecordAge', '8d', ['allowed -1 or 60s..7d']);
    expectError(esm({ source: 'clicks', maxRecordAge: 0 }), 'eventSourceMappings[0].maxRecordAge', 0, ['allowed -1 or 60s..7d']);
    expectValid(esm({ source: 'clicks', maxRecordAge: -1 }));
  });

  it('refuses an on-failure destination that is not a queue, topic or bucket', () => {
    expectError(esm({ source: 'clicks', onFailure: 'processor' }), 'eventSourceMappings[0].onFailure', 'processor', [
      'is a function, not a queue, topic or bucket',
    ]);
  });

  it('refuses a FIFO queue as on-failure destination', () => {
    expectError(esm({ source: 'clicks', onFailure: 'orders.fifo' }), 'eventSourceMappings[0].onFailure', 'orders.fifo', [
      'is a FIFO queue',
    ]);
  });

  it('refuses a tumbling window above 15m', () => {
    expectError(esm({ source: 'clicks', tumblingWindow: '16m' }), 'eventSourceMappings[0].tumblingWindow', '16m', ['allowed 0..15m']);
  });

  it('refuses more than 5 filters', () => {
    const filters = Array.from({ length: 6 }, () => ({ body: { a: [1] } }));
    expectError(esm({ source: 'orders', filters }), 'eventSourceMappings[0].filters', filters, ['allowed 0..5']);
  });

  it('checks filters in the ESM dialect (no wildcard)', () => {
    const filter = { body: { a: [{ wildcard: 'x*' }] } };
    expectError(esm({ source: 'orders', filters: [filter] }), 'eventSourceMappings[0].filters[0]', filter, [
      'is not a valid filter pattern',
      'not supported by Lambda event filtering',
    ]);
  });

  it('refuses a filter that is not an object', () => {
    expectError(esm({ source: 'orders', filters: ['body'] }), 'eventSourceMappings[0].filters[0]', 'body', ['is not an object']);
  });

  it('refuses an enabled flag that is not a boolean', () => {
    expectError(esm({ source: 'orders', enabled: 'no' }), 'eventSourceMappings[0].enabled', 'no', ['true or false']);
  });

  it('refuses a function timeout above the visibility timeout of a mapped queue, as AWS refuses the mapping', () => {
    expectError(
      esm({ source: 'orders' }, { functions: { processor: { timeout: '1m' } } }),
      'eventSourceMappings[0].function',
      'processor',
      ['timeout 60s', 'visibility timeout 30s', "queue 'orders'", 'as AWS refuses the mapping', 'timeout ≤ visibilityTimeout'],
    );
  });

  it('refuses a second mapping between the same source and function', () => {
    const errors = errorsOf(
      scenario({ ...sources, eventSourceMappings: [{ source: 'orders', function: 'processor' }, { source: 'orders', function: 'processor' }] }),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('eventSourceMappings[1]');
    expect(errors[0].message).toContain('repeats eventSourceMappings[0]');
  });

  it('refuses mappings that are not an array', () => {
    expectError(scenario({ eventSourceMappings: {} }), 'eventSourceMappings', {}, ['is not an array']);
  });
});

describe('traffic', () => {
  const extra = { queues: { orders: {}, 'orders.fifo': { fifo: true } }, streams: { clicks: {} } };
  const traffic = (entry: Record<string, unknown>) => scenario({ ...extra, traffic: [entry] });

  it("refuses an entry with both 'to' and 'invoke'", () => {
    expectError(traffic({ to: 'orders', invoke: 'processor' }), 'traffic[0]', { to: 'orders', invoke: 'processor' }, [
      "both 'to' and 'invoke'",
      'exactly one',
    ]);
  });

  it("refuses an entry with neither 'to' nor 'invoke'", () => {
    expectError(traffic({ rate: 1 }), 'traffic[0]', { rate: 1 }, ["neither 'to' nor 'invoke'"]);
  });

  it("refuses 'to' a function, pointing at invoke", () => {
    expectError(traffic({ to: 'processor' }), 'traffic[0].to', 'processor', [
      'is a function, not a queue, stream, table, topic, bus or bucket',
      "invoke: 'processor'",
    ]);
  });

  it("refuses 'to' something not declared", () => {
    expectError(traffic({ to: 'ordrs' }), 'traffic[0].to', 'ordrs', [
      'is not a queue, stream, table, topic, bus or bucket',
      'declared: default, orders, orders.fifo, clicks',
    ]);
  });

  it("refuses 'invoke' of something that is not a function", () => {
    expectError(traffic({ invoke: 'orders', type: 'Event' }), 'traffic[0].invoke', 'orders', [
      'is a queue, not a function',
      'declared: processor',
    ]);
  });

  it('needs an invocation type', () => {
    expectError(traffic({ invoke: 'processor' }), 'traffic[0].type', undefined, ['is missing', "'RequestResponse', 'Event'"]);
  });

  it('refuses an unknown invocation type', () => {
    expectError(traffic({ invoke: 'processor', type: 'Async' }), 'traffic[0].type', 'Async', ["'RequestResponse', 'Event'"]);
  });

  it('refuses an unknown caller', () => {
    expectError(traffic({ invoke: 'processor', type: 'Event', via: 'kafka' }), 'traffic[0].via', 'kafka', [
      "'cli', 'alb', 'apigateway', 's3', 'sns'",
    ]);
  });

  // Issue 18 (every caller): the lists of callers that take the other type grew with the new callers.
  it("refuses type 'Event' via ALB or API Gateway", () => {
    expectError(traffic({ invoke: 'processor', type: 'Event', via: 'alb' }), 'traffic[0].via', 'alb', [
      'invokes synchronously',
      "type 'Event' can come via 'cli', 's3', 'sns', 'ses', 'cloudwatch-logs', 'codecommit', 'config', 'iot'",
    ]);
  });

  it("refuses type 'RequestResponse' via S3 or SNS", () => {
    expectError(traffic({ invoke: 'processor', type: 'RequestResponse', via: 'sns' }), 'traffic[0].via', 'sns', [
      'invokes asynchronously',
      "type 'RequestResponse' can come via 'cli', 'alb', 'apigateway', ",
    ]);
  });

  it('refuses a negative rate', () => {
    expectError(traffic({ to: 'orders', rate: -1 }), 'traffic[0].rate', -1, ['allowed 0 or more per second']);
  });

  // Issue 19, item 3: any rate, so a backlog can be present at t=0; the records an entry sends are the limit.
  it('takes a backlog at t=0: count 1,000,000 at a rate of 1,000,000 per second and above', () => {
    for (const rate of [1_000_000, 1e9, 1e12]) {
      const { model, errors } = validateScenario(traffic({ to: 'orders', rate, count: 1_000_000 }), FILE);
      expect(errors).toEqual([]);
      expect(model!.traffic[0].rate).toEqual([{ atMs: 0, ratePerSecond: rate }]);
    }
  });

  it('refuses an entry that would send more records than memory can hold, naming the field', () => {
    expectError(traffic({ to: 'orders', rate: 1e9 }), 'traffic[0].rate', 1e9, ['sends 3.00e+11 records', 'at most 100,000,000 per traffic entry', 'give a count or a stop']);
    expectError(traffic({ to: 'orders', rate: 1e9, count: 1e9 }), 'traffic[0].count', 1e9, ['sends 1.00e+9 records', 'at most 100,000,000']);
    // A stop bounds it as a count does: 10 s at a million per second is fine.
    expect(errorsOf(traffic({ to: 'orders', rate: 1_000_000, stop: '10s' }))).toEqual([]);
  });

  it('refuses an infinite rate', () => {
    expectError(traffic({ to: 'orders', rate: Infinity }), 'traffic[0].rate', Infinity, ['not a finite number']);
  });

  it('refuses an empty list of rate steps', () => {
    expectError(traffic({ to: 'orders', rate: [] }), 'traffic[0].rate', [], ['has no steps']);
  });

  it('refuses a negative rate in a step', () => {
    expectError(traffic({ to: 'orders', rate: [{ at: 0, rate: -5 }] }), 'traffic[0].rate[0].rate', -5, ['allowed 0 or more']);
  });

  it('refuses two steps at the same time', () => {
    expectError(
      traffic({ to: 'orders', rate: [{ at: '1s', rate: 5 }, { at: 1000, rate: 6 }] }),
      'traffic[0].rate[1].at',
      1000,
      ['repeats the time of an earlier step'],
    );
  });

  it('refuses a count that is not a whole number of 0 or more', () => {
    expectError(traffic({ to: 'orders', count: 1.5 }), 'traffic[0].count', 1.5, ['whole number', '0 or more']);
    expectError(traffic({ to: 'orders', count: -1 }), 'traffic[0].count', -1, ['0 or more']);
  });

  it('refuses a stop that is not after the start', () => {
    expectError(traffic({ to: 'orders', start: '10s', stop: '5s' }), 'traffic[0].stop', '5s', ["not after start ('10s')"]);
  });

  it('refuses partition keys for anything but streams and tables', () => {
    expectError(traffic({ to: 'orders', partitionKeys: 3 }), 'traffic[0].partitionKeys', 3, ['only for streams and tables']);
  });

  it('refuses a partition key count of 0', () => {
    expectError(traffic({ to: 'clicks', partitionKeys: 0 }), 'traffic[0].partitionKeys', 0, ['allowed 1..10000']);
  });

  it('refuses message groups for a standard queue', () => {
    expectError(traffic({ to: 'orders', messageGroups: 2 }), 'traffic[0].messageGroups', 2, ['only for FIFO queues', 'a standard queue']);
  });

  it('refuses message groups that are not strings', () => {
    expectError(traffic({ to: 'orders.fifo', messageGroups: ['a', 5] }), 'traffic[0].messageGroups[1]', 5, ['non-empty string']);
  });

  it('refuses a body that is not a function', () => {
    expectError(traffic({ to: 'orders', body: { n: 1 } }), 'traffic[0].body', { n: 1 }, ['is not a function', '(i) => payload']);
  });

  it('refuses http options for callers other than ALB and API Gateway', () => {
    expectError(traffic({ invoke: 'processor', type: 'RequestResponse', http: { path: '/' } }), 'traffic[0].http', { path: '/' }, [
      "only for via 'alb', 'apigateway', 'url' or 'cloudfront'",
    ]);
  });

  it('refuses keys of the other kind of traffic entry', () => {
    expectError(traffic({ to: 'orders', type: 'Event' }), 'traffic[0].type', 'Event', ['valid: to, rate, count']);
  });
});

describe('faults', () => {
  const fault = (spec: Record<string, unknown>) => scenario({ faults: [{ function: 'processor', kind: 'error', ...spec }] });

  it('refuses a function that does not exist', () => {
    expectError(fault({ function: 'nobody' }), 'faults[0].function', 'nobody', ['is not a function', 'declared: processor']);
  });

  it('refuses an unknown kind and lists the five', () => {
    expectError(fault({ kind: 'crash' }), 'faults[0].kind', 'crash', ["'error', 'timeout', 'throttle', 'latency', 'partial'"]);
  });

  it('refuses a rate outside 0..1', () => {
    expectError(fault({ rate: 1.5 }), 'faults[0].rate', 1.5, ['allowed 0..1']);
  });

  it('refuses add on anything but latency', () => {
    expectError(fault({ add: '1s' }), 'faults[0].add', '1s', ["only for kind 'latency'"]);
  });

  it('needs add for latency', () => {
    expectError(fault({ kind: 'latency' }), 'faults[0].add', undefined, ['is missing', '0..15m']);
  });

  it('refuses an until that is not after from', () => {
    expectError(fault({ from: '10s', until: '10s' }), 'faults[0].until', '10s', ["not after from ('10s')"]);
  });

  it('refuses match indexes that are not non-negative integers', () => {
    expectError(fault({ match: { index: -1 } }), 'faults[0].match.index', -1, ['integers 0 or more']);
    expectError(fault({ match: { index: [0, 1.5] } }), 'faults[0].match.index[1]', 1.5, ['integers 0 or more']);
  });

  it('refuses unknown match keys', () => {
    expectError(fault({ match: { key: 'a' } }), 'faults[0].match.key', 'a', ['valid: traffic, index, partitionKey, messageGroup, body']);
  });
});

describe('collecting errors', () => {
  it('reports every problem, not only the first', () => {
    const errors = errorsOf({
      name: 'x',
      functions: { processor: { timeout: '20m', memorySize: 64 } },
      queues: { orders: { visibilityTimeout: '13h' } },
      eventSourceMappings: [{ source: 'ordrs', function: 'processor' }],
      faults: [{ function: 'processor', kind: 'crash' }],
    });
    expect(errors.map((e) => e.path)).toEqual([
      'functions.processor.timeout',
      'functions.processor.memorySize',
      'queues.orders.visibilityTimeout',
      'eventSourceMappings[0].source',
      'faults[0].kind',
    ]);
  });

  it('returns no model when there are errors', () => {
    expect(validateScenario(scenario({ tick: 0 }), FILE).model).toBeUndefined();
  });
});

describe('defaults of a minimal scenario', () => {
  it('fills in every default', () => {
    const model = expectValid({ name: 'hello', functions: { hello: {} } });
    expect(model).toEqual({
      file: FILE,
      name: 'hello',
      description: '',
      seed: 1,
      tickMs: 100,
      durationMs: 300_000,
      region: 'us-east-1',
      accountId: '123456789012',
      accountConcurrency: 1000,
      functions: {
        hello: {
          name: 'hello',
          duration: { p50Ms: 100, p99Ms: 100 },
          timeoutMs: 3000,
          memorySize: 128,
          architecture: 'x86_64',
          coldStartMs: 300,
          environmentIdleTimeoutMs: 600_000,
          versions: {},
          aliases: {},
          retryAttempts: 2,
          maxEventAgeMs: 21_600_000,
          duplicateRate: 0,
        },
      },
      queues: {},
      streams: {},
      tables: {},
      topics: {},
      buses: { default: { name: 'default', rules: [] } },
      buckets: {},
      stateMachines: {},
      eventSourceMappings: [],
      traffic: [],
      faults: [],
      deployments: [],
      resources: { default: 'bus', hello: 'function' },
    } satisfies Model);
  });

  it('fills in resource defaults', () => {
    const model = expectValid(
      scenario({
        queues: { q: {} },
        streams: { s: {} },
        tables: { t: { partitionKey: 'id' } },
        topics: { n: {} },
        buses: { default: { rules: [{ name: 'r', eventPattern: { source: ['a'] }, targets: ['processor'] }] } },
      }),
    );
    expect(model.queues.q).toEqual({ name: 'q', fifo: false, contentBasedDeduplication: false, visibilityTimeoutMs: 30_000, deliveryDelayMs: 0, retentionPeriodMs: 345_600_000 });
    expect(model.streams.s).toEqual({ name: 's', shardCount: 1, retentionPeriodMs: 86_400_000 });
    expect(model.tables.t).toEqual({
      name: 't',
      partitionKey: 'id',
      shardCount: 1,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      retentionPeriodMs: 86_400_000,
    });
    expect(model.topics.n).toEqual({ name: 'n', subscriptions: [], subscriptionConfigs: [] });
    expect(model.buses.default.rules[0]).toEqual({
      name: 'r',
      eventPattern: { source: ['a'] },
      targets: ['processor'],
      retryAttempts: 185,
      maxEventAgeMs: 86_400_000,
    });
    expect(model.resources).toEqual({ default: 'bus', processor: 'function', q: 'queue', s: 'stream', t: 'table', n: 'topic' });
  });

  it('gives a fixed duration the same p50 and p99, and keeps a distribution', () => {
    const model = expectValid(scenario({ functions: { a: { duration: '250ms' }, b: { duration: { p50: 50, p99: '2s' } } } }));
    expect(model.functions.a.duration).toEqual({ p50Ms: 250, p99Ms: 250 });
    expect(model.functions.b.duration).toEqual({ p50Ms: 50, p99Ms: 2000 });
  });

  it('fills in SQS mapping defaults (batch 10) and stream mapping defaults (batch 100, TRIM_HORIZON)', () => {
    const model = expectValid(
      scenario({
        queues: { q: {} },
        streams: { s: {} },
        tables: { t: { partitionKey: 'id' } },
        eventSourceMappings: [
          { source: 'q', function: 'processor' },
          { source: 's', function: 'processor' },
          { source: 't', function: 'processor' },
        ],
      }),
    );
    const common = {
      function: 'processor',
      maxBatchingWindowMs: 0,
      enabled: true,
      startAtMs: 0,
      filters: [],
      reportBatchItemFailures: false,
      startingPosition: 'TRIM_HORIZON',
      parallelizationFactor: 1,
      bisectBatchOnError: false,
      retryAttempts: -1,
      maxRecordAgeMs: -1,
      tumblingWindowMs: 0,
    };
    expect(model.eventSourceMappings).toEqual([
      { id: 'esm-0', source: 'q', sourceKind: 'sqs', batchSize: 10, ...common },
      { id: 'esm-1', source: 's', sourceKind: 'kinesis', batchSize: 100, ...common },
      { id: 'esm-2', source: 't', sourceKind: 'dynamodb', batchSize: 100, ...common },
    ]);
  });

  it('normalises traffic: rates, steps, keys and groups', () => {
    const body = (i: number) => ({ i });
    const model = expectValid(
      scenario({
        queues: { q: {}, f: { fifo: true } },
        streams: { s: { shardCount: 2 } },
        traffic: [
          { to: 'q', rate: 5, body },
          { to: 's', rate: [{ at: '30s', rate: 50 }, { at: '10s', rate: 5 }], stop: '1m' },
          { to: 'f', messageGroups: 3, count: 10 },
          { to: 's', partitionKeys: ['a', 'b'] },
          { invoke: 'processor', type: 'Event' },
        ],
      }),
    );
    expect(model.traffic[0]).toEqual({ index: 0, kind: 'put', target: 'q', targetKind: 'queue', rate: [{ atMs: 0, ratePerSecond: 5 }], startMs: 0, body });
    expect(model.traffic[1].rate).toEqual([
      { atMs: 0, ratePerSecond: 0 },
      { atMs: 10_000, ratePerSecond: 5 },
      { atMs: 30_000, ratePerSecond: 50 },
    ]);
    expect(model.traffic[1].stopMs).toBe(60_000);
    // 4 keys per shard by default, so hashing spreads records over every shard.
    expect(model.traffic[1].partitionKeys).toEqual(['key-0', 'key-1', 'key-2', 'key-3', 'key-4', 'key-5', 'key-6', 'key-7']);
    expect(model.traffic[2].messageGroups).toEqual(['group-0', 'group-1', 'group-2']);
    expect(model.traffic[2].count).toBe(10);
    // Without a rate, one record per second.
    expect(model.traffic[2].rate).toEqual([{ atMs: 0, ratePerSecond: 1 }]);
    expect(model.traffic[3].partitionKeys).toEqual(['a', 'b']);
    expect(model.traffic[4]).toEqual({
      index: 4,
      kind: 'invoke',
      target: 'processor',
      targetKind: 'function',
      type: 'Event',
      via: 'cli',
      rate: [{ atMs: 0, ratePerSecond: 1 }],
      startMs: 0,
    });
  });

  it('gives a FIFO queue one message group by default', () => {
    const model = expectValid(scenario({ queues: { f: { fifo: true } }, traffic: [{ to: 'f' }] }));
    expect(model.traffic[0].messageGroups).toEqual(['group-0']);
  });

  it('fills in the HTTP request of ALB and API Gateway traffic', () => {
    const model = expectValid(
      scenario({
        traffic: [
          { invoke: 'processor', type: 'RequestResponse', via: 'alb' },
          { invoke: 'processor', type: 'RequestResponse', via: 'apigateway', body: () => 'x', http: { payloadFormatVersion: '1.0' } },
        ],
      }),
    );
    expect(model.traffic[0].http).toEqual({ method: 'GET', path: '/', multiValueHeaders: false });
    expect(model.traffic[1].http).toEqual({ method: 'POST', path: '/', payloadFormatVersion: '1.0', api: 'rest', integrationTimeout: 29_000 });
  });

  it('normalises faults: rate 1, from 0, until forever, index as a list', () => {
    const model = expectValid(
      scenario({
        faults: [
          { function: 'processor', kind: 'error', match: { index: 3 } },
          { function: 'processor', kind: 'latency', add: '2s', from: '10s', until: '20s', rate: 0.5 },
        ],
      }),
    );
    expect(model.faults).toEqual([
      { index: 0, function: 'processor', kind: 'error', match: { index: [3] }, rate: 1, fromMs: 0, untilMs: Infinity, addMs: 0 },
      { index: 1, function: 'processor', kind: 'latency', rate: 0.5, fromMs: 10_000, untilMs: 20_000, addMs: 2000 },
    ]);
  });
});
