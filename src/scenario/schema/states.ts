/**
 * Step Functions state machines (docs/callers.md, "Step Functions"): an Amazon States Language definition
 * whose Task states name functions of the scenario. The fields keep the States Language's own names
 * (StartAt, States, Type, Next, Retry, ...); each state is checked by the schema of its Type, and a
 * state's Next, a catcher's Next and the definition's StartAt name states of the same machine.
 */
import * as v from 'valibot';
import type { CatcherModel, RetrierModel, StateModel } from '../model.js';
import type { CatcherSpec, RetrierSpec, StateMachineSpec, StateSpec } from '../types.js';
import { LIMITS } from './limits.js';
import { isObject, nameList, notPlain } from './messages.js';
import {
  custom,
  elsewhere,
  issue,
  later,
  number,
  oneOf,
  optionalNumber,
  optionalText,
  primitive,
  type Read,
  readOneOf,
  ref,
  type Registry,
  report,
  runIn,
  runInside,
  type Schema,
  spec,
} from './primitives.js';
import { allErrorsLast, resultPathProblem } from './rules.js';

export const STATE_TYPES = ['Task', 'Pass', 'Wait', 'Succeed', 'Fail'] as const;
type StateType = (typeof STATE_TYPES)[number];

function readState(names: readonly string[], value: unknown): Read<string> {
  return typeof value === 'string' && names.includes(value) ? { ok: true, value } : { ok: false, message: `names no state of this machine; states: ${nameList(names)}` };
}

/** A state of this machine by name (StartAt, Next, a catcher's Next). */
function stateRef(names: readonly string[]) {
  return primitive<string, string>('a state name', (value) => readState(names, value));
}

/**
 * A reference path: '$' (the default: the result replaces the input), '$.field' or '$.a.b', or null (the
 * result is dropped). A wrong one reads as '$' while the rest is checked.
 */
export function readResultPath(value: unknown): { ok: true; value: string | null } | { ok: false; message: string } {
  if (value === null) return { ok: true, value: null };
  const problem = resultPathProblem(value);
  return problem ? { ok: false, message: problem } : { ok: true, value: value as string };
}
const resultPath = v.optional(primitive<string | null, string | null>("'$', '$.field' or null", readResultPath, '$'), '$');

/** ErrorEquals: a non-empty list of error names, States.ALL alone. A wrong list reads as empty. */
const errorEquals = custom<string[], string[]>('a list of error names', (dataset) => {
  const input = dataset.value;
  const list = Array.isArray(input) ? input : undefined;
  if (!list || list.length === 0 || !list.every((e) => typeof e === 'string' && e !== '')) {
    report(dataset, issue("is not a non-empty list of error names, e.g. ['Lambda.TooManyRequestsException', 'States.Timeout']", input));
    dataset.value = [];
    return;
  }
  if (list.includes('States.ALL') && list.length > 1) report(dataset, issue('puts States.ALL with other names; States.ALL must appear alone', input));
  dataset.value = list;
});

/** One Retrier; `last` says whether it is the Task's last one (where States.ALL must be). */
function retrierSchema(last: boolean) {
  return spec(
    {
      ErrorEquals: errorEquals,
      IntervalSeconds: number(LIMITS.retryIntervalSeconds),
      MaxAttempts: number(LIMITS.retryMaxAttempts),
      BackoffRate: number(LIMITS.retryBackoffRate),
      MaxDelaySeconds: optionalNumber(LIMITS.retryMaxDelaySeconds),
      JitterStrategy: oneOf(['FULL', 'NONE'] as const, 'NONE'),
    },
    {
      what: 'retrier',
      expected: '{ ErrorEquals, IntervalSeconds?, MaxAttempts?, BackoffRate?, MaxDelaySeconds?, JitterStrategy? }',
      then: { ErrorEquals: allErrorsLast(last, 'retrier') },
    },
  );
}

function catcherSchema(last: boolean, names: readonly string[]) {
  return spec(
    {
      ErrorEquals: errorEquals,
      // Required: a catcher without Next names no state.
      Next: stateRef(names),
      ResultPath: resultPath,
    },
    { what: 'catcher', expected: '{ ErrorEquals, Next, ResultPath? }', then: { ErrorEquals: allErrorsLast(last, 'catcher') } },
  );
}

/** A Task's Retry or Catch: a list, each element told whether it is the last. */
function handlers<TIn, TOut>(what: string, element: (last: boolean) => Schema<TIn, TOut>) {
  return v.optional(
    custom<TIn[], TOut[]>(what, (dataset, config) => {
      const input = dataset.value;
      dataset.value = [];
      if (input === undefined) return;
      if (!Array.isArray(input)) return report(dataset, issue(`is not an array; expected ${what}`, input));
      const out: TOut[] = [];
      input.forEach((raw: unknown, i) => {
        const found = runInside(element(i === input.length - 1), raw, config, { type: 'array', key: i }, dataset) as TOut | undefined;
        if (found !== undefined) out.push(found);
      });
      dataset.value = out;
    }),
  );
}

