/**
 * Traffic: records put into a resource (`to`) or invocations of a function (`invoke`), with their rate,
 * count and time window, and an invocation's caller (`via`, docs/callers.md) with the caller's HTTP request
 * and own options. An entry's fields depend on what it names (a FIFO queue takes message groups, a stream
 * partition keys, a caller its own options), so its schema is made from the entry's target and caller as
 * given, read before it is checked.
 */
import * as v from 'valibot';
import type { FunctionModel, RateStep, ResourceKind, StreamModel, TableModel, TrafficModel } from '../model.js';
import type { CloudFrontEventType, CognitoTriggerSource, Duration, HttpRequestSpec, InvokeTrafficSpec, InvokeVia, PutTrafficSpec, Rate, TrafficSpec } from '../types.js';
import { DEFAULTS, LIMITS } from './limits.js';
import { isObject, kindList, notPlain, type Obj } from './messages.js';
import {
  absentAs,
  boolean,
  custom,
  duration,
  func,
  issue,
  number,
  oneOf,
  optionalDuration,
  optionalNumber,
  primitive,
  readNumber,
  readOneOf,
  readRef,
  ref,
  refused,
  type RefTarget,
  type Registry,
  report,
  runIn,
  runInside,
  type FieldRule,
  type Schema,
  spec,
  text,
} from './primitives.js';
import { callerTypeMatches, edgeVersionLimits, recordsWithinLimit, stopAfterStart, urlNotOnVersion } from './rules.js';
import { regionName } from './scenario.js';

export const VIAS = [
  'cli', 'alb', 'apigateway', 's3', 'sns', 'cloudfront', 'cognito', 'stepfunctions', 'lex', 'alexa', 'firehose', 's3-batch', 'url', 'ses',
  'cloudwatch-logs', 'codecommit', 'config', 'iot',
] as const;

/** The invocation type a caller always uses; the CLI and SES take either (SES defaults to 'Event'). */
export const CALLER_TYPE: Record<InvokeVia, 'RequestResponse' | 'Event' | undefined> = {
  cli: undefined,
  ses: undefined,
  alb: 'RequestResponse',
  apigateway: 'RequestResponse',
  cloudfront: 'RequestResponse',
  cognito: 'RequestResponse',
  stepfunctions: 'RequestResponse',
  lex: 'RequestResponse',
  alexa: 'RequestResponse',
  firehose: 'RequestResponse',
  's3-batch': 'RequestResponse',
  url: 'RequestResponse',
  s3: 'Event',
  sns: 'Event',
  'cloudwatch-logs': 'Event',
  codecommit: 'Event',
  config: 'Event',
  iot: 'Event',
};

const CLOUDFRONT_EVENT_TYPES: readonly CloudFrontEventType[] = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'];
const COGNITO_TRIGGER_SOURCES: readonly CognitoTriggerSource[] = [
  'PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider', 'PostConfirmation_ConfirmSignUp',
  'PostConfirmation_ConfirmForgotPassword', 'PreAuthentication_Authentication', 'PostAuthentication_Authentication',
  'TokenGeneration_HostedAuth', 'TokenGeneration_Authentication', 'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice', 'TokenGeneration_RefreshTokens', 'CustomMessage_SignUp', 'CustomMessage_AdminCreateUser',
  'CustomMessage_ResendCode', 'CustomMessage_ForgotPassword', 'CustomMessage_UpdateUserAttribute', 'CustomMessage_VerifyUserAttribute',
  'CustomMessage_Authentication', 'UserMigration_Authentication', 'UserMigration_ForgotPassword',
];

/** Each caller's option key and the `via` it belongs to. */
const CALLER_OPTION_VIA = { cloudfront: 'cloudfront', cognito: 'cognito', firehose: 'firehose', s3Batch: 's3-batch', ses: 'ses', url: 'url' } as const;
type OptionKey = keyof typeof CALLER_OPTION_VIA;
const OPTION_KEYS = Object.keys(CALLER_OPTION_VIA) as OptionKey[];

