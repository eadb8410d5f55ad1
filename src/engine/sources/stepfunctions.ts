/**
 * Step Functions state machines of Lambda tasks (docs/callers.md, "Step Functions"). A traffic record put
 * to a state machine starts an execution with body(i) as its input. A Task state invokes its function
 * synchronously with the state's input; Pass, Wait, Succeed and Fail states do what the Amazon States
 * Language says. A failed task is retried by the first Retrier whose ErrorEquals names its error
 * (IntervalSeconds, MaxAttempts, BackoffRate, MaxDelaySeconds, JitterStrategy; FULL jitter is drawn from the
 * scenario's seeded rng), then caught by the first matching Catcher, else the execution fails.
 *
 * Error names a Lambda task can fail with: the function's own `errorType` (`Error`, `TypeError`, a custom
 * class name), `Sandbox.Timedout` for a function timeout, `Lambda.TooManyRequestsException` for a
 * throttle, `Lambda.ServiceException` when Lambda itself fails the request (a `serviceError` fault), and
 * `States.Timeout` when the state's TimeoutSeconds passes first. `States.TaskFailed` matches
 * every task failure but States.Timeout; `States.ALL` matches every error.
 */
import type { StateMachineModel, StateModel, RetrierModel } from '../../scenario/model.js';
import { SERVICE_EXCEPTION_CAUSE } from '../aws/invoke.js';
import { type EngineContext, type EngineModule, type IncomingRecord, type InvocationResult, timersOf, viewOf as viewOfModule } from '../module.js';
import { findRecent, type Kept, keepRecent } from '../recent.js';

export const STEP_FUNCTIONS = 'stepfunctions';

/** What the dashboard shows per state machine (the snapshot's `modules.stepfunctions`). */
export interface StateMachineView {
  name: string;
  started: number;
  running: number;
  succeeded: number;
  failed: number;
  retries: number;
  catches: number;
  /** Per state, in definition order: how many executions are in it now, and how many entered it. */
  states: Array<{ name: string; type: string; now: number; entered: number }>;
  /** The newest failure or catch: `Charge: CardDeclined` (state and error). */
  lastError?: string;
}

export interface StepFunctionsViewState {
  machines: Record<string, StateMachineView>;
}

interface Execution {
  id: number;
  machine: StateMachineModel;
  /** The execution name AWS shows (a UUID here, from the run's ids). */
  name: string;
  state: string;
  input: unknown;
  /** Attempts made per retrier of the current state (reset when the state changes). */
  retries: number[];
  /** The current task's invocation, so a late answer after States.Timeout is ignored. */
  requestId?: string;
  /** Bumped per task attempt, so a timeout timer of an earlier attempt does nothing. */
  attempt: number;
  done: boolean;
  source: string;
  /** Whether it has entered a state yet (the first state's counter is not decremented). */
  entered: boolean;
}

/** Whether a retrier's or catcher's ErrorEquals names `error` (docs/callers.md, "Step Functions"). */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === 'States.ALL' || name === error) return true;
    if (name === 'States.TaskFailed' && error !== 'States.Timeout') return true;
  }
  return false;
}

/**
 * The wait before retry number `attempt` (1-based) of a retrier: IntervalSeconds x BackoffRate^(attempt-1),
 * at most MaxDelaySeconds; FULL jitter picks uniformly between 0 and that (Step Functions developer guide,
 * "Handling errors", retrier fields).
 */
