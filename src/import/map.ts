/**
 * From a template to a scenario (docs/import.md): each resource of a type lambda-tui simulates becomes a
 * scenario resource named by its logical id, each trigger a mapping, subscription, notification, rule or
 * caller, and each entry point a modest traffic entry. What is not simulated is listed with its type and the
 * reason; a property of a known type that the importer does not know is a warning; what AWS would refuse
 * (a stream mapping without StartingPosition, a function timeout above its queue's visibility timeout) is
 * the error AWS would give, naming the template and the logical id.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Resolver, isPlaceholder } from './intrinsics.js';
import { NAME_PROPERTY, parseArn, parseBucketArn, referencesOf, type Account, type ResourceKind } from './physical.js';
import type { TemplateSource } from './source.js';
import { examplePayload, examplePolicyValues, exampleRecordBody } from './sample.js';
import { parseDuration } from '../lang/duration.js';

/** How a function's code is found: a module file and its export, inline code, or none that can run. */
export type HandlerRef =
  | { kind: 'file'; file: string; export: string }
  | { kind: 'inline'; code: string; export: string; module: 'cjs' | 'esm' };

/** One resource or property that is not imported, and why. */
export interface NotImported {
  id: string;
  type: string;
  reason: string;
}

/** A scenario as plain data (the field names of a scenario file), without handlers. */
export type PlainScenario = Record<string, unknown> & {
  name: string;
  functions: Record<string, Record<string, unknown>>;
  traffic: Array<Record<string, unknown>>;
};

export interface ImportResult {
  source: TemplateSource;
  scenario: PlainScenario;
  /** Handler code per function name. */
  handlers: Record<string, HandlerRef>;
  /** Comments for the generated file, by the path of the entry they describe (`functions.Orders`, `traffic.0`). */
  comments: Record<string, string[]>;
  notImported: NotImported[];
  warnings: string[];
  /** What AWS would refuse; an import with errors is not run. */
  errors: string[];
  /** Where generated entries come from: `eventSourceMappings[0]` → `OrdersFunction.Events.Queue`. */
  origins: Record<string, string>;
  /**
   * SAM DeploymentPreferences as `deployments` entries. They shift an alias to a new version, which a
   * template cannot hold (it is the next deploy), so the TypeScript file carries them commented out.
   */
  deployments: Array<{ function: string; entry: Record<string, unknown> }>;
}

export interface ImportOptions {
  /** `--parameter K=V` overrides. */
  parameters?: Record<string, string>;
}

type Props = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties?: Props;
  Condition?: string;
  Metadata?: Props;
  DependsOn?: unknown;
}

const SECTION_OF: Record<ResourceKind, string> = {
  function: 'functions',
  queue: 'queues',
  stream: 'streams',
  table: 'tables',
  topic: 'topics',
  bus: 'buses',
  bucket: 'buckets',
};

/** Properties each type knows that have no effect on the simulation (silently accepted). */
const COMMON_FUNCTION_IGNORED = [
  'Description', 'Role', 'Environment', 'Layers', 'VpcConfig', 'TracingConfig', 'Tags', 'KmsKeyArn', 'Architectures',
  'EphemeralStorage', 'LoggingConfig', 'PackageType', 'ImageConfig', 'CodeSigningConfigArn', 'FileSystemConfigs',
  'RuntimeManagementConfig', 'SnapStart', 'RecursiveLoop', 'FunctionName', 'Runtime', 'Handler', 'Code', 'ScalingConfig',
  'TenancyConfig', 'CapacityProviderConfig', 'DurableConfig',
];
const SAM_FUNCTION_IGNORED = [
  ...COMMON_FUNCTION_IGNORED, 'CodeUri', 'InlineCode', 'ImageUri', 'Policies', 'PermissionsBoundary', 'Tracing',
  'AssumeRolePolicyDocument', 'RolePath', 'AutoPublishCodeSha256', 'VersionDescription', 'VersionPublishPolicy',
  'AutoPublishAliasAllProperties', 'PropagateTags', 'Connectors', 'Events', 'Timeout', 'MemorySize',
  'ReservedConcurrentExecutions', 'DeadLetterQueue', 'EventInvokeConfig', 'AutoPublishAlias', 'DeploymentPreference',
  'ProvisionedConcurrencyConfig', 'FunctionUrlConfig',
];

/** Resource types that only grant or describe; the simulation allows every reference. */
const WIRING_REASONS: Array<[RegExp, string]> = [
  [/^AWS::IAM::/, 'permissions are not simulated: every reference in a scenario is allowed'],
  [/^AWS::Lambda::Permission$/, 'permissions are not simulated: every reference in a scenario is allowed'],
  [/^AWS::(SQS::QueuePolicy|SNS::TopicPolicy|S3::BucketPolicy|SQS::QueueInlinePolicy|SNS::TopicInlinePolicy)$/, 'resource policies are not simulated: every reference in a scenario is allowed'],
  [/^AWS::CDK::Metadata$/, 'CDK bookkeeping: nothing to simulate'],
  [/^AWS::Logs::/, 'logs are the trace: CloudWatch Logs resources are not simulated'],
  [/^AWS::(ApiGateway::(RestApi|Deployment|Stage|Resource|Account|RequestValidator|Model|Authorizer|UsagePlan|ApiKey|DomainName|BasePathMapping)|ApiGatewayV2::(Api|Stage|Deployment|Integration|Authorizer|DomainName|ApiMapping)|Serverless::(Api|HttpApi))$/, 'the API itself is not simulated: its Lambda routes are imported as synchronous callers (traffic via apigateway)'],
  [/^AWS::ElasticLoadBalancingV2::(LoadBalancer|Listener|ListenerRule|ListenerCertificate)$/, 'the load balancer itself is not simulated: Lambda target groups are imported as synchronous callers (traffic via alb)'],
  [/^AWS::CodeDeploy::/, 'CodeDeploy resources are not imported: a SAM DeploymentPreference becomes a commented deployments entry'],
  [/^AWS::Lambda::LayerVersion/, 'layers are code packaging: not simulated'],
  [/^AWS::Lambda::EventSourceMapping$/, 'event source mapping of a kind lambda-tui does not simulate'],
  [/^AWS::(KMS|EC2|SecretsManager|SSM|Cognito|CloudFront|Route53|ECR|ECS|RDS|StepFunctions|Serverless::StateMachine|Serverless::LayerVersion|Serverless::Application|Serverless::GraphQLApi|AppSync|CloudFormation|Glue|Athena|KinesisFirehose|MSK|AmazonMQ|ElastiCache|WAFv2|CertificateManager|SES|Pipes)::/, 'not part of what lambda-tui simulates (Lambda and its event sources)'],
];

function isObject(value: unknown): value is Props {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function toBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return undefined;
}

/** Seconds as a scenario duration in the largest whole unit: 60 → '1m', 3600 → '1h', 90 → '90s'. */
function seconds(n: number): string {
  if (n > 0 && n % 86_400 === 0) return `${n / 86_400}d`;
  if (n > 0 && n % 3600 === 0) return `${n / 3600}h`;
  if (n > 0 && n % 60 === 0) return `${n / 60}m`;
  return `${n}s`;
}

/** A duration the importer wrote, back in seconds (default when absent). */
function inSeconds(value: unknown, fallback: number): number {
  const ms = parseDuration(value);
  return ms === undefined ? fallback : ms / 1000;
}

/** Parses a JSON string property (RedrivePolicy, FilterCriteria patterns), or returns objects as they are. */
function jsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The module file of a handler: `<dir>/<path>` with the first extension that exists. */
function moduleFile(dir: string, modulePath: string): string | undefined {
  for (const ext of ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']) {
    const file = path.join(dir, modulePath + ext);
    if (existsSync(file) && (ext !== '' || /\.(c|m)?(j|t)s$/.test(file))) return file;
  }
  return undefined;
}

interface Trigger {
  kind: 'queue' | 'stream' | 'table' | 'topic' | 'bucket' | 'bus' | 'api' | 'alb' | 'url';
  name: string;
  /** For rules with patterns: an event the pattern matches; for buckets: a key its filter matches. */
  body?: unknown;
  http?: Record<string, unknown>;
  /** A function URL's options (traffic `url`). */
  url?: Record<string, unknown>;
  function?: string;
  comment: string;
  fifo?: boolean;
}

/**
 * Imports one template into a scenario.
 *
 * @example
 * const result = importTemplate(readTemplateSource('template.yaml'));
 * result.scenario.functions.OrdersFunction.timeout // '10s'
 * result.notImported // [{ id: 'OrdersFunctionRole', type: 'AWS::IAM::Role', reason: 'permissions are not simulated: ...' }]
 */
export function importTemplate(source: TemplateSource, options: ImportOptions = {}): ImportResult {
  return new Importer(source, options).run();
}

class Importer {
  private readonly file: string;
  private readonly template: Props;
  private readonly resources: Record<string, Resource>;
  private readonly account: Account = { region: 'us-east-1', accountId: '123456789012', partition: 'aws' };
  private readonly resolver: Resolver;
  private readonly warned = new Set<string>();
  private readonly physicalCache = new Map<string, string>();
  private readonly naming = new Set<string>();
  /** Physical strings (names, ARNs, URLs) → the logical ids they name (names may repeat across kinds). */
  private readonly index = new Map<string, string[]>();
  private readonly globals: Props;

  private readonly result: ImportResult;
  private readonly scenario: PlainScenario;
  /** Scenario name → kind, for every resource created. */
  private readonly kinds = new Map<string, ResourceKind>();
  private readonly triggers: Trigger[] = [];
  /** Queues and streams fed by another template resource (a subscription, a rule target, a redrive). */
  private readonly fed = new Set<string>();
  private readonly mappings: Array<Record<string, unknown>> = [];
  /** SAM functions with AutoPublishAlias → the alias their event sources invoke. */
  private readonly aliasOf = new Map<string, string>();
  /** CloudWatch alarms a DeploymentPreference uses → that function. */
  private readonly alarmUse = new Map<string, string>();

