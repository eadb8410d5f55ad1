#!/usr/bin/env node
/**
 * Proves a change to the scenario contract (src/scenario/) is behaviour-neutral: validates thousands of
 * scenarios with this tree's validateScenario and with a git ref's, and checks that both give the same
 * error lines, in the same order, and the same Model (every key, in the same order, prototypes and
 * functions included). docs/scenario-contract.md, "Checking a change".
 *
 * The inputs: every bundled scenario (scenarios/*.ts) and the fuzz's base scenarios (test/fuzz/mutants.ts)
 * as they are; each of them with every field, one at a time, removed or set to each of a few dozen wrong
 * values (numbers in and out of range, durations, names of the scenario's resources, other types) and
 * with an unknown key added to every object; and the fuzz's mutants (seeds 0..N-1, light scale).
 *
 *   node scripts/contract-diff.mjs                 # against the merge base of HEAD and main
 *   node scripts/contract-diff.mjs main~3 --mutants 5000
 *
 * The ref's src/ and test/ are read with `git archive` into a temporary folder that shares this tree's
 * node_modules, and both trees are loaded from source with jiti (no build). Exit status: 0 identical,
 * 1 some input differs (the first ones are printed), 2 usage error.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { createJiti } = require('jiti');

const args = process.argv.slice(2);
let ref;
let mutants = 3000;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--mutants') mutants = Number(args[++i]);
  else if (args[i].startsWith('-')) {
    process.stderr.write('usage: node scripts/contract-diff.mjs [REF] [--mutants N]\n');
    process.exit(2);
  } else ref = args[i];
}
const git = (...a) => execFileSync('git', ['-C', root, ...a], { encoding: 'utf8' }).trim();
const commit = ref ? git('rev-parse', '--verify', `${ref}^{commit}`) : git('merge-base', 'HEAD', 'main');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-contract-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
execFileSync('sh', ['-c', `git -C "${root}" archive ${commit} src test | tar -x -C "${tmp}"`]);
symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'));

function loader(tree) {
  const jiti = createJiti(path.join(tree, 'x.js'), { alias: { 'lambda-tui': path.join(tree, 'src/index.ts') }, fsCache: false, interopDefault: false });
  return (file) => jiti.import(path.join(tree, file));
}
const ours = loader(root);
const theirs = loader(tmp);
// Scenario files may call awslambda.streamifyResponse as they load, as in Lambda's runtime (the loader
// installs the global the same way).
(await ours('src/lang/response-stream.ts')).installAwsLambdaGlobal();
const mine = await ours('src/scenario/validate.ts');
const reference = await theirs('src/scenario/validate.ts');
const fuzz = await ours('test/fuzz/mutants.ts');

// ---------------------------------------------------------------------------------------------------------
// What is compared: the error lines, and the Model written out exactly (key order, null prototypes, which
// function each handler is, undefined values, Infinity, -0).

const fnIds = new WeakMap();
let nextFn = 0;
function write(value, seen = new Set()) {
  if (typeof value === 'function') {
    if (!fnIds.has(value)) fnIds.set(value, nextFn++);
    return `fn#${fnIds.get(value)}`;
  }
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return String(value);
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  let out;
  if (Array.isArray(value)) out = `[${value.map((v) => write(v, seen)).join(',')}]`;
  else {
    const proto = Object.getPrototypeOf(value);
    const mark = proto === null ? 'N' : proto === Object.prototype ? '' : `<${proto?.constructor?.name}>`;
    out = `${mark}{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${write(value[k], seen)}`).join(',')}}`;
  }
  seen.delete(value);
  return out;
}

function outcome(lib, input) {
  try {
    const { model, errors } = lib.validateScenario(input, 'scenarios/x.ts');
    return `${errors.map((e) => lib.formatValidationError(e)).join('\n')}\n--\n${model ? write(model) : 'no model'}`;
  } catch (error) {
    return `threw ${String(error?.message ?? error)}`;
  }
}

let compared = 0;
let invalid = 0;
const differences = [];
function compare(what, input) {
  compared++;
  const a = outcome(reference, input);
  const b = outcome(mine, input);
  if (a.startsWith('scenarios') || a.startsWith('threw')) invalid++;
  if (a !== b && differences.length < 1000) differences.push({ what, a, b });
}

// ---------------------------------------------------------------------------------------------------------
// Inputs.

/** A copy of the plain objects and arrays; functions and other objects are shared. */
function clone(value) {
  if (Array.isArray(value)) return value.map(clone);
  if (value && typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
    for (const k of Object.keys(value)) Object.defineProperty(out, k, { value: clone(value[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Paths (arrays of keys) of every field below the top, plain objects and arrays descended. */
function slots(value, at = [], out = []) {
  if (!value || typeof value !== 'object' || typeof value === 'function') return out;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return out;
  for (const key of Object.keys(value)) {
    const p = [...at, Array.isArray(value) ? Number(key) : key];
    out.push(p);
    slots(value[key], p, out);
  }
  return out;
}
function objects(value, at = [], out = []) {
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof value === 'function') {
    if (Array.isArray(value)) value.forEach((v, i) => objects(v, [...at, i], out));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return out;
  out.push(at);
  for (const key of Object.keys(value)) objects(value[key], [...at, key], out);
  return out;
}
function holder(scenario, p) {
  let h = scenario;
  for (const k of p.slice(0, -1)) h = h[k];
  return h;
}

function names(scenario) {
  const out = [];
  for (const map of ['functions', 'queues', 'streams', 'tables', 'topics', 'buses', 'buckets', 'stateMachines']) {
    if (scenario[map] && typeof scenario[map] === 'object') out.push(...Object.keys(scenario[map]));
  }
  return out;
}

const WRONG = [
  null, 0, -1, 1, 2, 2.5, 5, 10, 11, 100, 1000, 10_001, 1e9, Number.NaN, Number.POSITIVE_INFINITY, -0, '', '0', '5', 'x', '1s', '10s',
  '-5s', '59s', '20m', '2d', '400d', '100ms', true, false, [], [1], ['x'], [{}], {}, { a: 1 }, () => 1, 'TRIM_HORIZON', 'Event', 'alb',
  'canary', '$LATEST', '1', 'rate(5 minutes)', 'cron(0 12 * * ? *)', new Date(0),
];

async function bundled() {
  const out = [];
  for (const file of readdirSync(path.join(root, 'scenarios')).filter((f) => f.endsWith('.ts')).sort()) {
    const mod = await ours(`scenarios/${file}`);
    out.push({ name: file, scenario: mod.default });
  }
  return out;
}

/** Fields no bundled scenario uses, in one valid scenario, so each is mutated too. */
const extras = {
  name: 'extras',
  functions: {
    f: { timeout: '5s', versions: { 1: {}, 2: { timeout: '4s', provisionedConcurrentExecutions: 1 } }, aliases: { live: { version: '1', additionalVersionWeights: { 2: 0.1 } } } },
    g: { onSuccess: 'std', onFailure: 'b', deadLetterQueue: 'news' },
  },
  queues: { std: { visibilityTimeout: '30s' }, fifo: { fifo: true, contentBasedDeduplication: true, deadLetterQueue: { queue: 'fifo-dlq', maxReceiveCount: 3 } }, 'fifo-dlq': { fifo: true } },
  streams: { s: { shardCount: 2 } },
  tables: { t: { partitionKey: 'id', streamViewType: 'KEYS_ONLY' } },
  topics: {
    news: { subscriptions: ['g', { endpoint: 'std', filterPolicy: { type: ['order'] }, filterPolicyScope: 'MessageBody', rawMessageDelivery: true }] },
  },
  buses: {
    default: { rules: [{ name: 'tick', schedule: 'rate(1 minute)', targets: ['g'] }] },
    shop: { rules: [{ name: 'r', eventPattern: { source: ['shop'] }, targets: ['std', 'news'], retryAttempts: 3, maxEventAge: '1h', deadLetterQueue: 'std' }] },
  },
  buckets: { b: { notifications: [{ events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.json', function: 'g' }] } },
  eventSourceMappings: [
    { source: 'fifo', function: 'f:live', batchSize: 5, startAt: '2s', enabled: true, maxConcurrency: 2 },
    { source: 'std', function: 'f', batchSize: 20, maxBatchingWindow: '1s', filters: [{ body: { type: ['order'] } }] },
    { source: 's', function: 'g', startingPosition: 'LATEST', parallelizationFactor: 2, maxRecordAge: '1h', tumblingWindow: '30s', onFailure: 'news' },
    { source: 't', function: 'g', retryAttempts: 3 },
  ],
  traffic: [
    { to: 'fifo', rate: [{ at: '0s', rate: 1 }, { at: '5s', rate: 3 }], messageGroups: ['a', 'b'], deduplicationId: (i) => `d${i}`, stop: '10s' },
    { to: 'news', rate: 2, count: 5, messageAttributes: () => ({ type: 'order' }), start: '1s' },
    { to: 's', partitionKeys: ['k1', 'k2'] },
    { invoke: 'f:live', type: 'RequestResponse', via: 'apigateway', http: { method: 'POST', path: '/x', headers: { a: 'b' }, query: { q: ['1', '2'] }, api: 'rest', integrationTimeout: '10s' } },
    { invoke: 'g', via: 'alb', http: { multiValueHeaders: true } },
    { invoke: 'g', type: 'Event', via: 'ses', count: 1 },
    { invoke: 'g', type: 'RequestResponse', via: 'ses', ses: { disposition: 'STOP_RULE' }, count: 1 },
    { invoke: 'f:1', via: 'cloudfront', cloudfront: { eventType: 'origin-request', region: 'eu-west-2' }, http: { path: '/a' }, count: 1 },
    { invoke: 'g', via: 'cognito', cognito: { triggerSource: 'PostConfirmation_ConfirmSignUp' }, count: 1 },
    { invoke: 'g', via: 'firehose', firehose: { bufferSize: 0.5, bufferInterval: '30s' }, count: 1 },
    { invoke: 'g', via: 's3-batch', s3Batch: { invocationSchemaVersion: '2.0' }, count: 1 },
    { invoke: 'f:live', via: 'url', url: { authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM' }, http: { method: 'PUT', headers: { h: ['1'] } }, count: 1 },
    { invoke: 'g', via: 'apigateway', http: { payloadFormatVersion: '1.0' }, count: 1 },
    { to: 'flow', count: 2 },
  ],
  faults: [
    { function: 'f', kind: 'latency', add: '1s', rate: 0.5, from: '1s', until: '9s' },
    { function: 'g', kind: 'partial', match: { traffic: 2, index: [1, 2], partitionKey: 'k1', messageGroup: 'a', body: () => true } },
  ],
  deployments: [
    {
      alias: 'f:live', to: '2', at: '10s', config: { type: 'linear', percent: 20, interval: '1m' },
      alarms: [{ name: 'errors', metric: 'Errors', threshold: 1, period: '30s', evaluationPeriods: 2, datapointsToAlarm: 1, statistic: 'p99', comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'notBreaching', executedVersion: '2' }],
      hooks: { beforeAllowTraffic: 'g' },
    },
    { alias: 'f:live', to: '1', at: '2m', config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes', hooks: { afterAllowTraffic: 'f:1' } },
    { alias: 'f:live', to: '2', at: '4m', config: 'Linear10PercentEvery1Minute', alarms: [{ name: 'slow', metric: 'Duration', threshold: 100, statistic: 'Maximum', evaluationPeriods: 3 }] },
  ],
  stateMachines: {
    flow: {
      definition: {
        Comment: 'every state type',
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task', Resource: 'f:live', TimeoutSeconds: 5, ResultPath: '$.out', Comment: 'c',
            Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 1.5, MaxDelaySeconds: 9, JitterStrategy: 'FULL' }, { ErrorEquals: ['States.ALL'] }],
            Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Give up', ResultPath: null }, { ErrorEquals: ['States.ALL'], Next: 'Pause' }],
            Next: 'Pause',
          },
          Pause: { Type: 'Wait', Seconds: 3, Next: 'Shape' },
          Shape: { Type: 'Pass', Result: { a: 1 }, ResultPath: '$.shape', Next: 'Done' },
          Done: { Type: 'Succeed' },
          'Give up': { Type: 'Fail', Error: 'Late', Cause: 'too slow' },
        },
      },
    },
  },
};

const started = Date.now();
const bases = [...(await bundled()), ...fuzz.bases().map((b) => ({ name: `fuzz ${b.name}`, scenario: b })), { name: 'extras', scenario: extras }];
const extrasErrors = mine.validateScenario(extras, 'extras').errors.map((e) => mine.formatValidationError(e));
if (extrasErrors.length) {
  process.stderr.write(`contract-diff: the extras base is not valid:\n${extrasErrors.join('\n')}\n`);
  process.exit(2);
}
let fieldCases = 0;
for (const { name, scenario } of bases) {
  compare(`${name} as it is`, scenario);
  const extra = names(scenario);
  const values = [...WRONG, ...extra, ...extra.slice(0, 4).map((n) => `${n}:1`), ...extra.slice(0, 2).map((n) => `${n}:live`)];
  for (const p of slots(scenario)) {
    const del = clone(scenario);
    const h = holder(del, p);
    if (Array.isArray(h)) h.splice(p[p.length - 1], 1);
    else delete h[p[p.length - 1]];
    compare(`${name}: ${p.join('.')} removed`, del);
    fieldCases++;
    for (const value of values) {
      const s = clone(scenario);
      Object.defineProperty(holder(s, p), p[p.length - 1], { value, enumerable: true, writable: true, configurable: true });
      compare(`${name}: ${p.join('.')} = ${write(value)}`, s);
      fieldCases++;
    }
  }
  for (const p of objects(scenario)) {
    for (const key of ['bogus', 'timout', p[p.length - 1] === undefined ? 'functionz' : 'Name']) {
      const s = clone(scenario);
      let h = s;
      for (const k of p) h = h[k];
      h[key] = 1;
      compare(`${name}: ${[...p, key].join('.')} added`, s);
      fieldCases++;
    }
  }
}
for (let seed = 0; seed < mutants; seed++) {
  const m = fuzz.mutantFor(seed, 'light');
  compare(`mutant ${seed} (${m.note.slice(0, 120)})`, m.scenario);
}

const seconds = ((Date.now() - started) / 1000).toFixed(0);
process.stdout.write(
  `contract-diff: ${compared} inputs against ${commit.slice(0, 10)} (${bases.length} bases as they are, ${fieldCases} field mutations, ${mutants} fuzz mutants; ${invalid} refused), ${differences.length} differ, ${seconds} s\n`,
);
for (const d of differences.slice(0, 8)) {
  process.stdout.write(`\n# ${d.what}\n--- ref\n${d.a.slice(0, 3000)}\n+++ this tree\n${d.b.slice(0, 3000)}\n`);
}
process.exit(differences.length ? 1 : 0);
