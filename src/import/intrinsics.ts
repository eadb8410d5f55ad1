/**
 * CloudFormation's intrinsic functions, resolved where the template allows (docs/import.md,
 * "Intrinsics"): parameters (their defaults, or `--parameter K=V`), pseudo parameters, conditions,
 * mappings, and `Ref` / `Fn::GetAtt` to resources of the template, which resolve to the physical names and
 * ARNs the importer gives them (so an ARN built with `Fn::Join` or `Fn::Sub` still leads back to its
 * resource). What cannot be resolved (an `Fn::ImportValue` from another stack, a parameter without a
 * default) becomes a named placeholder string and a warning, never a crash.
 */

/** What `Ref: AWS::NoValue` resolves to: the property is removed, as CloudFormation does. */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface ResolverOptions {
  parameters: Record<string, unknown>;
  conditions: Record<string, unknown>;
  mappings: Record<string, unknown>;
  pseudo: Record<string, unknown>;
  /** The value `Ref` gives for a resource of the template, or undefined when there is none. */
  refOf(logicalId: string): unknown;
  /** The value `Fn::GetAtt` gives, or undefined when the resource is not in the template. */
  attOf(logicalId: string, attribute: string): unknown;
  /** A reference that could not be resolved: once per distinct message. */
  warn(message: string): void;
}

/** The placeholder for a value from outside the template, e.g. `${ImportValue:shared-orders-queue-arn}`. */
export function placeholder(kind: string, name: string): string {
  return `\${${kind}:${name}}`;
}