/**
 * Task, Pass and Wait states go on with Next, or end with End: true (exactly one of the two). Both fields
 * are read with the other as given: Next is checked when End is not given, End refused when both are.
 */
function nextField(names: readonly string[], given: Record<string, unknown>) {
  const both = given.Next !== undefined && given.End !== undefined;
  return {
    Next: primitive<string, string | undefined>('a state name', (value) => {
      if (both) return { ok: true, value: undefined };
      if (value !== undefined) return readState(names, value);
      return given.End === true ? { ok: true, value: undefined } : { ok: false, message: 'is missing; a Task, Pass or Wait state needs Next (a state name) or End: true' };
    }),
    End: v.optional(primitive<boolean, undefined>('true', () => (both ? { ok: false, message: 'is given with Next; a state has either Next or End: true' } : { ok: true, value: undefined }))),
  };
}

/**
 * One state, by its Type (read first: the valid keys depend on it). A state that is not an object, or
 * whose Type is not one of the five, is left out.
 */
function stateSchema(reg: Registry, names: readonly string[]) {
  return custom<StateSpec, StateModel | undefined>('a state', (dataset, config) => {
    const input = dataset.value;
    dataset.value = undefined;
    if (!isObject(input)) return report(dataset, issue(`${notPlain(input)}; expected a state { Type: 'Task' | 'Pass' | 'Wait' | 'Succeed' | 'Fail', ... }`, input));
    const type = readOneOf(input.Type, STATE_TYPES);
    if (!type.ok) return report(dataset, issue(type.message, input.Type, [{ type: 'object', key: 'Type' }]));
    dataset.value = runIn(typedState(reg, names, type.value, input), input, config, dataset);
  });
}

/** What a state of this Type may hold, in the order the unknown-key message lists it. */
function typedState(reg: Registry, names: readonly string[], type: StateType, given: Record<string, unknown>): Schema<unknown, StateModel> {
  const Type = primitive<StateType, StateType>(type, () => ({ ok: true, value: type }));
  const Comment = later<string>();
  // A state without a ResultPath field still has its ResultPath checked (its key is refused too).
  const strayResultPath = () => {
    const problem = given.ResultPath === undefined || given.ResultPath === null ? undefined : resultPathProblem(given.ResultPath);
    return problem ? [{ message: problem, input: given.ResultPath, path: [{ type: 'object' as const, key: 'ResultPath' }] }] : [];
  };
  const what = `${type} state`;
  const expected = "a state { Type: 'Task' | 'Pass' | 'Wait' | 'Succeed' | 'Fail', ... }";
  if (type === 'Task') {
    const { Next, End } = nextField(names, given);
    const task = spec(
      {
        Type,
        Resource: ref(reg, ['function']),
        Next,
        End,
        TimeoutSeconds: optionalNumber(LIMITS.taskTimeoutSeconds),
        Retry: handlers('a list of retriers { ErrorEquals, IntervalSeconds?, MaxAttempts?, BackoffRate? }', retrierSchema),
        Catch: handlers('a list of catchers { ErrorEquals, Next, ResultPath? }', (last) => catcherSchema(last, names)),
        ResultPath: resultPath,
        Comment,
      },
      { what, expected, order: ['Type', 'Next', 'End', 'ResultPath', 'Resource', 'TimeoutSeconds', 'Retry', 'Catch', 'Comment'] },
    );
    return model(task, (s): StateModel => ({
      type,
      fn: s.Resource?.fn ?? s.Resource?.name ?? '',
      ...(s.Resource?.qualifier ? { qualifier: s.Resource.qualifier } : {}),
      ...(s.Next ? { next: s.Next } : {}),
      ...(s.TimeoutSeconds !== undefined ? { timeoutSeconds: s.TimeoutSeconds } : {}),
      retry: (s.Retry ?? []).map(
        (r): RetrierModel => ({
          errorEquals: r.ErrorEquals ?? [],
          intervalSeconds: r.IntervalSeconds,
          maxAttempts: r.MaxAttempts,
          backoffRate: r.BackoffRate,
          ...(r.MaxDelaySeconds !== undefined ? { maxDelaySeconds: r.MaxDelaySeconds } : {}),
          jitterStrategy: r.JitterStrategy,
        }),
      ),
      catch: (s.Catch ?? []).map((k) => ({ errorEquals: k.ErrorEquals ?? [], next: k.Next ?? '', resultPath: k.ResultPath === undefined ? '$' : k.ResultPath }) as CatcherModel),
      resultPath: s.ResultPath === undefined ? '$' : s.ResultPath,
    }));
  }
  if (type === 'Pass') {
    const { Next, End } = nextField(names, given);
    const pass = spec({ Type, Next, End, Result: later<unknown>(), ResultPath: resultPath, Comment }, { what, expected, order: ['Type', 'Next', 'End', 'ResultPath', 'Result', 'Comment'] });
    return model(pass, (s): StateModel => ({
      type,
      ...(s.Next ? { next: s.Next } : {}),
      ...(s.Result !== undefined ? { result: s.Result } : {}),
      resultPath: s.ResultPath === undefined ? '$' : s.ResultPath,
    }));
  }
  if (type === 'Wait') {
    const { Next, End } = nextField(names, given);
    const wait = spec({ Type, Seconds: number(LIMITS.waitSeconds), Next, End, Comment }, { what, expected, order: ['Type', 'Next', 'End', 'Seconds', 'Comment'], then: { End: strayResultPath } });
    return model(wait, (s): StateModel => ({ type, seconds: s.Seconds ?? 0, ...(s.Next ? { next: s.Next } : {}) }));
  }
  if (type === 'Fail') {
    const fail = spec({ Type, Error: optionalText('an error name'), Cause: optionalText('a cause'), Comment }, { what, expected, then: { Type: strayResultPath } });
    return model(fail, (s): StateModel => ({ type, ...(s.Error ? { error: s.Error } : {}), ...(s.Cause ? { cause: s.Cause } : {}) }));
  }
  const succeed = spec({ Type, Comment }, { what, expected, then: { Type: strayResultPath } });
  return model(succeed, (): StateModel => ({ type }));
}