  constructor(
    private readonly source: TemplateSource,
    private readonly options: ImportOptions,
  ) {
    this.file = source.file;
    this.template = source.template;
    this.resources = (isObject(this.template.Resources) ? this.template.Resources : {}) as Record<string, Resource>;
    this.globals = isObject(this.template.Globals) ? this.template.Globals : {};
    this.scenario = {
      name: source.stackName,
      description: '',
      duration: '2m',
      functions: {},
      traffic: [],
    };
    this.result = { source, scenario: this.scenario, handlers: {}, comments: {}, notImported: [], warnings: [], errors: [], origins: {}, deployments: [] };
    const stackName = source.stackName;
    this.resolver = new Resolver({
      parameters: this.parameters(),
      conditions: isObject(this.template.Conditions) ? this.template.Conditions : {},
      mappings: isObject(this.template.Mappings) ? this.template.Mappings : {},
      pseudo: {
        'AWS::Region': this.account.region,
        'AWS::AccountId': this.account.accountId,
        'AWS::Partition': this.account.partition,
        'AWS::StackName': stackName,
        'AWS::StackId': `arn:aws:cloudformation:${this.account.region}:${this.account.accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
        'AWS::URLSuffix': 'amazonaws.com',
        'AWS::NotificationARNs': [],
      },
      refOf: (id) => this.refOf(id),
      attOf: (id, attribute) => this.attOf(id, attribute),
      warn: (message) => this.warn(message),
    });
  }

  // ---- messages ----------------------------------------------------------------------------------------

  private warn(message: string): void {
    const line = `${this.file}: ${message}`;
    if (this.warned.has(line)) return;
    this.warned.add(line);
    this.result.warnings.push(line);
  }

  private error(message: string): void {
    this.result.errors.push(`${this.file}: ${message}`);
  }

  private skip(id: string, type: string, reason: string): void {
    const short = id.replace(/^Resources\./, '').replace(/\.Properties(?=\.|$)/g, '');
    if (this.result.notImported.some((n) => n.id === short && n.reason === reason)) return;
    this.result.notImported.push({ id: short, type, reason });
  }

  private comment(key: string, ...lines: string[]): void {
    (this.result.comments[key] ??= []).push(...lines);
  }

  // ---- parameters and references ----------------------------------------------------------------------

  private parameters(): Record<string, unknown> {
    const declared = isObject(this.template.Parameters) ? this.template.Parameters : {};
    const out: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(declared)) {
      const s = isObject(spec) ? spec : {};
      const given = this.options.parameters?.[name];
      const raw = given ?? s.Default;
      const type = typeof s.Type === 'string' ? s.Type : 'String';
      if (raw === undefined) {
        out[name] = undefined;
      } else if (type === 'Number') {
        const n = toNumber(raw);
        if (n === undefined) this.error(`Parameters.${name}: ${JSON.stringify(raw)} is not a Number`);
        out[name] = n ?? raw;
      } else if (type === 'CommaDelimitedList' || type.startsWith('List<')) {
        out[name] = Array.isArray(raw) ? raw : String(raw).split(',').map((v) => v.trim());
      } else {
        out[name] = String(raw);
      }
      if (given !== undefined && Array.isArray(s.AllowedValues) && !s.AllowedValues.map(String).includes(given)) {
        this.error(`Parameters.${name}: --parameter ${name}=${given} is not one of its AllowedValues (${s.AllowedValues.join(', ')})`);
      }
    }
    for (const name of Object.keys(this.options.parameters ?? {})) {
      if (!(name in declared)) this.error(`--parameter ${name}: the template declares no parameter ${name} (it has ${Object.keys(declared).join(', ') || 'none'})`);
    }
    return out;
  }

  /** The physical name of a resource: its name property when the template sets one, else its logical id. */
  private physicalName(id: string): string {
    const cached = this.physicalCache.get(id);
    if (cached !== undefined) return cached;
    const resource = this.resources[id];
    const prop = NAME_PROPERTY[resource?.Type ?? ''];
    let name = id;
    if (prop && isObject(resource?.Properties) && prop in resource.Properties && !this.naming.has(id)) {
      this.naming.add(id);
      const value = this.resolver.resolve(resource.Properties[prop], `Resources.${id}.Properties.${prop}`);
      this.naming.delete(id);
      if (typeof value === 'string' && value !== '' && !isPlaceholder(value)) name = value;
    }
    this.physicalCache.set(id, name);
    return name;
  }

  private referencesFor(id: string): { ref: string; atts: Record<string, string> } | undefined {
    const resource = this.resources[id];
    if (!resource || typeof resource.Type !== 'string') return undefined;
    const props = isObject(resource.Properties) ? resource.Properties : {};
    const extra: Props = {};
    if (resource.Type === 'AWS::SQS::Queue') extra.FifoQueue = toBool(this.resolver.resolve(props.FifoQueue, `Resources.${id}.Properties.FifoQueue`));
    if (resource.Type === 'AWS::Kinesis::StreamConsumer') extra.StreamARN = this.resolver.resolve(props.StreamARN, `Resources.${id}.Properties.StreamARN`);
    return referencesOf(resource.Type, this.physicalName(id), this.account, extra);
  }

  private refOf(id: string): unknown {
    // SAM's generated references: MyFunction.Alias, MyFunction.Version, MyFunctionRole, ServerlessRestApi ...
    const sam = /^(.+)\.(Alias|Version)$/.exec(id);
    if (sam && this.resources[sam[1]]) {
      const fn = this.physicalName(sam[1]);
      const alias = this.resolver.resolve(this.resources[sam[1]].Properties?.AutoPublishAlias, `Resources.${sam[1]}.Properties.AutoPublishAlias`);
      return `arn:aws:lambda:${this.account.region}:${this.account.accountId}:function:${fn}:${sam[2] === 'Alias' ? String(alias ?? 'live') : '1'}`;
    }
    const qualified = this.qualifiedArn(id);
    if (qualified) return qualified.arn;
    return this.referencesFor(id)?.ref;
  }

  private attOf(id: string, attribute: string): unknown {
    const qualified = this.qualifiedArn(id);
    // AWS::Lambda::Version: Version (the number) and FunctionArn (the version's ARN); Alias: AliasArn.
    if (qualified) return attribute === 'Version' && this.resources[id].Type === 'AWS::Lambda::Version' ? qualified.qualifier : qualified.arn;
    const refs = this.referencesFor(id);
    if (!refs) return undefined;
    return refs.atts[attribute] ?? `${refs.atts.Arn ?? refs.ref}`;
  }

  /** The function a FunctionName value (a name, an ARN, a Ref or GetAtt of one) leads to, by logical id. */
  private functionIdOf(raw: unknown, at: string): string | undefined {
    const value = this.resolver.resolve(raw, at);
    if (typeof value !== 'string') return undefined;
    const parsed = parseArn(value);
    const ids = this.index.get(value) ?? (parsed?.qualifier ? this.index.get(value.slice(0, value.length - parsed.qualifier.length - 1)) : undefined);
    const id = ids?.find((i) => /^AWS::(Lambda|Serverless)::Function$/.test(this.resources[i]?.Type ?? ''));
    return id ?? (parsed?.kind === 'function' && this.resources[parsed.name] ? parsed.name : undefined);
  }

  /** Each AWS::Lambda::Version's number (template order per function), computed once. */
  private versionNumbers?: Map<string, { fn: string; number: string }>;

  private versionNumber(id: string): { fn: string; number: string } | undefined {
    if (!this.versionNumbers) {
      this.versionNumbers = new Map();
      const next = new Map<string, number>();
      for (const [vid, r] of Object.entries(this.resources)) {
        if (!isObject(r) || r.Type !== 'AWS::Lambda::Version') continue;
        if (r.Condition !== undefined && !this.resolver.condition(String(r.Condition), `Resources.${vid}.Condition`)) continue;
        const fn = this.functionIdOf(r.Properties?.FunctionName, `Resources.${vid}.Properties.FunctionName`);
        if (!fn) continue;
        const n = (next.get(fn) ?? 0) + 1;
        next.set(fn, n);
        this.versionNumbers.set(vid, { fn, number: String(n) });
      }
    }
    return this.versionNumbers.get(id);
  }

  /** What Ref gives for a Version (the version's ARN) or an Alias (the alias's ARN), with the qualifier. */
  private qualifiedArn(id: string): { arn: string; qualifier: string } | undefined {
    const r = this.resources[id];
    if (!r || (r.Type !== 'AWS::Lambda::Version' && r.Type !== 'AWS::Lambda::Alias')) return undefined;
    let fn: string | undefined;
    let qualifier: string | undefined;
    if (r.Type === 'AWS::Lambda::Version') {
      const v = this.versionNumber(id);
      fn = v?.fn;
      qualifier = v?.number;
    } else {
      fn = this.functionIdOf(r.Properties?.FunctionName, `Resources.${id}.Properties.FunctionName`);
      const name = this.resolver.resolve(r.Properties?.Name, `Resources.${id}.Properties.Name`);
      qualifier = typeof name === 'string' ? name : undefined;
    }
    if (!fn || !qualifier) return undefined;
    return { arn: `arn:aws:lambda:${this.account.region}:${this.account.accountId}:function:${this.physicalName(fn)}:${qualifier}`, qualifier };
  }

  private buildIndex(): void {
    for (const id of Object.keys(this.resources)) {
      const refs = this.referencesFor(id);
      if (!refs) continue;
      // Names resolve too (a rule's EventBusName, a mapping's FunctionName).
      for (const value of new Set([refs.ref, ...Object.values(refs.atts), this.physicalName(id)])) {
        const ids = this.index.get(value) ?? [];
        if (!ids.includes(id)) ids.push(id);
        this.index.set(value, ids);
      }
    }
  }

  /** The logical id a physical string names (the first, when several kinds share it), else the string itself. */
  private logicalId(value: string): string {
    return this.index.get(value)?.[0] ?? value;
  }

  private resolve(value: unknown, at: string): unknown {
    return this.resolver.resolve(value, at);
  }

  // ---- creating scenario resources ---------------------------------------------------------------------

  private section(kind: ResourceKind): Record<string, Record<string, unknown>> {
    const key = SECTION_OF[kind];
    return ((this.scenario as Record<string, unknown>)[key] ??= {}) as Record<string, Record<string, unknown>>;
  }

  private add(kind: ResourceKind, name: string, spec: Record<string, unknown>, ...comment: string[]): void {
    this.section(kind)[name] = spec;
    this.kinds.set(name, kind);
    const cdkPath = this.resources[name]?.Metadata?.['aws:cdk:path'];
    if (typeof cdkPath === 'string' && comment.length > 0 && !comment[0].includes(cdkPath)) comment[0] = comment[0].replace(/^(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)/, `$1 (${cdkPath})`);
    if (comment.length > 0) this.comment(`${SECTION_OF[kind]}.${name}`, ...comment);
  }

  /**
   * The scenario name a reference (an ARN, a URL, a name, a placeholder) leads to, of one of `kinds`. A
   * reference outside the template becomes a resource of the expected kind with AWS's defaults, named after
   * the ARN's resource or the import, and a warning.
   */
  private target(value: unknown, kinds: ResourceKind[], at: string): { name: string; qualifier?: string } | undefined {
    if (typeof value !== 'string' || value === '') {
      if (value !== undefined) this.warn(`${at}: ${JSON.stringify(value)} is not a reference to a resource; left out`);
      return undefined;
    }
    let qualifier: string | undefined;
    let ids = this.index.get(value);
    if (ids === undefined) {
      const parsed = parseArn(value);
      if (parsed?.qualifier) {
        qualifier = parsed.qualifier;
        ids = this.index.get(value.slice(0, value.length - parsed.qualifier.length - 1));
      }
    }
    if (ids !== undefined) {
      const id = ids.find((i) => kinds.includes(this.kinds.get(i)!)) ?? ids[0];
      const kind = this.kinds.get(id);
      if (kind && kinds.includes(kind)) return { name: id, ...(qualifier ? { qualifier } : {}) };
      if (kind) {
        this.error(`${at}: ${id} is a ${kind}, not a ${kinds.join(' or ')}`);
        return undefined;
      }
      this.warn(`${at}: ${id} (${this.resources[id]?.Type}) is not imported, so this reference is left out`);
      return undefined;
    }
    // Outside the template.
    const parsed = parseArn(value) ?? (parseBucketArn(value) ? { kind: 'bucket' as const, name: parseBucketArn(value)! } : undefined);
    const imported = /^\$\{(?:ImportValue|Ref|GetAtt|Unresolved):([^}]+)\}/.exec(value)?.[1];
    const kind = parsed && kinds.includes(parsed.kind) ? parsed.kind : kinds[0];
    let name = (parsed?.name ?? imported ?? value).replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'External';
    if (parsed?.qualifier) qualifier = parsed.qualifier;
    if (this.kinds.has(name) && this.kinds.get(name) !== kind) name = `${name}-${kind}`;
    if (!this.kinds.has(name)) {
      const spec: Record<string, unknown> = kind === 'table' ? { partitionKey: 'id' } : kind === 'bus' ? { rules: [] } : kind === 'bucket' ? { notifications: [] } : kind === 'topic' ? { subscriptions: [] } : {};
      if (kind === 'queue' && name.endsWith('.fifo')) spec.fifo = true;
      this.add(kind, name, spec, `not in this template (${value}): a ${kind} with AWS's defaults stands in for it`);
      this.warn(`${at}: ${value} is not in this template; simulated as a ${kind} named ${name} with AWS's defaults`);
    }
    return { name, ...(qualifier ? { qualifier } : {}) };
  }

  private unknownProperties(id: string, type: string, props: Props, known: string[]): void {
    for (const key of Object.keys(props)) {
      if (!known.includes(key)) this.warn(`Resources.${id}.Properties.${key}: unknown property of ${type}; ignored`);
    }
  }

  // ---- the run ------------------------------------------------------------------------------------------

  run(): ImportResult {
    if (!isObject(this.template.Resources) || Object.keys(this.template.Resources).length === 0) {
      this.error('has no Resources');
      return this.result;
    }
    const transforms = ([] as unknown[]).concat(this.template.Transform ?? []);
    for (const t of transforms) {
      if (t !== 'AWS::Serverless-2016-10-31') this.warn(`Transform ${JSON.stringify(t)}: macros are not expanded; the resources are imported as written`);
    }
    const description = typeof this.template.Description === 'string' ? this.template.Description.trim().split('\n')[0].slice(0, 160) : '';
    this.scenario.description = description || `imported from ${path.basename(this.file)}`;
    this.buildIndex();

    const active: Array<[string, Resource]> = [];
    for (const [id, resource] of Object.entries(this.resources)) {
      if (!isObject(resource) || typeof resource.Type !== 'string') {
        this.error(`Resources.${id}: has no Type`);
        continue;
      }
      if (resource.Properties !== undefined && !isObject(resource.Properties)) {
        this.error(`Resources.${id}.Properties: ${JSON.stringify(resource.Properties)} is not an object of properties; AWS refuses the template`);
        continue;
      }
      if (resource.Condition !== undefined && !this.resolver.condition(String(resource.Condition), `Resources.${id}.Condition`)) {
        this.skip(id, resource.Type, `its Condition ${String(resource.Condition)} is false`);
        continue;
      }
      active.push([id, resource]);
    }

    // Resources first, so that wiring can refer to any of them; then the wiring.
    for (const [id, r] of active) this.createResource(id, r);
    // Versions, then aliases (which point at versions), before the wiring that invokes them.
    for (const [id, r] of active) if (r.Type === 'AWS::Lambda::Version') this.version(id, this.props(id, r));
    for (const [id, r] of active) if (r.Type === 'AWS::Lambda::Alias') this.alias(id, this.props(id, r));
    for (const [id, r] of active) this.wire(id, r);
    this.finish();
    return this.result;
  }

  private props(id: string, r: Resource): Props {
    const resolved = this.resolve(r.Properties ?? {}, `Resources.${id}.Properties`);
    return isObject(resolved) ? resolved : {};
  }

  private createResource(id: string, r: Resource): void {
    const type = r.Type;
    switch (type) {
      case 'AWS::SQS::Queue':
        return this.queue(id, this.props(id, r));
      case 'AWS::Kinesis::Stream':
        return this.stream(id, this.props(id, r));
      case 'AWS::DynamoDB::Table':
        return this.table(id, this.props(id, r));
      case 'AWS::SNS::Topic':
        return this.topic(id, this.props(id, r));
      case 'AWS::S3::Bucket':
        return this.bucket(id, this.props(id, r));
      case 'AWS::Events::EventBus':
        this.unknownProperties(id, type, this.props(id, r), ['Name', 'Description', 'EventSourceName', 'Policy', 'Tags', 'DeadLetterConfig', 'KmsKeyIdentifier', 'LogConfig']);
        return this.add('bus', id, { rules: [] }, type);
      case 'AWS::Lambda::Function':
        return this.lambdaFunction(id, r, this.props(id, r));
      case 'AWS::Serverless::Function':
        return this.samFunction(id, r);
      default:
        return;
    }
  }

  private wire(id: string, r: Resource): void {
    const type = r.Type;
    if (['AWS::SQS::Queue', 'AWS::Kinesis::Stream', 'AWS::DynamoDB::Table', 'AWS::SNS::Topic', 'AWS::Events::EventBus', 'AWS::Lambda::Function'].includes(type)) {
      if (type === 'AWS::SQS::Queue') this.queueRedrive(id, this.props(id, r));
      if (type === 'AWS::SNS::Topic') this.topicSubscriptions(id, this.props(id, r));
      if (type === 'AWS::Lambda::Function') this.functionWiring(id, `Resources.${id}.Properties`, this.props(id, r));
      return;
    }
    switch (type) {
      case 'AWS::S3::Bucket':
        return this.bucketNotifications(id, this.props(id, r));
      case 'AWS::Serverless::Function':
        return this.samFunctionWiring(id, r);
      case 'AWS::Lambda::EventSourceMapping':
        return this.eventSourceMapping(id, type, `Resources.${id}.Properties`, this.props(id, r), undefined);
      case 'AWS::Lambda::EventInvokeConfig':
        return this.eventInvokeConfig(id, this.props(id, r));
      case 'AWS::SNS::Subscription':
        return this.subscription(id, this.props(id, r));
      case 'AWS::Events::Rule':
        return this.rule(id, this.props(id, r));
      case 'AWS::Scheduler::Schedule':
        return this.schedulerSchedule(id, this.props(id, r));
      case 'AWS::ApiGateway::Method':
        return this.restMethod(id, this.props(id, r));
      case 'AWS::ApiGatewayV2::Route':
        return this.httpRoute(id, this.props(id, r));
      case 'AWS::ElasticLoadBalancingV2::TargetGroup':
        return this.targetGroup(id, this.props(id, r));
      case 'AWS::Lambda::Url':
        return this.functionUrl(id, this.props(id, r));
      case 'AWS::Kinesis::StreamConsumer':
        return this.skip(id, type, 'an enhanced fan-out consumer: its mappings read the stream itself (dedicated throughput is not simulated)');
      case 'AWS::Serverless::SimpleTable':
        return this.skip(id, type, 'a SimpleTable has no stream, so nothing in the simulation reads it');
      case 'AWS::Lambda::Version':
      case 'AWS::Lambda::Alias':
        return; // imported before the wiring (version, alias)
      default: {
        if (this.alarmUse.has(id)) {
          return this.skip(id, type, `an alarm of ${this.alarmUse.get(id)}'s DeploymentPreference: it is in the commented deployments entry, evaluated once you deploy a version 2`);
        }
        if (type === 'AWS::CloudWatch::Alarm') return this.skip(id, type, 'lambda-tui evaluates alarms only within deployments, and no DeploymentPreference uses this one');
        const reason = WIRING_REASONS.find(([pattern]) => pattern.test(type))?.[1];
        return this.skip(id, type, reason ?? 'not a resource type lambda-tui simulates');
      }
    }
  }

  // ---- sources -------------------------------------------------------------------------------------------

  private queue(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::SQS::Queue', p, [
      'QueueName', 'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit', 'VisibilityTimeout',
      'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'MaximumMessageSize', 'RedrivePolicy',
      'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled', 'Tags',
    ]);
    const spec: Record<string, unknown> = {};
    const notes = ['AWS::SQS::Queue'];
    const fifo = toBool(p.FifoQueue);
    if (fifo) spec.fifo = true;
    const visibility = toNumber(p.VisibilityTimeout);
    if (visibility !== undefined) spec.visibilityTimeout = seconds(visibility);
    const delay = toNumber(p.DelaySeconds);
    if (delay !== undefined) spec.deliveryDelay = seconds(delay);
    const retention = toNumber(p.MessageRetentionPeriod);
    if (retention !== undefined) spec.retentionPeriod = seconds(retention);
    // docs/fidelity.md: FIFO deduplication is simulated; a queue-wide 5-minute interval whatever the scope.
    if (fifo && toBool(p.ContentBasedDeduplication) === true) spec.contentBasedDeduplication = true;
    for (const prop of ['DeduplicationScope', 'FifoThroughputLimit']) {
      if (p[prop] !== undefined) this.skip(`${id}.${prop}`, 'property', 'high-throughput FIFO settings are not simulated: deduplication is queue-wide, throughput unlimited');
    }
    this.add('queue', id, spec, ...notes);
  }

