/**
 * CodeDeploy deployments of Lambda aliases (docs/versions.md): a deployment moves an alias from its version
 * to another in the steps of a canary, linear or all-at-once configuration, runs the BeforeAllowTraffic
 * hook before any traffic moves and the AfterAllowTraffic hook after all of it has, and watches CloudWatch
 * alarms on the alias's metrics. An alarm in ALARM stops the deployment and flips the alias back; a hook
 * that fails fails it (and, after traffic moved, rolls it back), as CodeDeploy does with automatic rollback
 * (SAM always enables it).
 *
 * Alarms are computed from the exact times of trace events, never from tick samples: each invocation
 * through the alias is one sample at the time it ended (Errors 1 or 0, Invocations 1, Duration its run time;
 * a throttle is a Throttles sample of 1 at its time), periods are aligned to multiples of the period from
 * simulated time 0, and each alarm is evaluated when a period closes, over the last `evaluationPeriods`.
 */
import type { AlarmModel, DeploymentModel } from '../scenario/model.js';
import { functionArn } from './aws/arn.js';
import { aliasKey } from './lambda/versions.js';
import type { EngineContext, EngineModule, InvocationResult, Timer } from './module.js';
import type { AlarmState, TraceEvent } from './trace.js';

export const DEPLOYMENTS = 'deployments';
/** How soon a throttled hook invocation is tried again. */
const HOOK_RETRY_MS = 1_000;
/** The newest weight changes a deployment's view keeps. */
const WEIGHTS_SHOWN = 64;

export type DeploymentStatus = 'Scheduled' | 'BeforeAllowTraffic' | 'Shifting' | 'AfterAllowTraffic' | 'Succeeded' | 'Stopped' | 'Failed';
export type HookName = 'BeforeAllowTraffic' | 'AfterAllowTraffic';

export interface AlarmView {
  name: string;
  metric: string;
  statistic: string;
  threshold: number;
  comparisonOperator: string;
  executedVersion?: string;
  state: AlarmState;
  /** The newest period's value, null when it had no data. */
  value: number | null;
  /** Of the last evaluationPeriods, how many breached (the gauge that fills towards datapointsToAlarm). */
  breaching: number;
  datapointsToAlarm: number;
  evaluationPeriods: number;
}

