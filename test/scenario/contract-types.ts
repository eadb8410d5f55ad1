/**
 * Compile-time check of the scenario contract (docs/scenario-contract.md): the public author types of
 * src/scenario/types.ts, with their JSDoc, must be exactly the input types of the schemas that check them
 * (src/scenario/schema/kinds.ts). A field added to one and not the other, or typed differently, fails
 * `npm run typecheck` here. Nothing runs: the assertions are types.
 */
import type {
  BucketInput,
  BucketNotificationInput,
  BusInput,
  BusRuleInput,
  FaultInput,
  FaultMatchInput,
  FunctionInput,
  MappingInput,
  QueueInput,
  StreamInput,
  SubscriptionInput,
  TableInput,
  TopicInput,
} from '../../src/scenario/schema/kinds.js';
import type { ScenarioInput } from '../../src/scenario/schema/scenario.js';
import type { CatcherInput, RetrierInput } from '../../src/scenario/schema/states.js';
import type {
  CloudFrontOptionsInput,
  CognitoOptionsInput,
  FirehoseOptionsInput,
  InvokeTrafficInput,
  PutTrafficInput,
  S3BatchOptionsInput,
  SesOptionsInput,
  UrlOptionsInput,
} from '../../src/scenario/schema/traffic.js';
import type { AlarmInput, AliasInput, DeploymentConfigInput, DeploymentInput, HooksInput, VersionInput } from '../../src/scenario/schema/versions.js';
import type {
  AlarmSpec,
  AliasSpec,
  CatcherSpec,
  DeploymentSpec,
  InvokeTrafficSpec,
  PutTrafficSpec,
  RetrierSpec,
  Scenario,
  VersionSpec,
} from '../../src/scenario/types.js';
import type {
  BucketNotificationSpec,
  BucketSpec,
  BusRuleSpec,
  BusSpec,
  EventSourceMappingSpec,
  FaultMatch,
  FaultSpec,
  FunctionSpec,
  QueueSpec,
  StreamSpec,
  SubscriptionSpec,
  TableSpec,
  TopicSpec,
} from '../../src/scenario/types.js';

/**
 * True only when A and B are the same type (optional keys, readonly and unions included). Both are
 * flattened first: a schema's input type is an intersection of its optional and required keys, which the
 * strict comparison would tell from the same keys in one interface.
 */