  private queueRedrive(id: string, p: Props): void {
    if (p.RedrivePolicy === undefined) return;
    const policy = jsonish(p.RedrivePolicy);
    if (!isObject(policy)) {
      this.error(`Resources.${id}.Properties.RedrivePolicy: ${JSON.stringify(p.RedrivePolicy)} is not a redrive policy {deadLetterTargetArn, maxReceiveCount}`);
      return;
    }
    const dlq = this.target(policy.deadLetterTargetArn, ['queue'], `Resources.${id}.Properties.RedrivePolicy.deadLetterTargetArn`);
    const maxReceiveCount = toNumber(policy.maxReceiveCount);
    if (maxReceiveCount === undefined) {
      this.error(`Resources.${id}.Properties.RedrivePolicy.maxReceiveCount: missing; AWS requires it with deadLetterTargetArn (1..1000)`);
      return;
    }
    if (dlq) {
      this.section('queue')[id].deadLetterQueue = { queue: dlq.name, maxReceiveCount };
      this.fed.add(dlq.name);
    }
  }

  private stream(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::Kinesis::Stream', p, ['Name', 'ShardCount', 'StreamModeDetails', 'RetentionPeriodHours', 'StreamEncryption', 'Tags', 'DesiredShardLevelMetrics', 'MaxRecordSizeInKiB']);
    const spec: Record<string, unknown> = {};
    const notes = ['AWS::Kinesis::Stream'];
    const mode = isObject(p.StreamModeDetails) ? p.StreamModeDetails.StreamMode : undefined;
    const shards = toNumber(p.ShardCount);
    if (mode === 'ON_DEMAND') {
      spec.shardCount = 4;
      notes.push('on-demand: AWS starts an on-demand stream at 4 MB/s of write capacity, 4 shards; change shardCount to see more');
    } else if (shards !== undefined) {
      spec.shardCount = shards;
    } else {
      this.error(`Resources.${id}.Properties.ShardCount: missing; AWS requires it for a PROVISIONED stream (or set StreamModeDetails.StreamMode: ON_DEMAND)`);
    }
    const hours = toNumber(p.RetentionPeriodHours);
    if (hours !== undefined) spec.retentionPeriod = `${hours}h`;
    this.add('stream', id, spec, ...notes);
  }

