/**
 * The cross-field rules of the scenario contract: what no single field can say alone. Each rule runs after
 * the fields it reads have been checked (as a valibot pipe action on the object, or after a whole map of
 * resources), cites the AWS rule it enforces, and reports in the project's own words.
 */
import * as v from 'valibot';
import type { ResourceKind } from '../model.js';
import { primitive, readRef, type RefTarget, type Registry, rule, type RuleProblem } from './primitives.js';

/**
 * A reference to a standard queue (or another kind): AWS delivers asynchronous destinations and dead-letter
 * messages only to standard queues (docs/aws-rules.md §2: "SQS (standard only)"), and EventBridge, SNS and
 * stream on-failure destinations refuse FIFO queues too. `why` ends the message.
 */
export function standardRef(reg: Registry, kinds: readonly ResourceKind[], why: string) {
  return v.optional(
    primitive<string, RefTarget | undefined>(kinds.join(' | '), (value) => {
      const found = readRef(reg, value, kinds);
      if (found.ok && found.value.kind === 'queue' && reg.fifo[found.value.name]) return { ok: false, message: `is a FIFO queue; ${why}` };
      return found;
    }),
  );
}

/**
 * SQS RedrivePolicy (docs/aws-rules.md §3.2): the dead-letter queue is another queue, FIFO for a FIFO
 * queue and standard for a standard one.
 */
export function redriveTarget(reg: Registry, queue: string) {
  return rule<{ queue: RefTarget | undefined; maxReceiveCount: number }>((redrive, typed): RuleProblem[] => {
    // Only a policy whose own fields are valid is compared with its queue.
    if (!typed || !redrive.queue) return [];
    const target = redrive.queue.name;
    const at = [{ type: 'object' as const, key: 'queue' }];
    if (target === queue) return [{ message: 'is the queue itself; a dead-letter queue must be another queue', input: target, path: at }];
    if (reg.fifo[queue] !== reg.fifo[target]) {
      const [own, other] = reg.fifo[queue] ? ['FIFO', 'standard'] : ['standard', 'FIFO'];
      return [{ message: `is a ${other} queue; the dead-letter queue of a ${own} queue must also be ${own}`, input: target, path: at }];
    }
    return [];
  });
}

/** SQS: ContentBasedDeduplication is an attribute of FIFO queues only. */
export const contentBasedDeduplicationIsFifo = rule<{ fifo: boolean; contentBasedDeduplication: boolean }>((queue) =>
  queue?.contentBasedDeduplication && !queue.fifo
    ? [{ message: 'is only for FIFO queues (set fifo: true)', input: true, path: [{ type: 'object', key: 'contentBasedDeduplication' }] }]
    : [],
);

