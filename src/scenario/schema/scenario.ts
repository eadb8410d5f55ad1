/**
 * The scenario's own fields (the top level of a scenario file): its name, seed, tick and run duration, the
 * Region and account its ARNs name, and the account's concurrency. The resource maps, traffic, faults and
 * deployments are checked by their own schemas (schema/kinds.ts, traffic.ts, versions.ts, states.ts) once
 * every name is registered (validate.ts), so here they are only valid keys.
 */
import * as v from 'valibot';
import type {
  BucketSpec,
  BusSpec,
  DeploymentSpec,
  EventSourceMappingSpec,
  FaultSpec,
  FunctionSpec,
  QueueSpec,
  StateMachineSpec,
  StreamSpec,
  TableSpec,
  TopicSpec,
  TrafficSpec,
} from '../types.js';
import { DEFAULTS, LIMITS } from './limits.js';
import { absentAs, duration, elsewhere, later, number, primitive, type Read, spec, text } from './primitives.js';

/** Region names shape ARNs (us-east-1, eu-central-2, us-gov-west-1, cn-north-1). */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function readRegion(value: unknown): Read<string> {
  return typeof value === 'string' && REGION_PATTERN.test(value)
    ? { ok: true, value }
    : { ok: false, message: "is not an AWS Region name; expected something like 'us-east-1' or 'eu-west-2'" };
}

/** An AWS Region name, required where it is used (a CloudFront replica's region has no default). */
export const regionName = primitive<string, string>('an AWS Region name', readRegion);

const accountId = primitive<string, string>('an AWS account ID', (value) =>
  typeof value === 'string' && /^\d{12}$/.test(value)
    ? { ok: true, value }
    : { ok: false, message: "is not an AWS account ID; expected a string of 12 digits like '123456789012'" },
);

const account = spec(
  {
    // docs/aws-rules.md §4: 1,000 per Region by default; raised limits reach tens of thousands.
    concurrentExecutions: number(LIMITS.accountConcurrency),
  },
  { what: 'account', expected: '{ concurrentExecutions?: number }' },
);

/** The valid top-level keys, in the order the unknown-key message lists them. */
const scenarioEntries = {
  name: text('the scenario name'),
  description: absentAs(text('a description'), ''),
  seed: number(LIMITS.seed),
  tick: duration(LIMITS.tick),
  duration: duration(LIMITS.runDuration),
  region: v.optional(regionName, DEFAULTS.region),
  accountId: v.optional(accountId, DEFAULTS.accountId),
  account: v.optional(account, {}),
  // Checked once every name is registered (validate.ts): a scenario without functions is refused there.
  functions: elsewhere<Record<string, FunctionSpec>>(),
  queues: later<Record<string, QueueSpec>>(),
  streams: later<Record<string, StreamSpec>>(),
  tables: later<Record<string, TableSpec>>(),
  topics: later<Record<string, TopicSpec>>(),
  buses: later<Record<string, BusSpec>>(),
  buckets: later<Record<string, BucketSpec>>(),
  eventSourceMappings: later<EventSourceMappingSpec[]>(),
  traffic: later<TrafficSpec[]>(),
  faults: later<FaultSpec[]>(),
  deployments: later<DeploymentSpec[]>(),
  stateMachines: later<Record<string, StateMachineSpec>>(),
};

/**
 * The top level of a scenario: unknown keys refused with "did you mean", then the scenario's own fields
 * in order. Only those are read here (the other keys' values are read once, where they are checked).
 */
export const scenarioSchema = spec(scenarioEntries, {
  what: 'scenario',
  expected: 'defineScenario({ name, functions, ... })',
  order: ['name', 'description', 'seed', 'tick', 'duration', 'region', 'accountId', 'account'],
});

export type ScenarioInput = v.InferInput<typeof scenarioSchema>;