  private table(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::DynamoDB::Table', p, [
      'TableName', 'KeySchema', 'AttributeDefinitions', 'BillingMode', 'ProvisionedThroughput', 'StreamSpecification',
      'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'TimeToLiveSpecification', 'PointInTimeRecoverySpecification',
      'SSESpecification', 'Tags', 'TableClass', 'DeletionProtectionEnabled', 'ContributorInsightsSpecification',
      'KinesisStreamSpecification', 'ImportSourceSpecification', 'OnDemandThroughput', 'ResourcePolicy', 'WarmThroughput',
    ]);
    const view = isObject(p.StreamSpecification) ? p.StreamSpecification.StreamViewType : undefined;
    if (view === undefined) {
      this.skip(id, 'AWS::DynamoDB::Table', 'no StreamSpecification: without a stream nothing in the simulation reads the table');
      return;
    }
    const keys = Array.isArray(p.KeySchema) ? p.KeySchema : [];
    const hash = keys.find((k) => isObject(k) && k.KeyType === 'HASH') as Props | undefined;
    const partitionKey = typeof hash?.AttributeName === 'string' ? hash.AttributeName : 'id';
    if (!hash) this.warn(`Resources.${id}.Properties.KeySchema: no HASH key; the partition key is taken as 'id'`);
    this.add('table', id, { partitionKey, streamViewType: view }, 'AWS::DynamoDB::Table', 'shardCount: the template cannot say how many stream shards DynamoDB gives the table; lambda-tui uses 1');
  }

  private topic(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::SNS::Topic', p, [
      'TopicName', 'DisplayName', 'Subscription', 'FifoTopic', 'ContentBasedDeduplication', 'KmsMasterKeyId', 'Tags',
      'SignatureVersion', 'TracingConfig', 'DataProtectionPolicy', 'DeliveryStatusLogging', 'ArchivePolicy', 'FifoThroughputScope',
    ]);
    if (toBool(p.FifoTopic)) this.skip(`${id}.FifoTopic`, 'property', 'FIFO topics are simulated as standard topics');
    this.add('topic', id, { subscriptions: [] }, 'AWS::SNS::Topic');
  }

  private addSubscription(topic: string, endpoint: { name: string }, at: string, extras: Props): void {
    const spec = this.section('topic')[topic];
    const subs = (spec.subscriptions ??= []) as Array<string | { endpoint: string }>;
    const isQueue = this.kinds.get(endpoint.name) === 'queue';
    // docs/import.md: FilterPolicy, FilterPolicyScope and RawMessageDelivery become a subscription object.
    const sub: Record<string, unknown> = { endpoint: endpoint.name };
    if (extras.FilterPolicy !== undefined) {
      const policy = jsonish(extras.FilterPolicy);
      if (isObject(policy)) sub.filterPolicy = policy;
      else this.error(`${at}.FilterPolicy: ${JSON.stringify(extras.FilterPolicy)} is not a filter policy (a JSON object)`);
    }
    if (extras.FilterPolicyScope !== undefined) sub.filterPolicyScope = extras.FilterPolicyScope;
    const raw = toBool(extras.RawMessageDelivery);
    if (raw === true && isQueue) sub.rawMessageDelivery = true;
    else if (raw === true) this.skip(`${at}.RawMessageDelivery`, 'property', 'raw message delivery applies to queue (and HTTP, Firehose) subscriptions; a function gets the SNS event');
    if (!subs.some((s) => (typeof s === 'string' ? s : s.endpoint) === endpoint.name)) subs.push(Object.keys(sub).length > 1 ? sub as { endpoint: string } : endpoint.name);
    this.triggers.push({ kind: 'topic', name: topic, comment: `publishes to ${topic}` });
    if (isQueue) this.fed.add(endpoint.name);
    if (extras.RedrivePolicy !== undefined) {
      this.skip(`${at}.RedrivePolicy`, 'property', 'subscription dead-letter queues are not simulated yet: SNS never fails to deliver here');
    }
  }

  private topicSubscriptions(id: string, p: Props): void {
    const subs = Array.isArray(p.Subscription) ? p.Subscription : [];
    subs.forEach((s, i) => {
      if (!isObject(s)) return;
      this.subscriptionTo(id, s.Protocol, s.Endpoint, `Resources.${id}.Properties.Subscription[${i}]`, {});
    });
  }

  private subscriptionTo(topic: string, protocol: unknown, endpoint: unknown, at: string, extras: Props): void {
    if (protocol !== 'lambda' && protocol !== 'sqs') {
      this.skip(at, `SNS subscription (${String(protocol)})`, 'only lambda and sqs subscriptions are simulated');
      return;
    }
    const to = this.target(endpoint, [protocol === 'lambda' ? 'function' : 'queue'], `${at}.Endpoint`);
    if (to) this.addSubscription(topic, { name: this.invoked(to, `${at}.Endpoint`) }, at, extras);
  }

  private subscription(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::SNS::Subscription', p, [
      'TopicArn', 'Protocol', 'Endpoint', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy',
      'Region', 'DeliveryPolicy', 'SubscriptionRoleArn', 'ReplayPolicy',
    ]);
    const topic = this.target(p.TopicArn, ['topic'], `Resources.${id}.Properties.TopicArn`);
    if (!topic) return;
    this.subscriptionTo(topic.name, p.Protocol, p.Endpoint, `Resources.${id}`, p);
  }

  private bucket(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::S3::Bucket', p, [
      'BucketName', 'NotificationConfiguration', 'Tags', 'VersioningConfiguration', 'LifecycleConfiguration', 'BucketEncryption',
      'PublicAccessBlockConfiguration', 'CorsConfiguration', 'OwnershipControls', 'AccessControl', 'LoggingConfiguration',
      'WebsiteConfiguration', 'ReplicationConfiguration', 'ObjectLockEnabled', 'ObjectLockConfiguration', 'IntelligentTieringConfigurations',
      'InventoryConfigurations', 'MetricsConfigurations', 'AnalyticsConfigurations', 'AccelerateConfiguration', 'MetadataTableConfiguration',
    ]);
    this.add('bucket', id, { notifications: [] }, 'AWS::S3::Bucket');
  }

  private addNotification(bucket: string, fn: string, events: unknown, filter: unknown, at: string): void {
    const list = (Array.isArray(events) ? events : [events]).filter((e): e is string => typeof e === 'string');
    if (list.length === 0) {
      this.error(`${at}: no Events; AWS requires the S3 event types (e.g. s3:ObjectCreated:*)`);
      return;
    }
    const rules = isObject(filter) && isObject(filter.S3Key) && Array.isArray(filter.S3Key.Rules) ? filter.S3Key.Rules : [];
    const n: Record<string, unknown> = { events: list };
    for (const rule of rules) {
      if (!isObject(rule)) continue;
      const name = String(rule.Name).toLowerCase();
      if (name === 'prefix' || name === 'suffix') n[name] = String(rule.Value);
    }
    n.function = fn;
    (this.section('bucket')[bucket].notifications as unknown[]).push(n);
    const key = `${n.prefix ?? 'uploads/'}object${n.suffix ?? '.json'}`;
    this.triggers.push({ kind: 'bucket', name: bucket, body: { key, size: 1024 }, function: fn, comment: `uploads that match ${at}` });
  }

  private bucketNotifications(id: string, p: Props): void {
    const config = isObject(p.NotificationConfiguration) ? p.NotificationConfiguration : {};
    const lambdas = Array.isArray(config.LambdaConfigurations) ? config.LambdaConfigurations : [];
    lambdas.forEach((c, i) => {
      if (!isObject(c)) return;
      const at = `Resources.${id}.Properties.NotificationConfiguration.LambdaConfigurations[${i}]`;
      const fn = this.target(c.Function, ['function'], `${at}.Function`);
      if (fn) this.addNotification(id, this.invoked(fn, `${at}.Function`), c.Event, c.Filter, at);
    });
    for (const key of ['QueueConfigurations', 'TopicConfigurations', 'EventBridgeConfiguration']) {
      if (config[key] !== undefined) this.skip(`${id}.NotificationConfiguration.${key}`, 'property', 'S3 notifications to queues, topics and EventBridge are not simulated: only Lambda notifications are');
    }
  }

  // ---- functions -----------------------------------------------------------------------------------------

  private runtimeNote(runtime: unknown, handler: HandlerRef | undefined, why: string | undefined): string {
    const r = typeof runtime === 'string' ? runtime : 'no runtime';
    if (handler?.kind === 'inline') return `${r}: runs the template's inline code`;
    if (handler) return `${r}: runs the real handler`;
    return `${r}: the handler is simulated, not run (${why ?? 'lambda-tui runs Node.js code only'})`;
  }

  /** Where a Node.js function's code is, if it can run here; otherwise why not. */
  private handlerRef(id: string, runtime: unknown, handler: unknown, code: { dir?: string; inline?: string }): { ref?: HandlerRef; why?: string } {
    if (typeof runtime !== 'string' || !runtime.startsWith('nodejs')) {
      return { why: typeof runtime === 'string' ? `lambda-tui runs Node.js code only` : 'no Runtime (a container image?)' };
    }
    if (typeof handler !== 'string' || !handler.includes('.')) return { why: `Handler ${JSON.stringify(handler)} is not module.export` };
    const dot = handler.lastIndexOf('.');
    const modulePath = handler.slice(0, dot);
    const exportName = handler.slice(dot + 1);
    if (code.inline !== undefined) {
      const esm = /^\s*(export|import)\s/m.test(code.inline);
      return { ref: { kind: 'inline', code: code.inline, export: exportName, module: esm ? 'esm' : 'cjs' } };
    }
    if (!code.dir) return { why: 'its code is in S3, not beside the template' };
    const file = moduleFile(code.dir, modulePath);
    if (!file) {
      this.warn(`Resources.${id}: handler ${handler} not found under ${path.relative(process.cwd(), code.dir) || '.'}; the handler is simulated`);
      return { why: `${path.join(path.relative(this.source.baseDir, code.dir), modulePath)}.js not found` };
    }
    return { ref: { kind: 'file', file, export: exportName } };
  }

  private functionBase(id: string, p: Props, at: string): Record<string, unknown> {
    const spec: Record<string, unknown> = {};
    const timeout = toNumber(p.Timeout);
    if (timeout !== undefined) spec.timeout = seconds(timeout);
    const memory = toNumber(p.MemorySize);
    if (memory !== undefined) spec.memorySize = memory;
    const reserved = toNumber(p.ReservedConcurrentExecutions);
    if (reserved !== undefined) spec.reservedConcurrentExecutions = reserved;
    void id;
    void at;
    return spec;
  }

  private lambdaFunction(id: string, r: Resource, p: Props): void {
    this.unknownProperties(id, 'AWS::Lambda::Function', p, [...COMMON_FUNCTION_IGNORED, 'Timeout', 'MemorySize', 'ReservedConcurrentExecutions', 'DeadLetterConfig']);
    const spec = this.functionBase(id, p, `Resources.${id}.Properties`);
    const code = isObject(p.Code) ? p.Code : {};
    const assetPath = r.Metadata?.['aws:asset:path'];
    let dir: string | undefined;
    if (typeof assetPath === 'string' && (r.Metadata?.['aws:asset:property'] ?? 'Code') === 'Code') {
      dir = path.resolve(this.source.baseDir, assetPath);
    } else if (this.source.kind === 'serverless' && code.S3Key !== undefined) {
      dir = this.source.baseDir;
    }
    const inline = typeof code.ZipFile === 'string' ? code.ZipFile : undefined;
    const { ref, why } = this.handlerRef(id, p.Runtime, p.Handler, { dir, inline });
    if (ref) this.result.handlers[id] = ref;
    const cdkPath = r.Metadata?.['aws:cdk:path'];
    this.add('function', id, spec, `AWS::Lambda::Function${typeof cdkPath === 'string' ? ` (${cdkPath})` : ''}, ${this.runtimeNote(p.Runtime, ref, why)}`);
  }

  private functionWiring(id: string, at: string, p: Props): void {
    const dlq = isObject(p.DeadLetterConfig) ? p.DeadLetterConfig.TargetArn : undefined;
    if (dlq !== undefined) {
      const to = this.target(dlq, ['queue', 'topic'], `${at}.DeadLetterConfig.TargetArn`);
      if (to) this.section('function')[id].deadLetterQueue = to.name;
    }
  }

  /** SAM's Globals.Function under the function's own properties (maps merge, the function's values win). */
  private samProperties(id: string, r: Resource): Props {
    const globals = isObject(this.globals.Function) ? this.globals.Function : {};
    const own = r.Properties ?? {};
    const merged: Props = { ...globals };
    for (const [key, value] of Object.entries(own)) {
      merged[key] = isObject(value) && isObject(globals[key]) ? { ...(globals[key] as Props), ...value } : value;
    }
    const resolved = this.resolve(merged, `Resources.${id}.Properties`);
    return isObject(resolved) ? resolved : {};
  }

  private samFunction(id: string, r: Resource): void {
    const p = this.samProperties(id, r);
    this.unknownProperties(id, 'AWS::Serverless::Function', p, SAM_FUNCTION_IGNORED);
    const spec = this.functionBase(id, p, `Resources.${id}.Properties`);
    let dir: string | undefined;
    if (typeof p.CodeUri === 'string' && !p.CodeUri.startsWith('s3://')) dir = path.resolve(this.source.baseDir, p.CodeUri);
    else if (p.CodeUri === undefined && p.InlineCode === undefined && p.ImageUri === undefined) dir = this.source.baseDir;
    const inline = typeof p.InlineCode === 'string' ? p.InlineCode : undefined;
    const { ref, why } = this.handlerRef(id, p.Runtime, p.Handler, { dir, inline });
    if (ref) this.result.handlers[id] = ref;
    const notes = [`AWS::Serverless::Function, ${this.runtimeNote(p.Runtime, ref, why)}`];
    const provisioned = isObject(p.ProvisionedConcurrencyConfig) ? toNumber(p.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions) : undefined;
    if (provisioned !== undefined) {
      if (p.AutoPublishAlias === undefined) {
        this.error(`Resources.${id}.Properties.ProvisionedConcurrencyConfig: SAM requires AutoPublishAlias with it (provisioned concurrency lives on an alias)`);
      } else {
        notes.push(`provisioned concurrency: on the alias ${String(p.AutoPublishAlias)} (version 1), as in AWS`);
      }
    }
    if (p.AutoPublishAlias !== undefined) {
      // SAM publishes version 1 and points the alias, and every event source, at it (docs/versions.md).
      const alias = String(p.AutoPublishAlias);
      spec.versions = { '1': {} };
      spec.aliases = { [alias]: { version: '1', ...(provisioned !== undefined ? { provisionedConcurrentExecutions: provisioned } : {}) } };
      this.aliasOf.set(id, alias);
      notes.push(`AutoPublishAlias: version 1 and the alias ${alias}; SAM points the event sources at ${id}:${alias}`);
    }
    if (p.DeploymentPreference !== undefined) {
      if (p.AutoPublishAlias === undefined) {
        this.error(`Resources.${id}.Properties.DeploymentPreference: SAM requires AutoPublishAlias with it ('DeploymentPreference' requires AutoPublishAlias property to be specified)`);
      } else {
        this.deploymentPreference(id, String(p.AutoPublishAlias), isObject(p.DeploymentPreference) ? p.DeploymentPreference : {});
      }
    }
    if (p.FunctionUrlConfig !== undefined) {
      // SAM attaches the URL to the AutoPublishAlias when there is one (docs/import.md).
      const config = isObject(p.FunctionUrlConfig) ? p.FunctionUrlConfig : {};
      this.urlTrigger(this.invokeName(id), id, config, `Resources.${id}.Properties.FunctionUrlConfig`);
    }
    this.add('function', id, spec, ...notes);
  }

  /**
   * AWS::Lambda::Version: a published version of its function (docs/versions.md), numbered 1, 2, ... in
   * template order per function, with its provisioned concurrency. A version is a snapshot of the function
   * as the template describes it, so it inherits every setting.
   */
  private version(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::Lambda::Version', p, ['FunctionName', 'Description', 'CodeSha256', 'ProvisionedConcurrencyConfig', 'RuntimePolicy', 'FunctionScalingConfig']);
    const v = this.versionNumber(id);
    const spec = v ? (this.section('function')[v.fn] as { versions?: Record<string, Props> } | undefined) : undefined;
    if (!v || !spec) {
      this.skip(id, 'AWS::Lambda::Version', 'its FunctionName is not a function of this template');
      return;
    }
    const version: Props = {};
    const provisioned = isObject(p.ProvisionedConcurrencyConfig) ? toNumber(p.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions) : undefined;
    if (provisioned !== undefined) version.provisionedConcurrentExecutions = provisioned;
    (spec.versions ??= {})[v.number] = version;
    const description = typeof p.Description === 'string' && p.Description !== '' ? ` (${p.Description})` : '';
    this.comment(`functions.${v.fn}`, `version ${v.number}: ${id} (AWS::Lambda::Version)${description}; numbered in template order, where AWS numbers versions in the order they are published`);
  }

  /** The version number a FunctionVersion value names: '$LATEST', '3', a version's ARN, or a Ref/GetAtt of one. */
  private versionOf(value: unknown): string | undefined {
    if (typeof value === 'number') return String(value);
    if (typeof value !== 'string' || value === '') return undefined;
    if (value === '$LATEST' || /^\d+$/.test(value)) return value;
    const parsed = parseArn(value);
    return parsed?.qualifier && /^\d+$/.test(parsed.qualifier) ? parsed.qualifier : undefined;
  }

  /**
   * AWS::Lambda::Alias: an alias of its function pointing at a version, with the weighted routing of
   * RoutingConfig and its provisioned concurrency (docs/versions.md). A version number the template does not
   * publish is one published outside it: it is added, inheriting the function's settings.
   */
  private alias(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::Lambda::Alias', p, ['FunctionName', 'FunctionVersion', 'Name', 'Description', 'RoutingConfig', 'ProvisionedConcurrencyConfig']);
    const at = `Resources.${id}.Properties`;
    const fn = this.functionIdOf(p.FunctionName, `${at}.FunctionName`);
    const spec = fn ? (this.section('function')[fn] as { versions?: Record<string, Props>; aliases?: Record<string, Props> } | undefined) : undefined;
    if (!fn || !spec) {
      this.skip(id, 'AWS::Lambda::Alias', 'its FunctionName is not a function of this template');
      return;
    }
    if (typeof p.Name !== 'string' || p.Name === '') {
      this.error(`${at}.Name: missing; AWS requires the alias name`);
      return;
    }
    const version = this.versionOf(p.FunctionVersion);
    if (version === undefined) {
      this.error(`${at}.FunctionVersion: ${JSON.stringify(p.FunctionVersion) ?? 'missing'} is not a version; AWS requires '$LATEST', a version number or a version's ARN`);
      return;
    }
    const published = (n: string) => {
      if (n === '$LATEST' || spec.versions?.[n] !== undefined) return;
      (spec.versions ??= {})[n] = {};
      this.comment(`functions.${fn}`, `version ${n}: named by ${id} but not published in this template; it stands in with the function's settings`);
    };
    published(version);
    const alias: Props = { version };
    const routing = isObject(p.RoutingConfig) && Array.isArray(p.RoutingConfig.AdditionalVersionWeights) ? p.RoutingConfig.AdditionalVersionWeights : [];
    const weights: Record<string, number> = {};
    for (const [i, w] of routing.entries()) {
      const other = isObject(w) ? this.versionOf(w.FunctionVersion) : undefined;
      const weight = isObject(w) ? toNumber(w.FunctionWeight) : undefined;
      if (other === undefined || weight === undefined) {
        this.error(`${at}.RoutingConfig.AdditionalVersionWeights[${i}]: expected { FunctionVersion, FunctionWeight }`);
        continue;
      }
      published(other);
      weights[other] = weight;
    }
    if (Object.keys(weights).length > 0) alias.additionalVersionWeights = weights;
    const provisioned = isObject(p.ProvisionedConcurrencyConfig) ? toNumber(p.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions) : undefined;
    if (provisioned !== undefined) alias.provisionedConcurrentExecutions = provisioned;
    (spec.aliases ??= {})[p.Name] = alias;
    this.comment(`functions.${fn}`, `alias ${p.Name}: ${id} (AWS::Lambda::Alias); what invokes its ARN invokes ${fn}:${p.Name}`);
  }

  /**
   * What a rule or schedule target is when it is none of the kinds lambda-tui delivers to (a Kinesis
   * stream, a Step Functions state machine, an ECS task, ...): its template type or its ARN's service.
   */
  private unsimulatedTarget(value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    const id = this.index.get(value)?.[0];
    if (id !== undefined) {
      const kind = this.kinds.get(id);
      return kind && !['function', 'queue', 'topic', 'bus'].includes(kind) ? String(this.resources[id]?.Type ?? kind) : undefined;
    }
    const service = /^arn:[^:]+:([^:]+):/.exec(value)?.[1];
    return service && !['lambda', 'sqs', 'sns', 'events'].includes(service) ? `arn:…:${service}:…` : undefined;
  }

  /** The name a caller found by `target` invokes: `fn:qualifier` for a function's alias or version. */
  private invoked(to: { name: string; qualifier?: string }, at: string): string {
    return this.kinds.get(to.name) === 'function' ? this.qualify(to.name, to.qualifier, at) : to.name;
  }

  /** The name an event source of a SAM function invokes: `Fn:alias` with AutoPublishAlias, else `Fn`. */
  private invokeName(fn: string): string {
    const alias = this.aliasOf.get(fn);
    return alias ? `${fn}:${alias}` : fn;
  }

  /** `name:qualifier` when the scenario function has that alias or version, else the function itself. */
  private qualify(name: string, qualifier: string | undefined, at: string): string {
    if (!qualifier || qualifier === '$LATEST') return name;
    const spec = this.section('function')[name] as { aliases?: Props; versions?: Props } | undefined;
    if (spec?.aliases?.[qualifier] !== undefined || spec?.versions?.[qualifier] !== undefined) return `${name}:${qualifier}`;
    this.comment(`functions.${name}`, `${at} invokes ${name}:${qualifier} in AWS; that qualifier is not in the template, so it invokes the function itself`);
    return name;
  }

  /** A CloudWatch alarm as a deployment alarm (AlarmSpec), from the template's properties. */
  private alarmSpec(id: string): Record<string, unknown> | undefined {
    const r = this.resources[id];
    if (!r || r.Type !== 'AWS::CloudWatch::Alarm') return undefined;
    const p = this.props(id, r);
    const metric = String(p.MetricName);
    if (!['Errors', 'Throttles', 'Duration', 'Invocations'].includes(metric) || (p.Namespace !== undefined && p.Namespace !== 'AWS/Lambda')) return undefined;
    const alarm: Record<string, unknown> = { name: typeof p.AlarmName === 'string' ? p.AlarmName : id, metric, threshold: toNumber(p.Threshold) ?? 1 };
    const period = toNumber(p.Period);
    if (period !== undefined) alarm.period = seconds(period);
    for (const [prop, field] of [['EvaluationPeriods', 'evaluationPeriods'], ['DatapointsToAlarm', 'datapointsToAlarm']] as const) {
      const n = toNumber(p[prop]);
      if (n !== undefined) alarm[field] = n;
    }
    if (typeof p.Statistic === 'string') alarm.statistic = p.Statistic;
    else if (typeof p.ExtendedStatistic === 'string') alarm.statistic = p.ExtendedStatistic;
    if (typeof p.ComparisonOperator === 'string') alarm.comparisonOperator = p.ComparisonOperator;
    if (typeof p.TreatMissingData === 'string') alarm.treatMissingData = p.TreatMissingData;
    const dims = Array.isArray(p.Dimensions) ? p.Dimensions : [];
    const executed = dims.find((d) => isObject(d) && d.Name === 'ExecutedVersion') as Props | undefined;
    if (executed && typeof executed.Value === 'string') alarm.executedVersion = executed.Value;
    return alarm;
  }

  /**
   * SAM's DeploymentPreference as a `deployments` entry that shifts the alias to version 2, with the
   * preset (CodeDeployDefault.Lambda<Type>), its alarms and hooks. A template describes one version, so the
   * entry is written commented out for the user to point at a new version.
   */
  private deploymentPreference(fn: string, alias: string, d: Props): void {
    if (toBool(d.Enabled) === false) {
      this.skip(`${fn}.DeploymentPreference`, 'property', 'the deployment preference is disabled');
      return;
    }
    const entry: Record<string, unknown> = { alias: `${fn}:${alias}`, to: '2', at: '30s', config: typeof d.Type === 'string' ? d.Type : 'AllAtOnce' };
    const alarms: unknown[] = [];
    for (const [i, a] of (Array.isArray(d.Alarms) ? d.Alarms : []).entries()) {
      const id = typeof a === 'string' ? this.logicalId(a) : undefined;
      const spec = id ? this.alarmSpec(id) : undefined;
      if (spec && id) {
        alarms.push(spec);
        this.alarmUse.set(id, fn);
      } else this.warn(`Resources.${fn}.Properties.DeploymentPreference.Alarms[${i}]: ${JSON.stringify(a)} is not an AWS/Lambda alarm of this template; left out of the deployment`);
    }
    if (alarms.length > 0) entry.alarms = alarms;
    const hooks = isObject(d.Hooks) ? d.Hooks : {};
    const hookOut: Record<string, string> = {};
    for (const [prop, field] of [['PreTraffic', 'beforeAllowTraffic'], ['PostTraffic', 'afterAllowTraffic']] as const) {
      if (typeof hooks[prop] !== 'string') continue;
      const id = this.logicalId(hooks[prop] as string);
      if (this.resources[id]) hookOut[field] = id;
    }
    if (Object.keys(hookOut).length > 0) entry.hooks = hookOut;
    this.result.deployments.push({ function: fn, entry });
  }

  private invokeConfig(fn: string, config: Props, at: string): void {
    const spec = this.section('function')[fn];
    const retries = toNumber(config.MaximumRetryAttempts);
    if (retries !== undefined) spec.retryAttempts = retries;
    const age = toNumber(config.MaximumEventAgeInSeconds);
    if (age !== undefined) spec.maxEventAge = seconds(age);
    const dest = isObject(config.DestinationConfig) ? config.DestinationConfig : {};
    for (const [prop, field] of [['OnSuccess', 'onSuccess'], ['OnFailure', 'onFailure']] as const) {
      const d = isObject(dest[prop]) ? dest[prop] : undefined;
      if (!d) continue;
      let destination = d.Destination;
      if (destination === undefined && (d.Type === 'SQS' || d.Type === 'SNS')) {
        // SAM creates the queue or topic when Type is given without a Destination.
        const name = `${fn}EventInvokeConfig${prop}${d.Type === 'SQS' ? 'Queue' : 'Topic'}`;
        if (d.Type === 'SQS') this.add('queue', name, {}, 'AWS::SQS::Queue, generated by SAM for EventInvokeConfig');
        else this.add('topic', name, { subscriptions: [] }, 'AWS::SNS::Topic, generated by SAM for EventInvokeConfig');
        spec[field] = name;
        continue;
      }
      const to = this.target(destination, prop === 'OnSuccess' ? ['queue', 'topic', 'function', 'bus'] : ['queue', 'topic', 'function', 'bus', 'bucket'], `${at}.DestinationConfig.${prop}.Destination`);
      if (to) spec[field] = this.invoked(to, `${at}.DestinationConfig.${prop}.Destination`);
    }
  }

  private eventInvokeConfig(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::Lambda::EventInvokeConfig', p, ['FunctionName', 'Qualifier', 'MaximumRetryAttempts', 'MaximumEventAgeInSeconds', 'DestinationConfig']);
    const fn = this.target(p.FunctionName, ['function'], `Resources.${id}.Properties.FunctionName`);
    if (!fn) return;
    if (p.Qualifier === undefined) {
      this.error(`Resources.${id}.Properties.Qualifier: missing; AWS requires it (a version, an alias or $LATEST)`);
      return;
    }
    if (p.Qualifier !== '$LATEST') this.comment(`functions.${fn.name}`, `async config: on qualifier ${String(p.Qualifier)} in AWS (${id}); lambda-tui keeps async config per function, so the function holds it`);
    this.invokeConfig(fn.name, p, `Resources.${id}.Properties`);
  }

  private samFunctionWiring(id: string, r: Resource): void {
    const p = this.samProperties(id, r);
    const at = `Resources.${id}.Properties`;
    const dlq = isObject(p.DeadLetterQueue) ? p.DeadLetterQueue : undefined;
    if (dlq) {
      const to = this.target(dlq.TargetArn, [dlq.Type === 'SNS' ? 'topic' : 'queue'], `${at}.DeadLetterQueue.TargetArn`);
      if (to) this.section('function')[id].deadLetterQueue = to.name;
    }
    if (isObject(p.EventInvokeConfig)) {
      if (p.AutoPublishAlias !== undefined) this.comment(`functions.${id}`, `async config: on the alias ${String(p.AutoPublishAlias)} in AWS; lambda-tui keeps async config per function, so the function holds it`);
      this.invokeConfig(id, p.EventInvokeConfig, `${at}.EventInvokeConfig`);
    }
    const events = isObject(p.Events) ? p.Events : {};
    for (const [name, event] of Object.entries(events)) {
      if (!isObject(event)) continue;
      this.samEvent(id, name, event, `${at}.Events.${name}`);
    }
  }

  private samEvent(fn: string, name: string, event: Props, at: string): void {
    const type = String(event.Type);
    const p = isObject(event.Properties) ? event.Properties : {};
    switch (type) {
      case 'SQS':
      case 'Kinesis':
      case 'DynamoDB':
        return this.eventSourceMapping(`${fn}.Events.${name}`, `${type} event`, `${at}.Properties`, { ...p, EventSourceArn: type === 'SQS' ? p.Queue : p.Stream, FunctionName: fn }, type);
      case 'SNS': {
        const invoked = this.invokeName(fn);
        const topic = this.target(p.Topic, ['topic'], `${at}.Properties.Topic`);
        if (!topic) return;
        if (p.SqsSubscription !== undefined && p.SqsSubscription !== false) {
          // SAM: a queue subscribed to the topic, and an SQS mapping from that queue to the function.
          const sqs = isObject(p.SqsSubscription) ? p.SqsSubscription : {};
          let queue: string;
          if (sqs.QueueArn !== undefined) {
            const q = this.target(sqs.QueueArn, ['queue'], `${at}.Properties.SqsSubscription.QueueArn`);
            if (!q) return;
            queue = q.name;
          } else {
            queue = `${fn}${name}Queue`;
            this.add('queue', queue, {}, 'AWS::SQS::Queue, generated by SAM for SqsSubscription');
          }
          this.addSubscription(topic.name, { name: queue }, at, p);
          const batch = toNumber(sqs.BatchSize);
          this.mappings.push({ source: queue, function: invoked, ...(batch !== undefined ? { batchSize: batch } : {}) });
          this.comment(`eventSourceMappings.${this.mappings.length - 1}`, `${fn}.Events.${name} (SNS with SqsSubscription): SAM's queue to the function`);
        } else {
          this.addSubscription(topic.name, { name: invoked }, at, p);
        }
        return;
      }
      case 'S3': {
        const bucket = this.target(p.Bucket, ['bucket'], `${at}.Properties.Bucket`);
        if (!bucket) return;
        return this.addNotification(bucket.name, this.invokeName(fn), p.Events, p.Filter, at);
      }
      case 'EventBridgeRule':
      case 'CloudWatchEvent': {
        const bus = p.EventBusName === undefined ? 'default' : this.busName(p.EventBusName, `${at}.Properties.EventBusName`);
        if (!bus) return;
        if (p.Pattern === undefined) {
          this.error(`${at}.Properties.Pattern: missing; SAM requires it for an ${type} event`);
          return;
        }
        return this.addRule(bus, name, { eventPattern: p.Pattern, targets: [this.invokeName(fn)] }, p, at, `${fn}.Events.${name} (${type})`);
      }
      case 'Schedule':
      case 'ScheduleV2': {
        const expr = type === 'Schedule' ? p.Schedule : p.ScheduleExpression;
        if (typeof expr !== 'string') {
          this.error(`${at}.Properties.${type === 'Schedule' ? 'Schedule' : 'ScheduleExpression'}: missing; a schedule needs rate(...) or cron(...)`);
          return;
        }
        if (toBool(p.Enabled) === false || p.State === 'DISABLED') {
          this.skip(`${fn}.Events.${name}`, `${type} event`, 'the schedule is disabled');
          return;
        }
        if (!/^(rate|cron)\(/.test(expr)) {
          this.skip(`${fn}.Events.${name}`, `${type} event`, `${expr}: one-time at() schedules are not simulated`);
          return;
        }
        if (p.ScheduleExpressionTimezone !== undefined) this.skip(`${fn}.Events.${name}.ScheduleExpressionTimezone`, 'property', 'schedules run in UTC in lambda-tui');
        return this.addRule('default', name, { schedule: expr, targets: [this.invokeName(fn)] }, p, at, `${fn}.Events.${name} (${type})`);
      }
      case 'Api':
      case 'HttpApi': {
        const method = typeof p.Method === 'string' ? p.Method.toUpperCase() : type === 'HttpApi' ? 'ANY' : undefined;
        const route = typeof p.Path === 'string' ? p.Path : type === 'HttpApi' ? '/' : undefined;
        if (!method || !route) {
          this.error(`${at}.Properties: an Api event needs Path and Method`);
          return;
        }
        const format = type === 'Api' ? '1.0' : typeof p.PayloadFormatVersion === 'string' ? p.PayloadFormatVersion : '2.0';
        return this.addRoute(this.invokeName(fn), method, route, format, `${fn}.Events.${name} (${type}: ${method} ${route})`, type === 'Api' ? 'REST API' : 'HTTP API', p.TimeoutInMillis);
      }
      default:
        this.skip(`${fn}.Events.${name}`, `${type} event`, ['MSK', 'SelfManagedKafka', 'MQ', 'DocumentDB'].includes(type) ? 'Kafka, MQ and DocumentDB sources are not simulated' : 'not an event source lambda-tui simulates');
    }
  }

  private addRoute(fn: string, method: string, route: string, format: string, comment: string, api: string, timeoutInMillis?: unknown): void {
    const concreteMethod = method === 'ANY' || method === 'X-AMAZON-APIGATEWAY-ANY-METHOD' ? 'GET' : method;
    const concretePath = route.replace(/\{([^}+]+)\+?\}/g, (_, param: string) => (param === 'proxy' ? 'hello' : '1'));
    const http: Record<string, unknown> = { method: concreteMethod, path: concretePath, payloadFormatVersion: format };
    const timeout = toNumber(timeoutInMillis);
    if (timeout !== undefined) http.integrationTimeout = `${timeout}ms`;
    this.triggers.push({ kind: 'api', name: fn, function: fn.split(':')[0], http, comment: `${api} route ${method} ${route} (${comment})` });
  }

  private busName(value: unknown, at: string): string | undefined {
    if (value === 'default' || value === undefined) return 'default';
    if (typeof value === 'string' && /:event-bus\/default$/.test(value)) return 'default';
    return this.target(value, ['bus'], at)?.name;
  }

  private addRule(bus: string, ruleName: string, rule: Record<string, unknown>, p: Props, at: string, comment: string): void {
    if (!this.kinds.has(bus) && bus === 'default') this.add('bus', 'default', { rules: [] }, 'the default event bus');
    const spec = this.section('bus')[bus];
    const rules = spec.rules as Array<Record<string, unknown>>;
    let name = ruleName;
    for (let n = 2; rules.some((r) => r.name === name); n++) name = `${ruleName}${n}`;
    const out: Record<string, unknown> = { name, ...rule };
    if (out.eventPattern !== undefined) {
      const pattern = jsonish(out.eventPattern);
      if (!isObject(pattern)) {
        this.error(`${at}: EventPattern ${JSON.stringify(out.eventPattern)} is not a JSON object`);
        return;
      }
      out.eventPattern = pattern;
    }
    const retry = isObject(p.RetryPolicy) ? p.RetryPolicy : {};
    const attempts = toNumber(retry.MaximumRetryAttempts);
    if (attempts !== undefined) out.retryAttempts = attempts;
    const age = toNumber(retry.MaximumEventAgeInSeconds);
    if (age !== undefined) out.maxEventAge = seconds(age);
    const dlq = isObject(p.DeadLetterConfig) ? p.DeadLetterConfig : undefined;
    if (dlq) {
      if (dlq.Arn !== undefined) {
        const q = this.target(dlq.Arn, ['queue'], `${at}.DeadLetterConfig.Arn`);
        if (q) out.deadLetterQueue = q.name;
      } else if (dlq.Type === 'SQS') {
        const q = typeof dlq.QueueLogicalId === 'string' ? dlq.QueueLogicalId : `${String(rule.targets && (rule.targets as string[])[0])}${ruleName}Queue`;
        this.add('queue', q, {}, 'AWS::SQS::Queue, generated by SAM for the rule\'s DeadLetterConfig');
        out.deadLetterQueue = q;
      }
    }
    for (const prop of ['Input', 'InputPath', 'InputTransformer']) {
      if (p[prop] !== undefined) this.skip(`${at}.${prop}`, 'property', 'rule target input transformation is not simulated: targets get the matched event');
    }
    rules.push(out);
    this.comment(`buses.${bus}.rules.${rules.length - 1}`, comment);
    for (const t of out.targets as string[]) if (this.kinds.get(t) === 'queue') this.fed.add(t);
    if (out.eventPattern !== undefined) {
      this.triggers.push({ kind: 'bus', name: bus, body: examplePayload(out.eventPattern as Props), comment: `events that match ${comment}` });
    }
  }

  private rule(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::Events::Rule', p, ['Name', 'Description', 'EventBusName', 'EventPattern', 'ScheduleExpression', 'State', 'Targets', 'RoleArn']);
    if (p.State === 'DISABLED') {
      this.skip(id, 'AWS::Events::Rule', 'the rule is DISABLED');
      return;
    }
    const bus = this.busName(p.EventBusName, `Resources.${id}.Properties.EventBusName`);
    if (!bus) return;
    const targets: string[] = [];
    let retry: Props = {};
    const extras: Props = {};
    (Array.isArray(p.Targets) ? p.Targets : []).forEach((t, i) => {
      if (!isObject(t)) return;
      const other = this.unsimulatedTarget(t.Arn);
      if (other) {
        this.skip(`${id}.Targets[${i}]`, `EventBridge target (${other})`, 'only Lambda, SQS, SNS and event bus targets are simulated');
        return;
      }
      const to = this.target(t.Arn, ['function', 'queue', 'topic', 'bus'], `Resources.${id}.Properties.Targets[${i}].Arn`);
      if (to) targets.push(this.invoked(to, `Resources.${id}.Properties.Targets[${i}].Arn`));
      if (isObject(t.RetryPolicy)) retry = { RetryPolicy: t.RetryPolicy };
      if (isObject(t.DeadLetterConfig)) extras.DeadLetterConfig = t.DeadLetterConfig;
      for (const prop of ['Input', 'InputPath', 'InputTransformer']) if (t[prop] !== undefined) extras[prop] = t[prop];
    });
    if (targets.length === 0) {
      this.skip(id, 'AWS::Events::Rule', 'none of its targets is a simulated function, queue, topic or bus');
      return;
    }
    if (p.ScheduleExpression !== undefined) {
      if (bus !== 'default') {
        this.error(`Resources.${id}.Properties.ScheduleExpression: AWS runs schedules on the default event bus only`);
        return;
      }
      this.addRule('default', id, { schedule: p.ScheduleExpression, targets }, { ...retry, ...extras }, `Resources.${id}.Properties`, `${id} (AWS::Events::Rule, schedule)`);
      return;
    }
    if (p.EventPattern === undefined) {
      this.error(`Resources.${id}.Properties: a rule needs EventPattern or ScheduleExpression`);
      return;
    }
    this.addRule(bus, id, { eventPattern: p.EventPattern, targets }, { ...retry, ...extras }, `Resources.${id}.Properties`, `${id} (AWS::Events::Rule)`);
  }

  private schedulerSchedule(id: string, p: Props): void {
    this.unknownProperties(id, 'AWS::Scheduler::Schedule', p, [
      'Name', 'Description', 'GroupName', 'ScheduleExpression', 'ScheduleExpressionTimezone', 'FlexibleTimeWindow', 'StartDate',
      'EndDate', 'State', 'Target', 'KmsKeyArn',
    ]);
    const expr = p.ScheduleExpression;
    if (p.State === 'DISABLED') return this.skip(id, 'AWS::Scheduler::Schedule', 'the schedule is DISABLED');
    if (typeof expr !== 'string' || !/^(rate|cron)\(/.test(expr)) {
      return this.skip(id, 'AWS::Scheduler::Schedule', `${JSON.stringify(expr)}: only rate() and cron() schedules are simulated`);
    }
    const target = isObject(p.Target) ? p.Target : {};
    const other = this.unsimulatedTarget(target.Arn);
    if (other) {
      this.skip(id, `AWS::Scheduler::Schedule (target ${other})`, 'only Lambda, SQS, SNS and event bus targets are simulated');
      return;
    }
    const to = this.target(target.Arn, ['function', 'queue', 'topic', 'bus'], `Resources.${id}.Properties.Target.Arn`);
    if (!to) return;
    if (p.ScheduleExpressionTimezone !== undefined) this.skip(`${id}.ScheduleExpressionTimezone`, 'property', 'schedules run in UTC in lambda-tui');
    if (isObject(p.FlexibleTimeWindow) && p.FlexibleTimeWindow.Mode === 'FLEXIBLE') this.skip(`${id}.FlexibleTimeWindow`, 'property', 'flexible time windows are not simulated: the schedule fires on time');
    this.addRule('default', id, { schedule: expr, targets: [this.invoked(to, `Resources.${id}.Properties.Target.Arn`)] }, target, `Resources.${id}.Properties.Target`, `${id} (AWS::Scheduler::Schedule)`);
  }

  // ---- mappings ------------------------------------------------------------------------------------------

  private eventSourceMapping(id: string, type: string, at: string, p: Props, samType: string | undefined): void {
    const known = [
      'FunctionName', 'EventSourceArn', 'Enabled', 'BatchSize', 'MaximumBatchingWindowInSeconds', 'StartingPosition',
      'StartingPositionTimestamp', 'FunctionResponseTypes', 'FilterCriteria', 'ScalingConfig', 'ParallelizationFactor',
      'BisectBatchOnFunctionError', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'TumblingWindowInSeconds',
      'DestinationConfig', 'MetricsConfig', 'KmsKeyArn', 'Tags', 'ProvisionedPollerConfig', 'Queue', 'Stream',
      'Topics', 'Queues', 'SourceAccessConfigurations', 'SelfManagedEventSource', 'AmazonManagedKafkaEventSourceConfig',
      'SelfManagedKafkaEventSourceConfig', 'DocumentDBEventSourceConfig', 'LoggingConfig',
    ];
    if (!samType) this.unknownProperties(id, 'AWS::Lambda::EventSourceMapping', p, known);
    else for (const key of Object.keys(p)) if (!known.includes(key)) this.warn(`${at}.${key}: unknown property of a ${samType} event; ignored`);
    const source = p.EventSourceArn;
    if (typeof source === 'string' && /:(kafka|mq|rds|docdb):/.test(source)) {
      this.skip(id, type, 'Kafka, MQ and DocumentDB sources are not simulated');
      return;
    }
    const sourceField = samType === 'SQS' ? 'Queue' : samType ? 'Stream' : 'EventSourceArn';
    if (source === undefined) {
      this.error(`${at}.${sourceField}: missing; AWS requires the source's ARN`);
      return;
    }
    // A Kinesis consumer ARN (enhanced fan-out) reads its stream.
    const consumer = typeof source === 'string' ? /^(arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/[^/]+)\/consumer\//.exec(source) : null;
    const from = this.target(consumer ? consumer[1] : source, samType === 'SQS' ? ['queue'] : samType === 'Kinesis' ? ['stream'] : samType === 'DynamoDB' ? ['table'] : ['queue', 'stream', 'table'], `${at}.${sourceField}`);
    const fn = this.target(p.FunctionName, ['function'], `${at}.FunctionName`);
    if (!from || !fn) return;
    const invoked = this.qualify(fn.name, fn.qualifier ?? (samType ? this.aliasOf.get(fn.name) : undefined), id);
    const kind = this.kinds.get(from.name);
    const m: Record<string, unknown> = { source: from.name, function: invoked };
    const enabled = toBool(p.Enabled);
    if (enabled === false) m.enabled = false;
    const batch = toNumber(p.BatchSize);
    if (batch !== undefined) m.batchSize = batch;
    const window = toNumber(p.MaximumBatchingWindowInSeconds);
    if (window !== undefined) m.maxBatchingWindow = seconds(window);
    const filters = isObject(p.FilterCriteria) && Array.isArray(p.FilterCriteria.Filters) ? p.FilterCriteria.Filters : [];
    if (filters.length > 0) {
      const patterns: unknown[] = [];
      filters.forEach((f, i) => {
        const pattern = isObject(f) ? jsonish(f.Pattern) : undefined;
        if (isObject(pattern)) patterns.push(pattern);
        else this.error(`${at}.FilterCriteria.Filters[${i}].Pattern: ${JSON.stringify(isObject(f) ? f.Pattern : f)} is not a JSON object`);
      });
      m.filters = patterns;
    }
    if (Array.isArray(p.FunctionResponseTypes) && p.FunctionResponseTypes.includes('ReportBatchItemFailures')) m.reportBatchItemFailures = true;
    const scaling = isObject(p.ScalingConfig) ? toNumber(p.ScalingConfig.MaximumConcurrency) : undefined;
    if (scaling !== undefined) m.maxConcurrency = scaling;
    if (kind === 'stream' || kind === 'table') {
      if (p.StartingPosition === undefined) {
        this.error(`${at}.StartingPosition: missing; AWS requires StartingPosition for a ${kind === 'stream' ? 'Kinesis' : 'DynamoDB'} stream mapping (${id}): TRIM_HORIZON, LATEST or AT_TIMESTAMP`);
        return;
      }
      if (p.StartingPosition === 'AT_TIMESTAMP') {
        this.skip(`${id}.StartingPosition`, 'property', 'AT_TIMESTAMP is simulated as TRIM_HORIZON (the simulation starts at time 0)');
        m.startingPosition = 'TRIM_HORIZON';
      } else {
        m.startingPosition = p.StartingPosition;
      }
      const factor = toNumber(p.ParallelizationFactor);
      if (factor !== undefined) m.parallelizationFactor = factor;
      const bisect = toBool(p.BisectBatchOnFunctionError);
      if (bisect !== undefined) m.bisectBatchOnError = bisect;
      const retries = toNumber(p.MaximumRetryAttempts);
      if (retries !== undefined) m.retryAttempts = retries;
      const age = toNumber(p.MaximumRecordAgeInSeconds);
      if (age !== undefined) m.maxRecordAge = age === -1 ? -1 : seconds(age);
      const window = toNumber(p.TumblingWindowInSeconds);
      if (window !== undefined) m.tumblingWindow = seconds(window);
    } else {
      for (const prop of ['StartingPosition', 'ParallelizationFactor', 'BisectBatchOnFunctionError', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'TumblingWindowInSeconds']) {
        if (p[prop] !== undefined) this.error(`${at}.${prop}: not valid for an SQS mapping (${id}); AWS accepts it on Kinesis and DynamoDB streams only`);
      }
    }
    const onFailure = isObject(p.DestinationConfig) && isObject(p.DestinationConfig.OnFailure) ? p.DestinationConfig.OnFailure.Destination : undefined;
    if (onFailure !== undefined) {
      const to = this.target(onFailure, ['queue', 'topic', 'bucket'], `${at}.DestinationConfig.OnFailure.Destination`);
      if (to) m.onFailure = to.name;
    }
    if (p.ProvisionedPollerConfig !== undefined) this.skip(`${id}.ProvisionedPollerConfig`, 'property', 'provisioned pollers are not simulated: the mapping scales as on-demand');
    // AWS refuses an SQS mapping whose function's timeout exceeds the queue's visibility timeout.
    if (kind === 'queue') {
      const queue = this.section('queue')[from.name];
      const fnSpec = this.section('function')[fn.name];
      const visibility = inSeconds(queue.visibilityTimeout, 30);
      const timeout = inSeconds(fnSpec.timeout, 3);
      if (timeout > visibility) {
        this.error(`${at}: ${id}: Queue visibility timeout: ${visibility} seconds is less than Function timeout: ${timeout} seconds (AWS refuses the mapping; raise ${from.name}'s VisibilityTimeout to at least ${timeout}, AWS recommends ${6 * timeout})`);
        return;
      }
      if (visibility < 6 * timeout) this.warn(`${at}: ${from.name}'s VisibilityTimeout (${visibility} s) is under 6 times ${fn.name}'s Timeout (${timeout} s), which AWS recommends for SQS mappings`);
    }
    this.mappings.push(m);
    this.result.origins[`eventSourceMappings[${this.mappings.length - 1}]`] = id;
    this.comment(`eventSourceMappings.${this.mappings.length - 1}`, samType ? `${id} (${samType} event of ${fn.name})` : `${id} (AWS::Lambda::EventSourceMapping)`);
    // Traffic the first filter lets through, so the imported run reaches the function.
    const first = Array.isArray(m.filters) && isObject(m.filters[0]) ? exampleRecordBody(m.filters[0] as Props, kind as 'queue') : undefined;
    this.triggers.push({
      kind: kind as 'queue',
      name: from.name,
      comment: `the source of ${id}${first !== undefined ? ', with records its first filter matches' : ''}`,
      fifo: this.section('queue')[from.name]?.fifo === true,
      ...(first !== undefined ? { body: first } : {}),
    });
  }

  // ---- synchronous callers -------------------------------------------------------------------------------

  private functionInUri(uri: unknown): string | undefined {
    if (typeof uri !== 'string') return undefined;
    const m = /functions\/(arn:[^/]+)\/invocations/.exec(uri);
    return m ? m[1] : uri.startsWith('arn:') && uri.includes(':lambda:') ? uri : undefined;
  }

  private restPath(resourceId: unknown): string {
    const parts: string[] = [];
    let current = typeof resourceId === 'string' ? this.logicalId(resourceId) : undefined;
    for (let guard = 0; current && guard < 32; guard++) {
      const r = this.resources[current];
      if (!r || r.Type !== 'AWS::ApiGateway::Resource') break;
      const p = this.props(current, r);
      parts.unshift(String(p.PathPart));
      current = typeof p.ParentId === 'string' ? this.logicalId(p.ParentId) : undefined;
    }
    return `/${parts.join('/')}`;
  }

  private restMethod(id: string, p: Props): void {
    const integration = isObject(p.Integration) ? p.Integration : {};
    const fnArn = this.functionInUri(integration.Uri);
    if (!fnArn || (integration.Type !== 'AWS_PROXY' && integration.Type !== 'AWS')) {
      return this.skip(id, 'AWS::ApiGateway::Method', 'its integration is not a Lambda function');
    }
    const fn = this.target(fnArn, ['function'], `Resources.${id}.Properties.Integration.Uri`);
    if (!fn) return;
    const method = String(p.HttpMethod ?? 'GET').toUpperCase();
    const route = this.restPath(p.ResourceId);
    this.addRoute(this.invoked(fn, `Resources.${id}.Properties.Integration.Uri`), method, route, '1.0', id, 'REST API');
  }

  private httpRoute(id: string, p: Props): void {
    const key = typeof p.RouteKey === 'string' ? p.RouteKey : '$default';
    const target = typeof p.Target === 'string' ? /^integrations\/(.+)$/.exec(p.Target)?.[1] : undefined;
    const integrationId = target ? this.logicalId(target) : undefined;
    const integration = integrationId ? this.resources[integrationId] : undefined;
    if (!integration || integration.Type !== 'AWS::ApiGatewayV2::Integration') return this.skip(id, 'AWS::ApiGatewayV2::Route', 'its target is not an integration in this template');
    const ip = this.props(integrationId!, integration);
    const fnArn = this.functionInUri(ip.IntegrationUri);
    if (!fnArn) return this.skip(id, 'AWS::ApiGatewayV2::Route', 'its integration is not a Lambda function');
    const fn = this.target(fnArn, ['function'], `Resources.${integrationId}.Properties.IntegrationUri`);
    if (!fn) return;
    const [method, route] = key === '$default' ? ['ANY', '/'] : key.split(/\s+/, 2);
    this.addRoute(this.invoked(fn, `Resources.${integrationId}.Properties.IntegrationUri`), method, route ?? '/', typeof ip.PayloadFormatVersion === 'string' ? ip.PayloadFormatVersion : '2.0', id, 'HTTP API');
  }

  /** AWS::Lambda::Url: a function URL on the function ($LATEST) or on an alias (its Qualifier). */
  private functionUrl(id: string, p: Props): void {
    const at = `Resources.${id}.Properties`;
    const fn = this.target(p.TargetFunctionArn, ['function'], `${at}.TargetFunctionArn`);
    if (!fn) return;
    const qualifier = p.Qualifier !== undefined ? String(p.Qualifier) : fn.qualifier;
    this.urlTrigger(this.invoked({ name: fn.name, qualifier }, `${at}.Qualifier`), fn.name, p, at);
  }

  /** A function URL becomes synchronous traffic via 'url' with its AuthType (docs/callers.md). */
  private urlTrigger(invoke: string, fn: string, config: Props, at: string): void {
    const authType = config.AuthType === 'AWS_IAM' ? 'AWS_IAM' : 'NONE';
    if (config.AuthType !== undefined && config.AuthType !== 'AWS_IAM' && config.AuthType !== 'NONE') {
      this.error(`${at}.AuthType: ${JSON.stringify(config.AuthType)} is not valid; allowed: 'NONE', 'AWS_IAM'`);
    }
    if (config.InvokeMode !== undefined && config.InvokeMode !== 'BUFFERED' && config.InvokeMode !== 'RESPONSE_STREAM') {
      this.error(`${at}.InvokeMode: ${JSON.stringify(config.InvokeMode)} is not valid; allowed: 'BUFFERED', 'RESPONSE_STREAM'`);
    }
    const streaming = config.InvokeMode === 'RESPONSE_STREAM';
    if (config.Cors !== undefined) this.skip(`${at}.Cors`, 'property', 'CORS is the browser\'s business: not simulated');
    this.triggers.push({
      kind: 'url',
      name: invoke,
      function: fn,
      http: { method: 'GET', path: '/' },
      url: { authType, ...(streaming ? { invokeMode: 'RESPONSE_STREAM' } : {}) },
      comment: `function URL of ${fn} (AuthType ${authType}${streaming ? ', InvokeMode RESPONSE_STREAM' : ''})`,
    });
  }

  private targetGroup(id: string, p: Props): void {
    if (p.TargetType !== 'lambda') return this.skip(id, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'not a Lambda target group');
    const targets = Array.isArray(p.Targets) ? p.Targets : [];
    const multi = (Array.isArray(p.TargetGroupAttributes) ? p.TargetGroupAttributes : []).some(
      (a) => isObject(a) && a.Key === 'lambda.multi_value_headers.enabled' && String(a.Value) === 'true',
    );
    for (const [i, t] of targets.entries()) {
      if (!isObject(t)) continue;
      const fn = this.target(t.Id, ['function'], `Resources.${id}.Properties.Targets[${i}].Id`);
      if (!fn) continue;
      this.triggers.push({ kind: 'alb', name: this.invoked(fn, `Resources.${id}.Properties.Targets[${i}].Id`), function: fn.name, http: { method: 'GET', path: '/', ...(multi ? { multiValueHeaders: true } : {}) }, comment: `ALB target group ${id}` });
    }
  }

  // ---- traffic and the end -------------------------------------------------------------------------------

  private finish(): void {
    this.traffic();
    // The conventional order of a scenario file's sections.
    const order = ['name', 'description', 'duration', 'functions', 'queues', 'streams', 'tables', 'topics', 'buses', 'buckets', 'eventSourceMappings', 'traffic'];
    const copy = { ...this.scenario, ...(this.mappings.length > 0 ? { eventSourceMappings: this.mappings } : {}) } as Record<string, unknown>;
    for (const key of Object.keys(this.scenario)) delete (this.scenario as Record<string, unknown>)[key];
    const empty = (v: unknown) => v !== null && typeof v === 'object' && Object.keys(v).length === 0;
    for (const key of order) if (copy[key] !== undefined && (key === 'functions' || key === 'traffic' || !empty(copy[key]))) (this.scenario as Record<string, unknown>)[key] = copy[key];
    if (Object.keys(this.scenario.functions).length === 0) this.error('has no function lambda-tui can simulate (AWS::Lambda::Function or AWS::Serverless::Function)');
  }

  /** A bucket with no Lambda notification is read by nothing, unless something delivers to it. */
  private dropIdleBuckets(): void {
    const buckets = (this.scenario as Record<string, unknown>).buckets as Record<string, { notifications: unknown[] }> | undefined;
    if (!buckets) return;
    for (const [name, spec] of Object.entries(buckets)) {
      if (spec.notifications.length > 0 || this.isTargetSomewhere(name)) continue;
      delete buckets[name];
      this.kinds.delete(name);
      delete this.result.comments[`buckets.${name}`];
      this.skip(name, 'AWS::S3::Bucket', 'no Lambda notification: nothing in the simulation reads it');
    }
    if (Object.keys(buckets).length === 0) delete (this.scenario as Record<string, unknown>).buckets;
  }

  /**
   * Traffic to a topic whose subscription has a filter policy carries what the first such policy accepts
   * (message attributes, or a body for MessageBody scope), so that the filtered subscriber runs too.
   */
  private topicSample(topic: string, entry: Record<string, unknown>): void {
    const subs = (this.section('topic')[topic]?.subscriptions ?? []) as Array<string | Record<string, unknown>>;
    const filtered = subs.find((s): s is Record<string, unknown> => typeof s !== 'string' && isObject(s.filterPolicy));
    if (!filtered) return;
    const values = examplePolicyValues(filtered.filterPolicy as Props);
    if (filtered.filterPolicyScope === 'MessageBody') entry.body ??= values;
    else {
      const attributes = Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'string' || typeof v === 'number'));
      if (Object.keys(attributes).length > 0) entry.messageAttributes = attributes;
    }
  }

  private traffic(): void {
    this.dropIdleBuckets();
    const seen = new Set<string>();
    for (const t of this.triggers) {
      const key =
        t.kind === 'api' || t.kind === 'alb' || t.kind === 'url' ? `${t.kind}:${t.name}:${JSON.stringify(t.http)}` : `${t.kind}:${t.name}:${JSON.stringify(t.body ?? null)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (t.kind !== 'api' && t.kind !== 'alb' && t.kind !== 'url' && this.fed.has(t.name)) continue;
      const entry: Record<string, unknown> =
        t.kind === 'url'
          ? { invoke: t.name, type: 'RequestResponse', via: 'url', rate: 1, http: t.http, url: t.url }
          : t.kind === 'api' || t.kind === 'alb'
            ? { invoke: t.name, type: 'RequestResponse', via: t.kind === 'api' ? 'apigateway' : 'alb', rate: 1, http: t.http }
            : { to: t.name, rate: 1 };
      if (t.kind === 'stream' || t.kind === 'table') entry.partitionKeys = 4;
      if (t.fifo) entry.messageGroups = 2;
      if (t.body !== undefined) entry.body = t.body;
      if (t.kind === 'topic') this.topicSample(t.name, entry);
      this.scenario.traffic.push(entry);
      this.comment(`traffic.${this.scenario.traffic.length - 1}`, t.comment);
    }
    for (const [name, spec] of Object.entries(this.scenario.functions)) {
      const invoked = this.triggers.some((t) => t.function === name) || this.mappings.some((m) => m.function === name);
      void spec;
      if (!invoked && !this.isTargetSomewhere(name)) this.comment(`functions.${name}`, 'nothing in the template invokes it: add a traffic entry such as { invoke: \'' + name + '\', type: \'Event\', rate: 1 }');
    }
  }

  private isTargetSomewhere(name: string): boolean {
    // A reference is the name as a value; the resource's own entry has it as a key ("name":).
    const text = JSON.stringify({ ...this.scenario, functions: Object.values(this.scenario.functions), traffic: undefined, eventSourceMappings: this.mappings });
    return new RegExp(`"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:[^"]*)?"(?!\\s*:)`).test(text);
  }
}
