import { defineScenario } from 'lambda-tui';

/**
 * Throttled asynchronous events age out (docs/aws-rules.md §2). Two reserved environments at 3 s each
 * serve two-thirds of an event a second; traffic sends five a second for 20 s. Lambda does not refuse the
 * excess: it accepts every event and its poller retries throttled ones with a backoff of 1 s, 2 s, 4 s …
 * (up to 5 min), not counting them as attempts. With maxEventAge 60 s, an event whose next try would
 * come after its 60th second is failed at once with EventAgeExceeded: its invocation record has
 * approximateInvokeCount 0 and no responseContext, because the function never ran for it.
 */
export default defineScenario({
  name: 'Throttled async events age out',
  description: 'resize has 2 reserved environments for 5 events/s: watch the queue and its backoff retries grow, then EventAgeExceeded records land in expired-events',
  duration: '3m',
  functions: {
    resize: { duration: '3s', timeout: '10s', reservedConcurrentExecutions: 2, maxEventAge: '60s', onFailure: 'expired-events' },
    'expired-events': { duration: '20ms' },
  },
  traffic: [{ invoke: 'resize', type: 'Event', via: 'cli', rate: 5, count: 100, body: (i) => ({ imageId: i }) }],
});