export function retryDelayMs(r: RetrierModel, attempt: number, random: () => number): number {
  let seconds = r.intervalSeconds * Math.pow(r.backoffRate, attempt - 1);
  if (r.maxDelaySeconds !== undefined) seconds = Math.min(seconds, r.maxDelaySeconds);
  if (r.jitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

/** ResultPath: '$' replaces the input, null keeps the input, '$.a.b' sets that field of a copy of it. */
export function applyResultPath(input: unknown, result: unknown, path: string | null): unknown {
  if (path === null) return input;
  if (path === '$') return result;
  const keys = path.slice(2).split('.');
  const root: Record<string, unknown> = typeof input === 'object' && input !== null && !Array.isArray(input) ? structuredClone(input as Record<string, unknown>) : {};
  let at = root;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    at = at[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
  }
  at[keys[keys.length - 1]] = result;
  return root;
}

/** A Task state's attempt: the execution and which attempt of the state it is. */
interface TaskAttempt {
  ex: Execution;
  attempt: number;
}

/** The Step Functions module's timers: a Wait state ending, a Retry's backoff ending, a Task's TimeoutSeconds passing. */
interface StepFunctionsTimers {
  wait: Execution;
  retry: Execution;
  'state-timeout': TaskAttempt;
}

/** What a checkpoint of the Step Functions module carries. */
interface StepFunctionsSaved {
  ready: Execution[];
  recent: Array<Kept<unknown>>;
}

const schedule = timersOf<StepFunctionsTimers>(STEP_FUNCTIONS);
const moduleView = viewOfModule<StepFunctionsViewState>(STEP_FUNCTIONS);

export function createStepFunctionsModule(): EngineModule<StepFunctionsTimers, TaskAttempt, StepFunctionsViewState, StepFunctionsSaved> {
  let ready: Execution[] = [];
  const viewOf = (ctx: EngineContext, ex: Execution) => moduleView(ctx).machines[ex.machine.name];
  const stateView = (ctx: EngineContext, ex: Execution, name: string) => viewOf(ctx, ex).states.find((s) => s.name === name);

  const end = (ctx: EngineContext, ex: Execution, status: 'SUCCEEDED' | 'FAILED', detail: { output?: unknown; error?: string; cause?: string }) => {
    ex.done = true;
    const view = viewOf(ctx, ex);
    view.running--;
    if (status === 'SUCCEEDED') view.succeeded++;
    else {
      view.failed++;
      view.lastError = `${ex.state}: ${detail.error ?? 'Failed'}`;
    }
    const here = stateView(ctx, ex, ex.state);
    if (here) here.now--;
    ctx.emit({ t: ctx.now, type: 'sfn.execution.end', machine: ex.machine.name, execution: ex.name, status, ...detail });
    ctx.settle(ex.id, status === 'SUCCEEDED' ? 'succeeded' : 'failed', status === 'SUCCEEDED' ? undefined : `States:${detail.error ?? 'Failed'}`);
  };

  /** Enters `name` with `input`: runs Pass/Succeed/Fail at once, schedules a Wait, readies a Task. */
  const enter = (ctx: EngineContext, ex: Execution, name: string, input: unknown) => {
    for (let guard = 0; guard < 1000; guard++) {
      const state: StateModel = ex.machine.states[name];
      const before = stateView(ctx, ex, ex.state);
      if (before && ex.entered) before.now--;
      const after = stateView(ctx, ex, name);
      if (after) {
        after.now++;
        after.entered++;
      }
      ex.entered = true;
      ex.state = name;
      ex.input = input;
      ex.retries = [];
      ctx.emit({ t: ctx.now, type: 'sfn.state.enter', machine: ex.machine.name, execution: ex.name, state: name, stateType: state.type });
      switch (state.type) {
        case 'Succeed':
          end(ctx, ex, 'SUCCEEDED', { output: input });
          return;
        case 'Fail':
          end(ctx, ex, 'FAILED', { error: state.error ?? 'States.Fail', ...(state.cause !== undefined ? { cause: state.cause } : {}) });
          return;
        case 'Pass': {
          const out = state.result !== undefined ? applyResultPath(input, state.result, state.resultPath) : input;
          if (!state.next) return end(ctx, ex, 'SUCCEEDED', { output: out });
          name = state.next;
          input = out;
          continue;
        }
        case 'Wait':
          schedule(ctx, ctx.now + state.seconds * 1000, 'wait', ex);
          return;
        case 'Task':
          ready.push(ex);
          ctx.wake(STEP_FUNCTIONS);
          return;
      }
    }
    end(ctx, ex, 'FAILED', { error: 'States.Runtime', cause: 'more than 1000 Pass states in a row' });
  };

  /** After a Task or Wait state: the next state, or the end of the execution. */
  const advance = (ctx: EngineContext, ex: Execution, output: unknown) => {
    const state = ex.machine.states[ex.state];
    if (state.type === 'Task' || state.type === 'Wait') {
      if (state.next) enter(ctx, ex, state.next, output);
      else end(ctx, ex, 'SUCCEEDED', { output });
    }
  };

  /** A task failed with `error`: retried by the first matching retrier, else caught, else the execution fails. */
  const failTask = (ctx: EngineContext, ex: Execution, error: string, cause: string) => {
    const state = ex.machine.states[ex.state];
    if (state.type !== 'Task') return;
    ex.requestId = undefined;
    const index = state.retry.findIndex((r) => errorMatches(r.errorEquals, error));
    if (index >= 0) {
      const r = state.retry[index];
      const made = ex.retries[index] ?? 0;
      if (made < r.maxAttempts) {
        ex.retries[index] = made + 1;
        viewOf(ctx, ex).retries++;
        const delayMs = retryDelayMs(r, made + 1, () => ctx.rng.next());
        ctx.emit({ t: ctx.now, type: 'sfn.task.retry', machine: ex.machine.name, execution: ex.name, state: ex.state, error, attempt: made + 2, delayMs, at: ctx.now + delayMs });
        schedule(ctx, ctx.now + delayMs, 'retry', ex);
        return;
      }
    }
    const catcher = state.catch.find((c) => errorMatches(c.errorEquals, error));
    if (catcher) {
      const view = viewOf(ctx, ex);
      view.catches++;
      view.lastError = `${ex.state}: ${error}`;
      ctx.emit({ t: ctx.now, type: 'sfn.task.catch', machine: ex.machine.name, execution: ex.name, state: ex.state, error, next: catcher.next });
      enter(ctx, ex, catcher.next, applyResultPath(ex.input, { Error: error, Cause: cause }, catcher.resultPath));
      return;
    }
    end(ctx, ex, 'FAILED', { error, cause });
  };

  /** The last tasks' inputs by request id while a dashboard reads the views (recent.ts). */
  let recent: Array<Kept<unknown>> = [];

  return {
    name: STEP_FUNCTIONS,
    save: () => ({ ready, recent }),
    restore(saved) {
      ({ ready, recent } = saved);
    },
    inspect(_ictx, key) {
      // A kept invocation (a dashboard is reading, recent.ts): the task's input, the event its handler received.
      return findRecent(recent, key);
    },
    accepts: ['stateMachine'],
    init(ctx) {
      // Scenarios without state machines keep the snapshot they had: no view at all.
      if (Object.keys(ctx.model.stateMachines ?? {}).length === 0) return;
      const view: StepFunctionsViewState = { machines: {} };
      for (const m of Object.values(ctx.model.stateMachines ?? {})) {
        view.machines[m.name] = {
          name: m.name,
          started: 0,
          running: 0,
          succeeded: 0,
          failed: 0,
          retries: 0,
          catches: 0,
          states: Object.entries(m.states).map(([name, st]) => ({ name, type: st.type, now: 0, entered: 0 })),
        };
      }
      return view;
    },
    put(ctx, name, record: IncomingRecord) {
      const machine = ctx.model.stateMachines[name];
      const source = name;
      const execution = ctx.ids.requestId();
      const id = ctx.admit(source, record, execution);
      ctx.emit({ t: ctx.now, type: 'record.put', source, id: execution });
      const ex: Execution = { id, machine, name: execution, state: machine.startAt, input: record.body, retries: [], attempt: 0, done: false, source, entered: false };
      const view = viewOf(ctx, ex);
      view.started++;
      view.running++;
      ctx.settle(id, 'inFlight');
      ctx.emit({ t: ctx.now, type: 'sfn.execution.start', machine: name, execution, input: record.body });
      enter(ctx, ex, machine.startAt, record.body);
    },
    onTimer(ctx, timer) {
      if (timer.kind === 'state-timeout') {
        // TimeoutSeconds passed before the function answered: States.Timeout (the function runs on).
        const { ex, attempt } = timer.data;
        if (ex.done || ex.attempt !== attempt || ex.requestId === undefined) return;
        failTask(ctx, ex, 'States.Timeout', `The state ${ex.state} timed out`);
        return;
      }
      const ex = timer.data;
      if (ex.done) return;
      if (timer.kind === 'wait') advance(ctx, ex, ex.input);
      else if (timer.kind === 'retry') {
        ready.push(ex);
        ctx.wake(STEP_FUNCTIONS);
      }
    },
    dispatch(ctx) {
      const batch = ready;
      ready = [];
      for (const ex of batch) {
        if (ex.done) continue;
        const state = ex.machine.states[ex.state];
        if (state.type !== 'Task') continue;
        ex.attempt++;
        const input = ex.input;
        const attempt = ctx.invoke({
          fn: state.fn,
          qualifier: state.qualifier,
          trigger: 'sync',
          owner: STEP_FUNCTIONS,
          ref: { ex, attempt: ex.attempt },
          event: () => input,
          records: [ex.id],
          attempt: ex.attempt,
          via: 'stepfunctions',
          source: ex.source,
          label: `${ex.machine.name}.${ex.state}`,
        });
        if (!attempt.ok) {
          if (attempt.reason === 'ServiceException') failTask(ctx, ex, 'Lambda.ServiceException', SERVICE_EXCEPTION_CAUSE);
          else failTask(ctx, ex, 'Lambda.TooManyRequestsException', `Rate Exceeded. (Service: Lambda, Status Code: 429, Reason: ${attempt.reason})`);
          continue;
        }
        ex.requestId = attempt.requestId;
        if (ctx.views) keepRecent(recent, attempt.requestId, input);
        if (state.timeoutSeconds !== undefined) {
          schedule(ctx, ctx.now + state.timeoutSeconds * 1000, 'state-timeout', { ex, attempt: ex.attempt });
        }
      }
      return false;
    },
    onComplete(ctx, ref, result: InvocationResult) {
      const { ex, attempt } = ref;
      if (ex.done || ex.attempt !== attempt || ex.requestId !== result.requestId) return;
      ex.requestId = undefined;
      if (result.outcome === 'success' || result.outcome === 'partial') {
        const state = ex.machine.states[ex.state];
        advance(ctx, ex, state.type === 'Task' ? applyResultPath(ex.input, result.response ?? null, state.resultPath) : result.response);
        return;
      }
      const error = result.error?.errorType ?? (result.outcome === 'timeout' ? 'Sandbox.Timedout' : 'Lambda.Unknown');
      failTask(ctx, ex, error, JSON.stringify(result.error ?? {}));
    },
  };
}