type Flat<T> = T extends object ? { [K in keyof T]: T[K] } : T;
type Equal<A, B> = (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type ContractMatches = [
  Assert<Equal<FunctionSpec, FunctionInput>>,
  Assert<Equal<QueueSpec, QueueInput>>,
  Assert<Equal<StreamSpec, StreamInput>>,
  Assert<Equal<TableSpec, TableInput>>,
  Assert<Equal<TopicSpec, TopicInput>>,
  Assert<Equal<string | SubscriptionSpec, SubscriptionInput>>,
  Assert<Equal<BusSpec, BusInput>>,
  Assert<Equal<BusRuleSpec, BusRuleInput>>,
  Assert<Equal<BucketSpec, BucketInput>>,
  Assert<Equal<BucketNotificationSpec, BucketNotificationInput>>,
  Assert<Equal<EventSourceMappingSpec, MappingInput>>,
  Assert<Equal<FaultSpec, FaultInput>>,
  Assert<Equal<FaultMatch, FaultMatchInput>>,
  Assert<Equal<Scenario, ScenarioInput>>,
  Assert<Equal<VersionSpec, VersionInput>>,
  Assert<Equal<AliasSpec, AliasInput>>,
  Assert<Equal<DeploymentSpec, DeploymentInput>>,
  Assert<Equal<AlarmSpec, AlarmInput>>,
  Assert<Equal<Exclude<DeploymentSpec['config'], string | undefined>, DeploymentConfigInput>>,
  Assert<Equal<NonNullable<DeploymentSpec['hooks']>, HooksInput>>,
  Assert<Equal<RetrierSpec, RetrierInput>>,
  Assert<Equal<CatcherSpec, CatcherInput>>,
  Assert<Equal<PutTrafficSpec, PutTrafficInput>>,
  Assert<Equal<InvokeTrafficSpec, InvokeTrafficInput>>,
  Assert<Equal<NonNullable<InvokeTrafficSpec['cloudfront']>, CloudFrontOptionsInput>>,
  Assert<Equal<NonNullable<InvokeTrafficSpec['cognito']>, CognitoOptionsInput>>,
  Assert<Equal<NonNullable<InvokeTrafficSpec['firehose']>, FirehoseOptionsInput>>,
  Assert<Equal<NonNullable<InvokeTrafficSpec['s3Batch']>, S3BatchOptionsInput>>,
  Assert<Equal<NonNullable<InvokeTrafficSpec['ses']>, SesOptionsInput>>,
  Assert<Equal<NonNullable<InvokeTrafficSpec['url']>, UrlOptionsInput>>,
];

// The check has teeth: an author type with one more field, or a field typed differently, is not equal.
// @ts-expect-error a field the schema does not have
export type ExtraField = Assert<Equal<StreamSpec & { shards?: number }, StreamInput>>;
// @ts-expect-error a field typed differently from the schema
export type OtherType = Assert<Equal<Omit<StreamSpec, 'shardCount'> & { shardCount?: string }, StreamInput>>;

// One drift per check: a field the schema lacks (or a required one made optional) fails each of them.
type Drift<T> = T & { notInTheSchema?: true };
// @ts-expect-error drift
export type D1 = Assert<Equal<Drift<FunctionSpec>, FunctionInput>>;
// @ts-expect-error drift
export type D2 = Assert<Equal<Drift<QueueSpec>, QueueInput>>;
// @ts-expect-error drift
export type D3 = Assert<Equal<Drift<TableSpec>, TableInput>>;
// @ts-expect-error drift
export type D4 = Assert<Equal<Drift<TopicSpec>, TopicInput>>;
// @ts-expect-error drift
export type D5 = Assert<Equal<string | Drift<SubscriptionSpec>, SubscriptionInput>>;
// @ts-expect-error drift
export type D6 = Assert<Equal<Drift<BusSpec>, BusInput>>;
// @ts-expect-error drift
export type D7 = Assert<Equal<Drift<BusRuleSpec>, BusRuleInput>>;
// @ts-expect-error drift
export type D8 = Assert<Equal<Drift<BucketSpec>, BucketInput>>;
// @ts-expect-error drift
export type D9 = Assert<Equal<Drift<BucketNotificationSpec>, BucketNotificationInput>>;
// @ts-expect-error drift
export type D10 = Assert<Equal<Drift<EventSourceMappingSpec>, MappingInput>>;
// @ts-expect-error drift
export type D11 = Assert<Equal<Drift<FaultSpec>, FaultInput>>;
// @ts-expect-error drift
export type D12 = Assert<Equal<Drift<FaultMatch>, FaultMatchInput>>;
// @ts-expect-error a required field made optional
export type D13 = Assert<Equal<Omit<FaultSpec, 'kind'> & { kind?: FaultSpec['kind'] }, FaultInput>>;
// @ts-expect-error drift
export type D14 = Assert<Equal<Drift<Scenario>, ScenarioInput>>;
// @ts-expect-error drift
export type D15 = Assert<Equal<Drift<VersionSpec>, VersionInput>>;
// @ts-expect-error drift
export type D16 = Assert<Equal<Drift<AliasSpec>, AliasInput>>;
// @ts-expect-error drift
export type D17 = Assert<Equal<Drift<DeploymentSpec>, DeploymentInput>>;
// @ts-expect-error drift
export type D18 = Assert<Equal<Drift<AlarmSpec>, AlarmInput>>;
// @ts-expect-error drift
export type D19 = Assert<Equal<Drift<RetrierSpec>, RetrierInput>>;
// @ts-expect-error drift
export type D20 = Assert<Equal<Drift<CatcherSpec>, CatcherInput>>;
// @ts-expect-error drift
export type D21 = Assert<Equal<Drift<PutTrafficSpec>, PutTrafficInput>>;
// @ts-expect-error drift
export type D22 = Assert<Equal<Drift<InvokeTrafficSpec>, InvokeTrafficInput>>;
// @ts-expect-error drift
export type D23 = Assert<Equal<Drift<NonNullable<InvokeTrafficSpec['firehose']>>, FirehoseOptionsInput>>;
// @ts-expect-error a required field made optional
export type D24 = Assert<Equal<Omit<Scenario, 'functions'> & { functions?: Scenario['functions'] }, ScenarioInput>>;