/** Whether a string is (or holds) a placeholder for a value the importer could not resolve. */
export function isPlaceholder(value: unknown): value is string {
  return typeof value === 'string' && /\$\{(ImportValue|Ref|GetAtt|Unresolved):/.test(value);
}

const INTRINSICS = new Set([
  'Ref', 'Condition', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::FindInMap', 'Fn::If',
  'Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Fn::Base64', 'Fn::ImportValue', 'Fn::GetAZs', 'Fn::Cidr',
  'Fn::Transform', 'Fn::Length', 'Fn::ToJsonString',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Resolves intrinsics in template values.
 *
 * @example
 * const r = new Resolver({ parameters: { Env: 'dev' }, conditions: {}, mappings: {}, pseudo: { 'AWS::Region': 'us-east-1' },
 *   refOf: () => undefined, attOf: () => undefined, warn: console.warn });
 * r.resolve({ 'Fn::Sub': 'orders-${Env}-${AWS::Region}' }, 'Resources.Q.Properties.QueueName'); // 'orders-dev-us-east-1'
 */
export class Resolver {
  private readonly conditionCache = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();

  constructor(private readonly options: ResolverOptions) {}

  /** Whether a named condition holds; an unknown or unresolvable one counts as true, with a warning. */
  condition(name: string, path: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    if (!(name in this.options.conditions)) {
      this.options.warn(`${path}: condition '${name}' is not in Conditions; taken as true`);
      return true;
    }
    if (this.evaluating.has(name)) {
      this.options.warn(`${path}: condition '${name}' refers to itself; taken as true`);
      return true;
    }
    this.evaluating.add(name);
    const value = this.resolve(this.options.conditions[name], `Conditions.${name}`);
    this.evaluating.delete(name);
    const result = typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : undefined;
    if (result === undefined) this.options.warn(`Conditions.${name}: could not be evaluated (${JSON.stringify(value)}); taken as true`);
    this.conditionCache.set(name, result ?? true);
    return result ?? true;
  }

  /** The value with every intrinsic inside it resolved; `NO_VALUE` where `AWS::NoValue` removes it. */
  resolve(value: unknown, path: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item, i) => this.resolve(item, `${path}[${i}]`)).filter((item) => item !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && INTRINSICS.has(keys[0])) return this.intrinsic(keys[0], value[keys[0]], `${path}.${keys[0]}`);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const resolved = this.resolve(value[key], `${path}.${key}`);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  private unresolved(path: string, kind: string, name: string, why: string): string {
    this.options.warn(`${path}: ${why}; it becomes the placeholder ${placeholder(kind, name)}`);
    return placeholder(kind, name);
  }

  private ref(name: string, path: string): unknown {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in this.options.pseudo) return this.options.pseudo[name];
    if (name in this.options.parameters) {
      const value = this.options.parameters[name];
      return value === undefined ? this.unresolved(path, 'Ref', name, `parameter '${name}' has no Default and no --parameter ${name}=VALUE`) : value;
    }
    const resource = this.options.refOf(name);
    if (resource !== undefined) return resource;
    return this.unresolved(path, 'Ref', name, `Ref to '${name}', which is neither a parameter nor a resource of the template`);
  }

  private sub(arg: unknown, path: string): unknown {
    const [text, vars] = Array.isArray(arg) ? [arg[0], this.resolve(arg[1] ?? {}, `${path}[1]`)] : [arg, {}];
    if (typeof text !== 'string') return this.unresolved(path, 'Unresolved', 'Sub', 'Fn::Sub needs a string');
    const variables = isObject(vars) ? vars : {};
    return text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      if (name in variables) return String(variables[name]);
      const dot = name.indexOf('.');
      const value = dot > 0 && !name.startsWith('AWS::') ? this.getAtt([name.slice(0, dot), name.slice(dot + 1)], path) : this.ref(name, path);
      return value === NO_VALUE ? '' : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : whole;
    });
  }

  private getAtt(arg: unknown, path: string): unknown {
    const parts = Array.isArray(arg) ? arg.map((a, i) => this.resolve(a, `${path}[${i}]`)) : typeof arg === 'string' ? arg.split('.') : [];
    const [id, ...rest] = parts.map(String);
    const attribute = rest.join('.');
    if (!id || !attribute) return this.unresolved(path, 'GetAtt', String(arg), 'Fn::GetAtt needs [LogicalId, Attribute]');
    const value = this.options.attOf(id, attribute);
    if (value !== undefined) return value;
    return this.unresolved(path, 'GetAtt', `${id}.${attribute}`, `Fn::GetAtt to '${id}', which is not a resource of the template`);
  }

  private findInMap(arg: unknown, path: string): unknown {
    const args = this.resolve(arg, path);
    if (!Array.isArray(args) || args.length < 3) return this.unresolved(path, 'Unresolved', 'FindInMap', 'Fn::FindInMap needs [Map, TopKey, SecondKey]');
    const [map, top, second, options] = args as [unknown, unknown, unknown, unknown];
    const found = (this.options.mappings[String(map)] as Record<string, Record<string, unknown>> | undefined)?.[String(top)]?.[String(second)];
    if (found !== undefined) return found;
    if (isObject(options) && 'DefaultValue' in options) return options.DefaultValue;
    return this.unresolved(path, 'Unresolved', `FindInMap:${String(map)}.${String(top)}.${String(second)}`, `Mappings.${String(map)}.${String(top)}.${String(second)} does not exist`);
  }

  private truth(value: unknown): boolean | undefined {
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    return undefined;
  }

  private intrinsic(fn: string, arg: unknown, path: string): unknown {
    switch (fn) {
      case 'Ref':
        return this.ref(String(this.resolve(arg, path)), path);
      case 'Condition':
        return this.condition(String(arg), path);
      case 'Fn::GetAtt':
        return this.getAtt(arg, path);
      case 'Fn::Sub':
        return this.sub(arg, path);
      case 'Fn::Join': {
        const [sep, list] = (Array.isArray(arg) ? arg : []) as [unknown, unknown];
        const items = this.resolve(list, `${path}[1]`);
        if (!Array.isArray(items)) return this.unresolved(path, 'Unresolved', 'Join', 'Fn::Join needs [separator, [values]]');
        return items.map(String).join(String(this.resolve(sep, `${path}[0]`) ?? ''));
      }
      case 'Fn::Select': {
        const [index, list] = (Array.isArray(arg) ? arg : []) as [unknown, unknown];
        const items = this.resolve(list, `${path}[1]`);
        const i = Number(this.resolve(index, `${path}[0]`));
        if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
          return this.unresolved(path, 'Unresolved', 'Select', `Fn::Select index ${String(index)} is outside the list`);
        }
        return items[i];
      }
      case 'Fn::Split': {
        const [sep, text] = (Array.isArray(arg) ? arg : []) as [unknown, unknown];
        const resolved = this.resolve(text, `${path}[1]`);
        return typeof resolved === 'string' ? resolved.split(String(sep)) : [resolved];
      }
      case 'Fn::FindInMap':
        return this.findInMap(arg, path);
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = (Array.isArray(arg) ? arg : []) as [unknown, unknown, unknown];
        return this.condition(String(name), path) ? this.resolve(whenTrue, `${path}[1]`) : this.resolve(whenFalse, `${path}[2]`);
      }
      case 'Fn::Equals': {
        const [a, b] = (Array.isArray(arg) ? arg : []).map((v, i) => this.resolve(v, `${path}[${i}]`));
        return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
      }
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not': {
        const values = (Array.isArray(arg) ? arg : [arg]).map((v, i) => this.truth(this.resolve(v, `${path}[${i}]`)));
        if (values.some((v) => v === undefined)) {
          this.options.warn(`${path}: ${fn} over a value that is not a condition; taken as true`);
          return true;
        }
        if (fn === 'Fn::Not') return !values[0];
        return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
      }
      case 'Fn::Base64': {
        const text = this.resolve(arg, path);
        return typeof text === 'string' ? Buffer.from(text, 'utf8').toString('base64') : text;
      }
      case 'Fn::ImportValue': {
        const name = this.resolve(arg, path);
        return this.unresolved(path, 'ImportValue', String(name), `Fn::ImportValue '${String(name)}' is exported by another stack`);
      }
      case 'Fn::GetAZs': {
        const region = String(this.options.pseudo['AWS::Region']);
        return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
      }
      case 'Fn::Length': {
        const list = this.resolve(arg, path);
        return Array.isArray(list) ? list.length : this.unresolved(path, 'Unresolved', 'Length', 'Fn::Length needs a list');
      }
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(arg, path));
      default:
        return this.unresolved(path, 'Unresolved', fn, `${fn} cannot be evaluated outside CloudFormation`);
    }
  }
}