// ---------------------------------------------------------------------------------------------------------
// Rates and keys.

const RATE_LIMIT = LIMITS.trafficRate;

const rateStep = spec(
  { at: duration(LIMITS.time), rate: number(RATE_LIMIT) },
  { what: 'rate step', expected: "a step { at: '30s', rate: 50 }" },
);

/**
 * A constant rate becomes one step at 0; steps are sorted, and a gap before the first step has rate 0.
 * Without a rate an entry sends one record per second (until its count or stop, if any).
 */
const rate = custom<Rate, RateStep[] | undefined>('a rate', (dataset, config) => {
  const input = dataset.value;
  dataset.value = undefined;
  if (input === undefined) {
    dataset.value = [{ atMs: 0, ratePerSecond: DEFAULTS.trafficRate }];
    return;
  }
  if (typeof input === 'number' || !Array.isArray(input)) {
    const r = readNumber(input, RATE_LIMIT);
    if (r.ok) dataset.value = [{ atMs: 0, ratePerSecond: r.value }];
    else report(dataset, issue(r.message, input));
    return;
  }
  if (input.length === 0) return report(dataset, issue("has no steps; expected a number or steps like [{ at: '0s', rate: 5 }, { at: '30s', rate: 50 }]", input));
  const steps: RateStep[] = [];
  let ok = true;
  input.forEach((raw: unknown, i) => {
    const step = runInside(rateStep, raw, config, { type: 'array', key: i }, dataset) as { at?: number; rate?: number } | undefined;
    if (step?.at === undefined || step.rate === undefined) {
      ok = false;
      return;
    }
    const atMs = step.at;
    if (steps.some((s) => s.atMs === atMs)) {
      report(dataset, issue('repeats the time of an earlier step; each step needs its own time', (raw as Obj).at, [{ type: 'array', key: i }, { type: 'object', key: 'at' }]));
      ok = false;
      return;
    }
    steps.push({ atMs, ratePerSecond: step.rate });
  });
  if (!ok) return;
  steps.sort((a, b) => a.atMs - b.atMs);
  if (steps[0].atMs > 0) steps.unshift({ atMs: 0, ratePerSecond: 0 });
  dataset.value = steps;
});

const rateField = rate as unknown as v.OptionalSchema<Schema<Rate, RateStep[] | undefined>, never>;