/** A state's output as the Model holds it (field names of model.ts, defaults filled in). */
function model<S>(inner: v.GenericSchema<unknown, S>, build: (s: S) => StateModel): Schema<unknown, StateModel> {
  return custom<unknown, StateModel>('a state', (dataset, config) => {
    const out = runIn(inner, dataset.value, config, dataset) as S | undefined;
    dataset.value = out === undefined ? undefined : build(out);
  });
}

/** The states of a definition, each by its schema; the ones left out (not an object, no Type) are absent. */
function statesSchema(reg: Registry, names: readonly string[]) {
  return custom<Record<string, StateSpec>, Record<string, StateModel>>('states', (dataset, config) => {
    const input = dataset.value as Record<string, unknown>;
    const states: Record<string, StateModel> = {};
    for (const name of names) {
      const state = runInside(stateSchema(reg, names), input[name], config, { type: 'object', key: name }, dataset) as StateModel | undefined;
      if (state) states[name] = state;
    }
    dataset.value = states;
  });
}

/** States: a map of at least one state. Only whether it is one is read here; the states come after StartAt. */
const statesMap = custom<Record<string, StateSpec>, string[]>('a map of states', (dataset) => {
  const input = dataset.value;
  dataset.value = undefined;
  if (!isObject(input)) return report(dataset, issue(`${notPlain(input)}; expected a map of state name to state { Type, ... }`, input));
  const names = Object.keys(input);
  if (names.length === 0) return report(dataset, issue('has no states; a state machine needs at least one', input));
  dataset.value = names;
});

/** A definition: its keys, its States map, StartAt, then each state; undefined when it has no states to run. */
function definitionSchema(reg: Registry) {
  return custom<StateMachineSpec['definition'], { startAt?: string; states: Record<string, StateModel> } | undefined>('a definition', (dataset, config) => {
    const input = dataset.value;
    const names = isObject(input) && isObject(input.States) ? Object.keys(input.States) : [];
    const head = spec(
      {
        // StartAt is checked only against a map that holds states.
        StartAt: (names.length ? stateRef(names) : elsewhere<string>()) as Schema<string, string>,
        States: statesMap as unknown as Schema<Record<string, StateSpec>, string[]>,
        Comment: later<string>(),
      },
      { what: 'definition', expected: '{ StartAt, States } (an Amazon States Language definition)', order: ['States', 'StartAt', 'Comment'] },
    );
    const out = runIn(head, input, config, dataset) as { StartAt?: string; States?: string[] } | undefined;
    dataset.value = undefined;
    if (!out?.States || !isObject(input)) return;
    const states = runInside(statesSchema(reg, out.States), input.States, config, { type: 'object', key: 'States' }, dataset) as Record<string, StateModel>;
    dataset.value = { ...(out.StartAt !== undefined ? { startAt: out.StartAt } : {}), states };
  });
}

/** One state machine: `{ definition }`. Its output has a startAt only when StartAt names a state. */
export function stateMachineSchema(reg: Registry) {
  return spec(
    { definition: definitionSchema(reg) as unknown as Schema<StateMachineSpec['definition'], { startAt?: string; states: Record<string, StateModel> } | undefined> },
    { what: 'state machine', expected: '{ definition: { StartAt, States } }' },
  );
}

export type StateMachineInput = v.InferInput<ReturnType<typeof stateMachineSchema>>;
export type RetrierInput = v.InferInput<ReturnType<typeof retrierSchema>>;
export type CatcherInput = v.InferInput<ReturnType<typeof catcherSchema>>;
export type { CatcherSpec, RetrierSpec };