export interface DeploymentView {
  id: string;
  /** 'fn:alias' */
  alias: string;
  fn: string;
  from: string;
  to: string;
  config: string;
  status: DeploymentStatus;
  /** Traffic steps done and in all (canary 2, linear 100/percent, all-at-once 1). */
  step: number;
  steps: number;
  startsAtMs: number;
  startedAtMs?: number;
  endedAtMs?: number;
  rolledBackAtMs?: number;
  reason?: string;
  /** The new version's share over time (0..1), oldest first. */
  weights: Array<{ t: number; weight: number }>;
  alarms: AlarmView[];
  hooks: Partial<Record<HookName, { fn: string; status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' }>>;
}

export interface DeploymentsViewState {
  deployments: DeploymentView[];
}

interface Sample {
  t: number;
  version: string;
  metric: 'end' | 'throttle';
  error: boolean;
  durationMs: number;
}

interface AlarmRun {
  model: AlarmModel;
  state: AlarmState;
}

interface Run {
  model: DeploymentModel;
  key: string;
  view: number;
  from: string;
  active: boolean;
  shiftStartMs: number;
  steps: Array<{ offsetMs: number; percent: number }>;
  step: number;
  alarms: AlarmRun[];
  timers: Timer[];
}

/** The traffic steps of a configuration: the new version's percent from each offset after shifting starts. */
export function deploymentSteps(d: Pick<DeploymentModel, 'type' | 'percent' | 'intervalMs'>): Array<{ offsetMs: number; percent: number }> {
  if (d.type === 'allAtOnce') return [{ offsetMs: 0, percent: 100 }];
  if (d.type === 'canary') return [{ offsetMs: 0, percent: d.percent }, { offsetMs: d.intervalMs, percent: 100 }];
  // TimeBasedLinear: "the percentage of traffic that is shifted at the start of each increment", with an equal
  // number of minutes between increments.
  const steps: Array<{ offsetMs: number; percent: number }> = [];
  for (let k = 1; ; k++) {
    const percent = Math.min(100, k * d.percent);
    steps.push({ offsetMs: (k - 1) * d.intervalMs, percent });
    if (percent >= 100) return steps;
  }
}

/** One CloudWatch statistic over the samples of a period. */
export function statistic(name: string, values: number[]): number {
  if (name === 'SampleCount') return values.length;
  if (name === 'Sum') return values.reduce((a, b) => a + b, 0);
  if (name === 'Average') return values.reduce((a, b) => a + b, 0) / values.length;
  if (name === 'Minimum') return Math.min(...values);
  if (name === 'Maximum') return Math.max(...values);
  // pNN: the nearest-rank percentile.
  const p = Number(name.slice(1));
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function breaches(alarm: AlarmModel, value: number): boolean {
  switch (alarm.comparisonOperator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= alarm.threshold;
    case 'GreaterThanThreshold':
      return value > alarm.threshold;
    case 'LessThanThreshold':
      return value < alarm.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= alarm.threshold;
  }
}

export function createDeploymentsModule(): EngineModule {
  let runs: Run[] = [];
  /** Alias invocations in flight, by request id: their alias and version. */
  let inFlight = new Map<string, { key: string; version: string }>();
  /** Samples of monitored aliases, oldest first, by alias key. */
  let samples = new Map<string, Sample[]>();
  let monitored = new Set<string>();
  let longestWindowMs = new Map<string, number>();

  const viewOf = (ctx: EngineContext, run: Run): DeploymentView => (ctx.state.modules[DEPLOYMENTS] as DeploymentsViewState).deployments[run.view];

  const weightOf = (ctx: EngineContext, run: Run): number => {
    const a = ctx.aliases[run.key];
    if (a.version === run.model.to) return 1;
    return a.additionalVersionWeights[run.model.to] ?? 0;
  };

  const noteWeights = (ctx: EngineContext, run: Run) => {
    const view = viewOf(ctx, run);
    view.weights.push({ t: ctx.now, weight: weightOf(ctx, run) });
    if (view.weights.length > WEIGHTS_SHOWN) view.weights.shift();
  };

  const end = (ctx: EngineContext, run: Run, outcome: 'Succeeded' | 'Stopped' | 'Failed', reason?: string) => {
    run.active = false;
    for (const timer of run.timers) ctx.cancel(timer);
    run.timers = [];
    const a = ctx.aliases[run.key];
    ctx.routeAlias(run.key, a.version, a.additionalVersionWeights, undefined);
    const view = viewOf(ctx, run);
    view.status = outcome;
    view.endedAtMs = ctx.now;
    if (reason) view.reason = reason;
    const event: Extract<TraceEvent, { type: 'deployment.end' }> = { t: ctx.now, type: 'deployment.end', alias: run.key, deployment: run.model.id, outcome };
    if (reason) event.reason = reason;
    ctx.emit(event);
  };

  /** CodeDeploy's automatic rollback: "immediately flip the Alias back to old version". */
  const rollback = (ctx: EngineContext, run: Run, reason: string, alarm?: string) => {
    ctx.routeAlias(run.key, run.from, {}, run.model.id);
    noteWeights(ctx, run);
    viewOf(ctx, run).rolledBackAtMs = ctx.now;
    const event: Extract<TraceEvent, { type: 'deployment.rollback' }> = {
      t: ctx.now,
      type: 'deployment.rollback',
      alias: run.key,
      deployment: run.model.id,
      reason,
      weights: { [run.from]: 1 },
    };
    if (alarm) event.alarm = alarm;
    ctx.emit(event);
    end(ctx, run, alarm ? 'Stopped' : 'Failed', reason);
  };

  const applyStep = (ctx: EngineContext, run: Run, k: number) => {
    const { percent } = run.steps[k];
    run.step = k + 1;
    const to = run.model.to;
    let weights: Record<string, number>;
    if (percent >= 100) {
      ctx.routeAlias(run.key, to, {}, run.model.id);
      weights = { [to]: 1 };
    } else {
      const w = percent / 100;
      ctx.routeAlias(run.key, run.from, { [to]: w }, run.model.id);
      weights = { [run.from]: (100 - percent) / 100, [to]: w };
    }
    const view = viewOf(ctx, run);
    view.step = run.step;
    view.status = 'Shifting';
    noteWeights(ctx, run);
    ctx.emit({ t: ctx.now, type: 'deployment.shift', alias: run.key, deployment: run.model.id, weights });
    if (percent >= 100) {
      if (run.model.hooks.afterAllowTraffic) runHook(ctx, run, 'AfterAllowTraffic');
      else end(ctx, run, 'Succeeded');
    }
  };

  const startShifting = (ctx: EngineContext, run: Run) => {
    run.shiftStartMs = ctx.now;
    applyStep(ctx, run, 0);
    for (let k = 1; k < run.steps.length; k++) {
      run.timers.push(ctx.schedule(run.shiftStartMs + run.steps[k].offsetMs, DEPLOYMENTS, 'shift', { run, k }));
    }
  };

  const runHook = (ctx: EngineContext, run: Run, hook: HookName) => {
    const target = hook === 'BeforeAllowTraffic' ? run.model.hooks.beforeAllowTraffic! : run.model.hooks.afterAllowTraffic!;
    const view = viewOf(ctx, run);
    view.status = hook;
    const executionId = `${run.model.id}-${hook === 'BeforeAllowTraffic' ? 'before' : 'after'}`;
    // CodeDeploy invokes the hook asynchronously with the deployment id and the hook execution id; the hook
    // reports Succeeded or Failed (docs/versions.md: here its outcome is its report).
    const started = ctx.invoke({
      fn: target.fn,
      qualifier: target.qualifier,
      trigger: 'async',
      owner: DEPLOYMENTS,
      ref: { run, hook },
      event: () => ({ DeploymentId: run.model.id, LifecycleEventHookExecutionId: executionId }),
      records: [],
      attempt: 1,
      source: `codedeploy:${run.model.id}`,
      label: `${hook} hook`,
    });
    if (!started.ok) {
      run.timers.push(ctx.schedule(ctx.now + HOOK_RETRY_MS, DEPLOYMENTS, 'hook', { run, hook }));
      return;
    }
    view.hooks[hook] = { fn: target.fn, status: 'InProgress' };
    ctx.emit({ t: ctx.now, type: 'deployment.hook', alias: run.key, deployment: run.model.id, hook, fn: target.fn, status: 'InProgress', requestId: started.requestId });
  };

  const start = (ctx: EngineContext, run: Run) => {
    const alias = ctx.aliases[run.key];
    const view = viewOf(ctx, run);
    run.from = alias.version;
    view.from = alias.version;
    const busy = runs.find((r) => r !== run && r.active && r.key === run.key);
    ctx.emit({ t: ctx.now, type: 'deployment.start', alias: run.key, deployment: run.model.id, from: run.from, to: run.model.to, config: run.model.config });
    view.startedAtMs = ctx.now;
    run.active = true;
    if (busy) {
      end(ctx, run, 'Failed', `deployment ${busy.model.id} of ${run.key} is still in progress`);
      return;
    }
    if (alias.version === run.model.to && Object.keys(alias.additionalVersionWeights).length === 0) {
      end(ctx, run, 'Succeeded', `${run.key} already points at version ${run.model.to}; nothing to shift`);
      return;
    }
    ctx.routeAlias(run.key, alias.version, alias.additionalVersionWeights, run.model.id);
    noteWeights(ctx, run);
    for (const alarm of run.alarms) {
      const p = alarm.model.periodMs;
      run.timers.push(ctx.schedule((Math.floor(ctx.now / p) + 1) * p, DEPLOYMENTS, 'alarm', { run, alarm }));
    }
    if (run.model.hooks.beforeAllowTraffic) runHook(ctx, run, 'BeforeAllowTraffic');
    else startShifting(ctx, run);
  };

  /** CloudWatch's evaluation of one alarm at the close of a period (`ctx.now` is the period boundary). */
  const evaluate = (ctx: EngineContext, run: Run, alarm: AlarmRun) => {
    const m = alarm.model;
    const closeMs = ctx.now;
    const list = samples.get(run.key) ?? [];
    const values: Array<number | null> = [];
    for (let i = m.evaluationPeriods - 1; i >= 0; i--) {
      const from = closeMs - (i + 1) * m.periodMs;
      const to = closeMs - i * m.periodMs;
      const points: number[] = [];
      for (const s of list) {
        if (s.t < from || s.t >= to) continue;
        if (m.executedVersion !== undefined && s.version !== m.executedVersion) continue;
        if (m.metric === 'Throttles') points.push(s.metric === 'throttle' ? 1 : 0);
        else if (s.metric === 'end') points.push(m.metric === 'Errors' ? (s.error ? 1 : 0) : m.metric === 'Duration' ? s.durationMs : 1);
      }
      values.push(points.length > 0 ? statistic(m.statistic, points) : null);
    }
    let breached = 0;
    let present = 0;
    for (const v of values) {
      if (v === null) {
        if (m.treatMissingData === 'breaching') {
          breached++;
          present++;
        } else if (m.treatMissingData === 'notBreaching') present++;
        continue;
      }
      present++;
      if (breaches(m, v)) breached++;
    }
    let state: AlarmState;
    if (present === 0) state = m.treatMissingData === 'ignore' ? alarm.state : 'INSUFFICIENT_DATA';
    else state = breached >= m.datapointsToAlarm ? 'ALARM' : 'OK';
    const value = values[values.length - 1];
    const view = viewOf(ctx, run).alarms.find((a) => a.name === m.name)!;
    view.value = value === null ? null : Math.round(value * 1000) / 1000;
    view.breaching = breached;
    if (state !== alarm.state) {
      const previous = alarm.state;
      alarm.state = state;
      view.state = state;
      ctx.emit({ t: ctx.now, type: 'alarm.state', alias: run.key, deployment: run.model.id, alarm: m.name, state, value: view.value, previous });
    }
    // Drop samples no alarm of this alias can look at again.
    const keep = closeMs - (longestWindowMs.get(run.key) ?? 0);
    let drop = 0;
    while (drop < list.length && list[drop].t < keep) drop++;
    if (drop > 0) list.splice(0, drop);
    if (state === 'ALARM' && run.active) {
      rollback(ctx, run, `alarm ${m.name} is in ALARM`, m.name);
      return;
    }
    if (run.active) run.timers.push(ctx.schedule(closeMs + m.periodMs, DEPLOYMENTS, 'alarm', { run, alarm }));
  };

  return {
    name: DEPLOYMENTS,
    save: () => ({ runs, inFlight, samples, monitored, longestWindowMs }),
    restore(saved) {
      ({ runs, inFlight, samples, monitored, longestWindowMs } = saved as { runs: typeof runs; inFlight: typeof inFlight; samples: typeof samples; monitored: typeof monitored; longestWindowMs: typeof longestWindowMs });
    },
    accepts: [],
    init(ctx) {
      const view: DeploymentsViewState = { deployments: [] };
      ctx.state.modules[DEPLOYMENTS] = view;
      for (const d of ctx.model.deployments) {
        const key = aliasKey(d.fn, d.alias);
        const run: Run = {
          model: d,
          key,
          view: view.deployments.length,
          from: ctx.aliases[key].version,
          active: false,
          shiftStartMs: 0,
          steps: deploymentSteps(d),
          step: 0,
          alarms: d.alarms.map((model) => ({ model, state: 'INSUFFICIENT_DATA' })),
          timers: [],
        };
        runs.push(run);
        monitored.add(key);
        for (const a of d.alarms) longestWindowMs.set(key, Math.max(longestWindowMs.get(key) ?? 0, a.periodMs * a.evaluationPeriods));
        const hooks: DeploymentView['hooks'] = {};
        if (d.hooks.beforeAllowTraffic) hooks.BeforeAllowTraffic = { fn: d.hooks.beforeAllowTraffic.fn, status: 'Pending' };
        if (d.hooks.afterAllowTraffic) hooks.AfterAllowTraffic = { fn: d.hooks.afterAllowTraffic.fn, status: 'Pending' };
        view.deployments.push({
          id: d.id,
          alias: key,
          fn: d.fn,
          from: run.from,
          to: d.to,
          config: d.config,
          status: 'Scheduled',
          step: 0,
          steps: run.steps.length,
          startsAtMs: d.atMs,
          weights: [],
          alarms: d.alarms.map((a) => ({
            name: a.name,
            metric: a.metric,
            statistic: a.statistic,
            threshold: a.threshold,
            comparisonOperator: a.comparisonOperator,
            ...(a.executedVersion ? { executedVersion: a.executedVersion } : {}),
            state: 'INSUFFICIENT_DATA',
            value: null,
            breaching: 0,
            datapointsToAlarm: a.datapointsToAlarm,
            evaluationPeriods: a.evaluationPeriods,
          })),
          hooks,
        });
        ctx.schedule(d.atMs, DEPLOYMENTS, 'start', run);
      }
    },
    // Only deployments' aliases are monitored (init), so a run without deployments observes nothing.
    observes: (model) => model.deployments.length > 0,
    observe(event) {
      if (monitored.size === 0) return;
      if (event.type === 'invoke.start') {
        if (event.alias === undefined) return;
        const key = aliasKey(event.fn, event.alias);
        if (monitored.has(key)) inFlight.set(event.requestId, { key, version: event.version });
      } else if (event.type === 'invoke.end') {
        const at = inFlight.get(event.requestId);
        if (!at) return;
        inFlight.delete(event.requestId);
        let list = samples.get(at.key);
        if (!list) samples.set(at.key, (list = []));
        list.push({ t: event.t, version: at.version, metric: 'end', error: event.outcome === 'error' || event.outcome === 'timeout', durationMs: event.durationMs });
      } else if (event.type === 'throttle') {
        if (event.alias === undefined) return;
        const key = aliasKey(event.fn, event.alias);
        if (!monitored.has(key)) return;
        let list = samples.get(key);
        if (!list) samples.set(key, (list = []));
        list.push({ t: event.t, version: event.version ?? '$LATEST', metric: 'throttle', error: false, durationMs: 0 });
      }
    },
    onTimer(ctx, timer) {
      if (timer.kind === 'start') start(ctx, timer.data as Run);
      else if (timer.kind === 'shift') {
        const { run, k } = timer.data as { run: Run; k: number };
        if (run.active) applyStep(ctx, run, k);
      } else if (timer.kind === 'alarm') {
        const { run, alarm } = timer.data as { run: Run; alarm: AlarmRun };
        evaluate(ctx, run, alarm);
      } else if (timer.kind === 'hook') {
        const { run, hook } = timer.data as { run: Run; hook: HookName };
        if (run.active) runHook(ctx, run, hook);
      }
    },
    onComplete(ctx, ref, result: InvocationResult) {
      const { run, hook } = ref as { run: Run; hook: HookName };
      const reported = (result.response as { status?: unknown } | null | undefined)?.status;
      const ok = result.outcome === 'success' && reported !== 'Failed';
      const view = viewOf(ctx, run);
      const target = hook === 'BeforeAllowTraffic' ? run.model.hooks.beforeAllowTraffic! : run.model.hooks.afterAllowTraffic!;
      view.hooks[hook] = { fn: target.fn, status: ok ? 'Succeeded' : 'Failed' };
      ctx.emit({ t: ctx.now, type: 'deployment.hook', alias: run.key, deployment: run.model.id, hook, fn: target.fn, status: ok ? 'Succeeded' : 'Failed', requestId: result.requestId });
      if (!run.active) return;
      if (!ok) {
        const reason = `${hook} hook ${target.fn} ${result.outcome === 'success' ? 'reported Failed' : `ended with ${result.outcome}`}`;
        if (hook === 'BeforeAllowTraffic') end(ctx, run, 'Failed', reason);
        else rollback(ctx, run, reason);
        return;
      }
      if (hook === 'BeforeAllowTraffic') startShifting(ctx, run);
      else end(ctx, run, 'Succeeded');
    },
    inspect(ctx, key) {
      // GetAlias: the alias configuration as AWS returns it.
      const a = ctx.state.aliases[key];
      if (!a) return undefined;
      const weights = a.additionalVersionWeights;
      return {
        AliasArn: functionArn({ region: ctx.model.region, accountId: ctx.model.accountId }, a.fn, a.alias),
        Name: a.alias,
        FunctionVersion: a.version,
        Description: '',
        ...(Object.keys(weights).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: { ...weights } } } : {}),
      };
    },
  };
}