/** A count n becomes `<prefix>-0`..`<prefix>-(n-1)`; a list is kept as given. Absent, `fallbackCount` of them. */
function keys(prefix: string, fallbackCount: number) {
  const generate = (n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const limit = LIMITS.trafficKeys;
  return custom<number | string[], string[] | undefined>('keys', (dataset) => {
    const input = dataset.value;
    dataset.value = undefined;
    if (input === undefined) {
      dataset.value = generate(fallbackCount);
      return;
    }
    if (typeof input === 'number' || !Array.isArray(input)) {
      const n = readNumber(input, limit);
      if (n.ok) dataset.value = generate(n.value);
      else report(dataset, issue(n.message, input));
      return;
    }
    if (input.length === 0 || input.length > limit.max) return report(dataset, issue(`has ${input.length} names; allowed 1..${limit.max}`, input));
    input.forEach((key: unknown, i) => {
      if (typeof key !== 'string' || key.length === 0) report(dataset, issue('is not a non-empty string', key, [{ type: 'array', key: i }]));
    });
    if (!dataset.issues) dataset.value = input as string[];
  });
}

/** A field not read at all: the entry names nothing it could apply to (that is refused already). */
function ignored<T>() {
  return v.optional(primitive<T, undefined>('anything', () => ({ ok: true, value: undefined })));
}

/** The fields both kinds of entry share, in the order they are checked. */
function common(durationMs: number | undefined) {
  return {
    entries: {
      rate: rateField,
      count: optionalNumber(LIMITS.trafficCount),
      start: duration(LIMITS.trafficStart),
      stop: optionalDuration(LIMITS.time),
      body: func<(i: number) => unknown>('a function (i) => payload of record i'),
    },
    order: ['rate', 'count', 'start', 'stop', 'body'] as const,
    then: { stop: ((read, given) => [...stopAfterStart(read, given), ...recordsWithinLimit(durationMs)(read, given)]) as FieldRule },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Puts.

/** What a put entry's `to` names (undefined when it names nothing it can be put into). */
function putTarget(reg: Registry, to: unknown): { kinds: ResourceKind[]; target?: RefTarget; isFunction: boolean } {
  // A state machine takes puts too (each starts an execution); named only when the entry targets one,
  // so the list in the other errors stays the list of event sources.
  const sources: ResourceKind[] = ['queue', 'stream', 'table', 'topic', 'bus', 'bucket'];
  const kinds = typeof to === 'string' && reg.resources[to] === 'stateMachine' ? [...sources, 'stateMachine' as const] : sources;
  const isFunction = typeof to === 'string' && reg.resources[to] === 'function';
  const found = isFunction ? undefined : readRef(reg, to, kinds);
  return { kinds, isFunction, ...(found?.ok ? { target: found.value } : {}) };
}

function putSchema(reg: Registry, given: Obj, streams: Record<string, StreamModel>, tables: Record<string, TableModel>, durationMs: number | undefined) {
  const { kinds, target, isFunction } = putTarget(reg, given.to);
  const kind = target?.kind;
  const shardCount = kind === 'stream' ? streams[target!.name]?.shardCount : kind === 'table' ? tables[target!.name]?.shardCount : undefined;
  const fifo = kind === 'queue' && reg.fifo[target!.name];
  const what = kind === 'queue' ? 'a standard queue' : `a ${kind}`;
  const shared = common(durationMs);
  return spec(
    {
      to: primitive<string, RefTarget | undefined>(kindList(kinds), (value) =>
        isFunction
          ? { ok: false, message: `is a function, not ${kindList(kinds)}; call it with { invoke: '${String(value)}', type: 'Event' } instead` }
          : readRef(reg, value, kinds),
      ),
      rate: shared.entries.rate,
      count: shared.entries.count,
      start: shared.entries.start,
      stop: shared.entries.stop,
      // Without partitionKeys a stream gets 4 keys per shard, so MD5 hashing (docs/aws-rules.md §3.4) spreads
      // the traffic over every shard instead of piling it onto one.
      partitionKeys:
        kind === 'stream' || kind === 'table'
          ? (keys('key', DEFAULTS.keysPerShard * (shardCount ?? 1)) as unknown as v.OptionalSchema<Schema<number | string[], string[] | undefined>, never>)
          : target
            ? refused<number | string[]>(`is only for streams and tables; '${target.name}' is a ${kind}`)
            : ignored<number | string[]>(),
      // Without messageGroups a FIFO queue gets one group, so order holds across the whole queue (the
      // plainest reading of FIFO); give a number to see groups processed in parallel (docs/aws-rules.md §3.3).
      messageGroups: fifo
        ? (keys('group', DEFAULTS.messageGroups) as unknown as v.OptionalSchema<Schema<number | string[], string[] | undefined>, never>)
        : target
          ? refused<number | string[]>(`is only for FIFO queues; '${target.name}' is ${what}`)
          : ignored<number | string[]>(),
      deduplicationId:
        target && !fifo
          ? refused<(i: number) => string>(`is only for FIFO queues; '${target.name}' is ${what}`)
          : func<(i: number) => string>('a function (i) => the MessageDeduplicationId of message i'),
      messageAttributes:
        target && kind !== 'queue' && kind !== 'topic'
          ? refused<NonNullable<PutTrafficSpec['messageAttributes']>>(`is only for queues and topics; '${target.name}' is a ${kind}`)
          : func<NonNullable<PutTrafficSpec['messageAttributes']>>("a function (i) => the message attributes of message i, e.g. (i) => ({ type: 'order' })"),
      body: shared.entries.body,
    },
    {
      what: "traffic 'to'",
      expected: "{ to: 'queue', rate: 5 } or { invoke: 'fn', type: 'Event', rate: 5 }",
      order: [...shared.order, 'to', 'partitionKeys', 'messageGroups', 'deduplicationId', 'messageAttributes'],
      then: shared.then,
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Invocations: the caller's HTTP request and its own options.

/** A header or query map: each value a string or an array of strings. The map is kept as given. */
const stringMap = v.optional(
  custom<Record<string, string | string[]>, Record<string, string | string[]> | undefined>('a string map', (dataset) => {
    const input = dataset.value;
    dataset.value = undefined;
    if (!isObject(input)) {
      return report(dataset, issue(`${notPlain(input)}; expected a map of name to a string or an array of strings, e.g. { accept: 'application/json' }`, input));
    }
    for (const [key, value] of Object.entries(input)) {
      if (typeof value === 'string' || (Array.isArray(value) && value.every((s) => typeof s === 'string'))) continue;
      report(dataset, issue('is not a string or an array of strings', value, [{ type: 'object', key }]));
    }
    if (!dataset.issues) dataset.value = input as Record<string, string | string[]>;
  }),
);

const requestPath = absentAs(
  primitive<string, string>('a path', (value) =>
    typeof value === 'string' && value.startsWith('/') ? { ok: true, value } : { ok: false, message: "is not a path; expected a string starting with '/'" },
  '/'),
  '/',
);

type HttpVia = 'alb' | 'apigateway' | 'url' | 'cloudfront';
const HTTP_VIAS: readonly string[] = ['alb', 'apigateway', 'url', 'cloudfront'];

/**
 * The HTTP request of ALB, API Gateway, function URL and CloudFront traffic (docs/aws-rules.md §1), with its
 * defaults filled in. Which gateway settings apply depends on the caller, and an API Gateway's timeout on
 * the API type its other fields give, read from the request as given.
 */
function httpSchema(via: HttpVia, hasBody: boolean, given: unknown) {
  const g = isObject(given) ? given : {};
  const onlyFor = (where: string) => refused<never>(`is only for via ${where}`);
  const common = {
    method: absentAs(text("an HTTP method like 'GET'"), hasBody ? 'POST' : 'GET'),
    path: requestPath,
    headers: stringMap,
    query: stringMap,
  };
  const expected = '{ method?, path?, headers?, query?, ... }';
  if (via === 'url' || via === 'cloudfront') {
    // A function URL always sends payload 2.0 and CloudFront its own event: no gateway settings apply.
    return spec(
      { ...common, multiValueHeaders: onlyFor("'alb'"), payloadFormatVersion: onlyFor("'apigateway'"), api: onlyFor("'apigateway'"), integrationTimeout: onlyFor("'apigateway'") },
      { what: 'http', expected },
    );
  }
  if (via === 'alb') {
    return spec(
      {
        ...common,
        // docs/aws-rules.md §1: the target group attribute lambda.multi_value_headers.enabled defaults to false.
        multiValueHeaders: boolean(false),
        payloadFormatVersion: onlyFor("'apigateway'"),
        api: onlyFor("'apigateway'"),
        integrationTimeout: onlyFor("'apigateway'"),
      },
      { what: 'http', expected, order: ['method', 'path', 'headers', 'query', 'payloadFormatVersion', 'api', 'integrationTimeout', 'multiValueHeaders'] },
    );
  }
  // docs/fidelity.md: REST APIs send payload format 1.0 only; HTTP APIs send 1.0 or 2.0. The default format
  // follows the API given; the API left out follows the format.
  const apiGiven = g.api === undefined ? undefined : readOneOf(g.api, ['rest', 'http'] as const);
  const api = apiGiven?.ok ? apiGiven.value : undefined;
  const versionGiven = g.payloadFormatVersion === undefined ? undefined : readOneOf(g.payloadFormatVersion, ['1.0', '2.0'] as const);
  const version = versionGiven === undefined ? (api === 'rest' ? '1.0' : '2.0') : versionGiven.ok ? versionGiven.value : '2.0';
  // docs/aws-rules.md §1: REST APIs time out at 29 s by default (raisable to 300 s), HTTP APIs at 30 s.
  const rest = (api ?? (version === '1.0' ? 'rest' : 'http')) === 'rest';
  return spec(
    {
      ...common,
      multiValueHeaders: onlyFor("'alb'"),
      payloadFormatVersion: oneOf(['1.0', '2.0'] as const, api === 'rest' ? '1.0' : '2.0'),
      api: v.optional(oneOf(['rest', 'http'] as const)),
      integrationTimeout: duration(rest ? LIMITS.restIntegrationTimeout : LIMITS.integrationTimeout),
    },
    {
      what: 'http',
      expected,
      order: ['method', 'path', 'headers', 'query', 'multiValueHeaders', 'api', 'payloadFormatVersion', 'integrationTimeout'],
      then: {
        payloadFormatVersion: (_read, given) =>
          api === 'rest' && version === '2.0'
            ? [{ message: "is not available on a REST API (api: 'rest' sends payload format '1.0')", input: given.payloadFormatVersion, path: [{ type: 'object', key: 'payloadFormatVersion' }] }]
            : [],
      },
    },
  );
}

/** The HTTP request as the Model holds it, from the schema's output. */
function httpModel(via: HttpVia, h: Obj): HttpRequestSpec {
  const http: HttpRequestSpec = { method: (h.method as string | undefined) ?? 'GET', path: (h.path as string | undefined) ?? '/' };
  if (h.headers) http.headers = h.headers as Record<string, string | string[]>;
  if (h.query) http.query = h.query as Record<string, string | string[]>;
  if (via === 'alb') http.multiValueHeaders = (h.multiValueHeaders as boolean | undefined) ?? false;
  if (via === 'apigateway') {
    const version = (h.payloadFormatVersion as '1.0' | '2.0' | undefined) ?? '2.0';
    http.payloadFormatVersion = version;
    http.api = (h.api as 'rest' | 'http' | undefined) ?? (version === '1.0' ? 'rest' : 'http');
    http.integrationTimeout = (h.integrationTimeout as number | undefined) ?? (http.api === 'rest' ? 29_000 : 30_000);
  }
  return http;
}

/** The http field of an invocation: refused for callers without a request, defaults filled in for those with one. */
function httpField(via: InvokeVia | undefined, hasBody: boolean, given: unknown) {
  if (!via || !HTTP_VIAS.includes(via)) {
    return refused<HttpRequestSpec>(`is only for via 'alb', 'apigateway', 'url' or 'cloudfront'; this entry comes via '${via ?? 'cli'}'`);
  }
  const httpVia = via as HttpVia;
  // Left out, the request is the defaults: read as an empty one.
  return v.optional(
    custom<HttpRequestSpec, HttpRequestSpec | undefined>('an HTTP request', (dataset, config) => {
      const out = runIn(httpSchema(httpVia, hasBody, given), dataset.value, config, dataset) as Obj | undefined;
      dataset.value = out ? httpModel(httpVia, out) : undefined;
    }),
    {},
  );
}

// A caller's own options (docs/callers.md), each an object of its own keys with AWS's defaults.
const cloudfrontOptions = spec(
  { eventType: oneOf(CLOUDFRONT_EVENT_TYPES, 'viewer-request'), region: v.optional(regionName) },
  { what: 'cloudfront', expected: "{ eventType: 'viewer-request' | 'origin-request' | 'origin-response' | 'viewer-response', region: 'eu-west-2' }" },
);
const cognitoOptions = spec(
  { triggerSource: oneOf(COGNITO_TRIGGER_SOURCES, 'PreSignUp_SignUp') },
  { what: 'cognito', expected: "{ triggerSource: 'PreSignUp_SignUp' | ... }" },
);
const firehoseOptions = spec(
  { bufferSize: number(LIMITS.firehoseBufferSize), bufferInterval: duration(LIMITS.firehoseBufferInterval) },
  { what: 'firehose', expected: "{ bufferSize?: MB 0.2..3, bufferInterval?: '60s' }" },
);
const s3BatchOptions = spec(
  { invocationSchemaVersion: oneOf(['1.0', '2.0'] as const, '1.0') },
  { what: 's3Batch', expected: "{ invocationSchemaVersion: '1.0' | '2.0' }" },
);
const DISPOSITIONS = ['STOP_RULE', 'STOP_RULE_SET', 'CONTINUE'] as const;
/** SES reads what a RequestResponse invocation returns; an 'Event' one's answer is ignored. */
function sesOptions(type: 'RequestResponse' | 'Event' | undefined) {
  const disposition = custom<(typeof DISPOSITIONS)[number], (typeof DISPOSITIONS)[number] | undefined>('a disposition', (dataset) => {
    const input = dataset.value;
    if (input !== undefined && type === 'Event') report(dataset, issue("is only for type 'RequestResponse'; SES ignores what an 'Event' invocation returns", input));
    const d = readOneOf(input, DISPOSITIONS);
    dataset.value = d.ok ? d.value : undefined;
    if (!d.ok) report(dataset, issue(d.message, input));
  });
  return spec(
    { disposition: absentAs(disposition, DEFAULTS.sesDisposition) },
    { what: 'ses', expected: "{ disposition: 'STOP_RULE' | 'STOP_RULE_SET' | 'CONTINUE' }" },
  );
}
const urlOptions = spec(
  { authType: oneOf(['NONE', 'AWS_IAM'] as const, 'NONE'), invokeMode: oneOf(['BUFFERED', 'RESPONSE_STREAM'] as const, 'BUFFERED') },
  { what: 'url', expected: "{ authType: 'NONE' | 'AWS_IAM', invokeMode: 'BUFFERED' | 'RESPONSE_STREAM' }" },
);

/** The schema of a caller's options; left out, they are read as an empty object (every default). */
function callerOption(key: OptionKey, type: 'RequestResponse' | 'Event' | undefined) {
  const options: v.GenericSchema =
    key === 'cloudfront' ? cloudfrontOptions : key === 'cognito' ? cognitoOptions : key === 'firehose' ? firehoseOptions : key === 's3Batch' ? s3BatchOptions : key === 'ses' ? sesOptions(type) : urlOptions;
  return v.optional(options, {});
}

/** The Model's field for a caller's options, from their output (undefined when a field of it failed). */
function callerModel(key: OptionKey, o: Obj | undefined): Partial<TrafficModel> {
  if (!o) return {};
  switch (key) {
    case 'cloudfront':
      return o.eventType ? { cloudfront: { eventType: o.eventType as CloudFrontEventType, ...(o.region ? { region: o.region as string } : {}) } } : {};
    case 'cognito':
      return o.triggerSource ? { cognito: { triggerSource: o.triggerSource as CognitoTriggerSource } } : {};
    case 'firehose':
      return o.bufferSize !== undefined && o.bufferInterval !== undefined
        ? { firehose: { bufferSizeBytes: Math.round((o.bufferSize as number) * 1024 * 1024), bufferIntervalMs: o.bufferInterval as number } }
        : {};
    case 's3Batch':
      return o.invocationSchemaVersion ? { s3Batch: { invocationSchemaVersion: o.invocationSchemaVersion as '1.0' | '2.0' } } : {};
    case 'ses':
      return o.disposition ? { ses: { disposition: o.disposition as 'STOP_RULE' | 'STOP_RULE_SET' | 'CONTINUE' } } : {};
    case 'url':
      return o.authType
        ? { url: { authType: o.authType as 'NONE' | 'AWS_IAM', ...(o.invokeMode === 'RESPONSE_STREAM' ? { invokeMode: 'RESPONSE_STREAM' as const } : {}) } }
        : {};
  }
}

function invokeSchema(reg: Registry, given: Obj, functions: Record<string, FunctionModel>, durationMs: number | undefined) {
  const viaGiven = readOneOf(given.via === undefined ? 'cli' : given.via, VIAS);
  const via = viaGiven.ok ? viaGiven.value : undefined;
  const fixed = via ? CALLER_TYPE[via] : undefined;
  // docs/callers.md: every caller but the CLI and SES has a fixed invocation type, so `type` may be left out.
  const typeLeftOut = fixed ?? (via === 'ses' ? 'Event' : undefined);
  const typeGiven = given.type === undefined ? undefined : readOneOf(given.type, ['RequestResponse', 'Event'] as const);
  const type = typeGiven === undefined ? typeLeftOut : typeGiven.ok ? typeGiven.value : undefined;
  const own = (Object.entries(CALLER_OPTION_VIA).find(([, owner]) => owner === via)?.[0] ?? undefined) as OptionKey | undefined;
  const options = {} as Record<OptionKey, ReturnType<typeof callerOption> | ReturnType<typeof refused<never>>>;
  for (const key of OPTION_KEYS) {
    options[key] = key === own ? callerOption(key, type) : refused<never>(`is only for via '${CALLER_OPTION_VIA[key]}'; this entry comes via '${via ?? 'cli'}'`);
  }
  const shared = common(durationMs);
  const typeSchema = typeLeftOut === undefined ? oneOf(['RequestResponse', 'Event'] as const) : absentAs(oneOf(['RequestResponse', 'Event'] as const), typeLeftOut);
  return {
    via,
    own,
    schema: spec(
      {
        invoke: ref(reg, ['function']),
        type: typeSchema as unknown as v.OptionalSchema<Schema<'RequestResponse' | 'Event', 'RequestResponse' | 'Event'>, never>,
        via: oneOf(VIAS, 'cli'),
        rate: shared.entries.rate,
        count: shared.entries.count,
        start: shared.entries.start,
        stop: shared.entries.stop,
        body: shared.entries.body,
        http: httpField(via, given.body !== undefined, given.http) as unknown as v.OptionalSchema<Schema<HttpRequestSpec, HttpRequestSpec | undefined>, never>,
        cloudfront: options.cloudfront as unknown as v.OptionalSchema<Schema<NonNullable<InvokeTrafficSpec['cloudfront']>, Obj>, never>,
        cognito: options.cognito as unknown as v.OptionalSchema<Schema<NonNullable<InvokeTrafficSpec['cognito']>, Obj>, never>,
        firehose: options.firehose as unknown as v.OptionalSchema<Schema<NonNullable<InvokeTrafficSpec['firehose']>, Obj>, never>,
        s3Batch: options.s3Batch as unknown as v.OptionalSchema<Schema<NonNullable<InvokeTrafficSpec['s3Batch']>, Obj>, never>,
        ses: options.ses as unknown as v.OptionalSchema<Schema<NonNullable<InvokeTrafficSpec['ses']>, Obj>, never>,
        url: options.url as unknown as v.OptionalSchema<Schema<NonNullable<InvokeTrafficSpec['url']>, Obj>, never>,
      },
      {
        what: "traffic 'invoke'",
        expected: "{ to: 'queue', rate: 5 } or { invoke: 'fn', type: 'Event', rate: 5 }",
        // A caller's own options come after the refusals of the options of other callers.
        order: [...shared.order, 'invoke', 'via', 'type', 'http', ...OPTION_KEYS.filter((k) => k !== own), ...(own ? [own] : [])],
        then: {
          ...shared.then,
          type: callerTypeMatches(fixed, VIAS.filter((x) => CALLER_TYPE[x] !== fixed)),
          ...(own === 'cloudfront' ? { cloudfront: edgeVersionLimits(functions, CLOUDFRONT_EVENT_TYPES) } : {}),
          ...(own === 'url' ? { url: urlNotOnVersion(functions) } : {}),
        },
      },
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------
// One entry, and the list.

/** One traffic entry, a put or an invocation, as the Model holds it. */
export function trafficEntrySchema(
  reg: Registry,
  index: number,
  streams: Record<string, StreamModel>,
  tables: Record<string, TableModel>,
  functions: Record<string, FunctionModel>,
  durationMs: number | undefined,
) {
  return custom<TrafficSpec, TrafficModel | undefined>('a traffic entry', (dataset, config) => {
    const input = dataset.value;
    dataset.value = undefined;
    if (!isObject(input)) return report(dataset, issue(`${notPlain(input)}; expected { to: 'queue', rate: 5 } or { invoke: 'fn', type: 'Event', rate: 5 }`, input));
    const isPut = input.to !== undefined;
    if (isPut === (input.invoke !== undefined)) {
      const has = isPut ? "both 'to' and 'invoke'" : "neither 'to' nor 'invoke'";
      return report(dataset, issue(`has ${has}; a traffic entry has exactly one: to (a queue, stream, table, topic, bus or bucket) or invoke (a function)`, input));
    }
    if (isPut) {
      const p = runIn(putSchema(reg, input, streams, tables, durationMs), input, config, dataset) as Obj;
      const target = p.to as RefTarget | undefined;
      dataset.value = {
        ...base(index, p),
        kind: 'put',
        target: target?.name ?? '',
        targetKind: target?.kind ?? 'queue',
        ...(p.partitionKeys ? { partitionKeys: p.partitionKeys as string[] } : {}),
        ...(p.messageGroups ? { messageGroups: p.messageGroups as string[] } : {}),
        ...(p.deduplicationId ? { deduplicationId: p.deduplicationId as (i: number) => string } : {}),
        ...(p.messageAttributes ? { messageAttributes: p.messageAttributes as (i: number) => Record<string, unknown> } : {}),
      };
      return;
    }
    const { via, own, schema } = invokeSchema(reg, input, functions, durationMs);
    const s = runIn(schema, input, config, dataset) as Obj;
    const target = s.invoke as RefTarget | undefined;
    dataset.value = {
      ...base(index, s),
      kind: 'invoke',
      target: target?.fn ?? target?.name ?? '',
      ...(target?.qualifier ? { qualifier: target.qualifier } : {}),
      targetKind: 'function',
      type: (s.type as 'RequestResponse' | 'Event' | undefined) ?? 'RequestResponse',
      via: via ?? 'cli',
      ...(s.http ? { http: s.http as HttpRequestSpec } : {}),
      ...(own ? callerModel(own, s[own] as Obj | undefined) : {}),
    };
  });
}

/** The fields every entry has in the Model. */
function base(index: number, s: Obj) {
  return {
    index,
    rate: (s.rate as RateStep[] | undefined) ?? [],
    ...(s.count !== undefined ? { count: s.count as number } : {}),
    startMs: (s.start as number | undefined) ?? 0,
    ...(s.stop !== undefined ? { stopMs: s.stop as number } : {}),
    ...(s.body ? { body: s.body as (i: number) => unknown } : {}),
  };
}

export type PutTrafficInput = v.InferInput<ReturnType<typeof putSchema>>;
export type InvokeTrafficInput = v.InferInput<ReturnType<typeof invokeSchema>['schema']>;
export type CloudFrontOptionsInput = v.InferInput<typeof cloudfrontOptions>;
export type CognitoOptionsInput = v.InferInput<typeof cognitoOptions>;
export type FirehoseOptionsInput = v.InferInput<typeof firehoseOptions>;
export type S3BatchOptionsInput = v.InferInput<typeof s3BatchOptions>;
export type SesOptionsInput = v.InferInput<ReturnType<typeof sesOptions>>;
export type UrlOptionsInput = v.InferInput<typeof urlOptions>;
export type { Duration };
