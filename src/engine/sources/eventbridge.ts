/**
 * EventBridge buses and rules (docs/aws-rules.md §6).
 *
 * - Events put to a bus are matched against every rule's `eventPattern` with `matchesPattern` (all
 *   operators, `$or` included) and delivered to every target of every matching rule, rules in declaration
 *   order: a function gets the EventBridge event through its async queue (rule targets invoke Lambda
 *   asynchronously, docs/aws-rules.md §6), a queue gets the event as its message body (JSON), a topic as its
 *   Message, another bus the event itself (which that bus's rules then match).
 * - What traffic puts: when body(i) is an object with string `source` and `detail-type` it is a full
 *   PutEvents entry (`{ source, 'detail-type', detail, resources?, time?, id? }`); anything else is the
 *   `detail` of an event with `source: 'lambda-tui.traffic'` and `detail-type: 'Traffic Event'`. A
 *   destination's event (Lambda's invocation result, source `lambda`) is such a full entry and keeps its id.
 * - Schedules (`rate()` / `cron()`, default bus only) fire by timers from the simulation's start: a rate
 *   rule one period after start and every period after, a cron rule at each matching UTC minute. Each firing
 *   sends the scheduled-event envelope (`detail-type 'Scheduled Event'`, `source 'aws.events'`, `resources
 *   [ruleArn]`, `detail {}`) to that rule's targets only.
 * - Rule retry policy and rule DLQ: EventBridge retries a target, then drops the event or sends it to the
 *   rule's DLQ, only when it cannot deliver it: "if the target resource is unavailable" or "due to network
 *   conditions" (EventBridge user guide, eb-rule-retry-policy); for a Lambda target that means the Invoke
 *   call failed ("a Lambda function that doesn't exist, or ... insufficient permissions"); Lambda throttling
 *   and function errors are handled by the function's own async configuration, not the rule's DLQ (AWS SAM
 *   EventBridgeRule.DeadLetterConfig). Lambda accepts every async invoke into its queue, even at reserved
 *   concurrency 0, and every target in a validated scenario exists, so in this simulator delivery to a
 *   target never fails: a rule's `retryAttempts`, `maxEventAge` and `deadLetterQueue` are validated and
 *   shown, but nothing reaches them.
 * - Bus-to-bus: an event that already came from another bus is not forwarded to a third bus (a guard
 *   against rule cycles; AWS documents cross-bus routing as a single hop for cross-account/Region targets).
 *
 * Ledger: the bus is the source; an event is succeeded when at least one rule matched (and it was
 * delivered to the targets), filtered when none did (traced as record.filtered). Scheduled events are
 * records of the default bus. Each target's copy is a new record in the target's own ledger.
 */
import { eventBridgeEvent, scheduledEvent } from '../aws/index.js';
import type { EventBridgeEvent } from 'aws-lambda';
import type { RuleModel } from '../../scenario/model.js';
import { type EngineContext, type EngineModule, type IncomingRecord, timersOf, viewOf as viewOfModule } from '../module.js';
import { matchesPattern } from '../../lang/patterns.js';
import { nextFireAfter, parseSchedule, type Schedule } from '../../lang/schedule.js';
import { accountOf } from './async.js';
import { kindOf } from '../lambda/versions.js';

export const EVENTBRIDGE = 'eventbridge';
export const TRAFFIC_SOURCE = 'lambda-tui.traffic';
export const TRAFFIC_DETAIL_TYPE = 'Traffic Event';

/** One rule's counters. */
export interface EventBridgeRuleView {
  name: string;
  /** The rule's pattern (JSON) or schedule expression, for display. */
  kind: 'pattern' | 'schedule';
  expression: string;
  targets: string[];
  /** Events matched (pattern) or firings (schedule). */
  matched: number;
  /** Copies delivered to targets. */
  deliveries: number;
  /** Schedules: the simulated ms of the next firing, or null when none is due. */
  nextFireAtMs: number | null;
}

/** One bus's counters. */
export interface EventBridgeBusView {
  bus: string;
  /** Events put (traffic, destinations, other buses, schedules). */
  events: number;
  /** Events no rule matched. */
  unmatched: number;
  rules: EventBridgeRuleView[];
}

/** The EventBridge module's view state, `state.modules.eventbridge`: one row per bus ('default' always). */
export interface EventBridgeViewState {
  buses: Record<string, EventBridgeBusView>;
}

interface ScheduleTimer {
  bus: string;
  rule: number;
  schedule: Schedule;
}

type BusEvent = EventBridgeEvent<string, unknown>;

/** The EventBridge module's timers: a scheduled rule's next firing. */
interface EventBridgeTimers {
  schedule: ScheduleTimer;
}

const schedule = timersOf<EventBridgeTimers>(EVENTBRIDGE);
const viewOf = viewOfModule<EventBridgeViewState>(EVENTBRIDGE);

export function createEventBridgeModule(): EngineModule<EventBridgeTimers, unknown, EventBridgeViewState, undefined> {
  const deliver = (ctx: EngineContext, bus: string, rule: RuleModel, view: EventBridgeRuleView, event: BusEvent, origin: IncomingRecord, hops: number) => {
    const base = { trafficIndex: origin.trafficIndex, i: origin.i };
    for (const target of rule.targets) {
      const kind = kindOf(ctx.model, target);
      const attributes = { producer: 'eventbridge', bus, rule: rule.name };
      if (kind === 'function') ctx.put(target, { ...base, body: event, attributes });
      else if (kind === 'bus') {
        if (hops >= 1) continue;
        ctx.put(target, { ...base, body: event, attributes: { ...attributes, hops: hops + 1 } });
      } else ctx.put(target, { ...base, body: JSON.stringify(event), attributes });
      view.deliveries++;
    }
  };


  return {
    name: EVENTBRIDGE,
    // Stateless: everything it knows is in the model and the snapshot.
    save: () => undefined,
    restore() {},
    accepts: ['bus'],
    init(ctx) {
      const view: EventBridgeViewState = { buses: {} };
      const epoch0 = ctx.epochMs(0);
      for (const bus of Object.values(ctx.model.buses)) {
        view.buses[bus.name] = {
          bus: bus.name,
          events: 0,
          unmatched: 0,
          rules: bus.rules.map((r) => ({
            name: r.name,
            kind: r.schedule ? 'schedule' : 'pattern',
            expression: r.schedule ?? JSON.stringify(r.eventPattern ?? {}),
            targets: [...r.targets],
            matched: 0,
            deliveries: 0,
            nextFireAtMs: null,
          })),
        };
        bus.rules.forEach((rule, index) => {
          if (!rule.schedule) return;
          const parsed = parseSchedule(rule.schedule);
          if ('error' in parsed) return; // validation refuses bad expressions before a run
          const next = nextFireAfter(parsed, epoch0, epoch0);
          if (next === undefined) return;
          const at = next - epoch0;
          view.buses[bus.name].rules[index].nextFireAtMs = at;
          schedule(ctx, at, 'schedule', { bus: bus.name, rule: index, schedule: parsed });
        });
      }
      return view;
    },
    put(ctx, bus, incoming: IncomingRecord) {
      const body = incoming.body as Record<string, unknown> | null;
      const isEntry = typeof body === 'object' && body !== null && typeof body.source === 'string' && typeof body['detail-type'] === 'string';
      const atMs = incoming.attributes?.atMs ?? ctx.now;
      const event: BusEvent = isEntry
        ? eventBridgeEvent({
            account: accountOf(ctx),
            id: typeof body.id === 'string' ? body.id : ctx.ids.requestId(),
            detailType: body['detail-type'] as string,
            source: body.source as string,
            epochMs: typeof body.time === 'string' && !Number.isNaN(Date.parse(body.time)) ? Date.parse(body.time) : ctx.epochMs(atMs),
            resources: Array.isArray(body.resources) ? (body.resources as string[]) : [],
            detail: body.detail ?? {},
          })
        : eventBridgeEvent({ account: accountOf(ctx), id: ctx.ids.requestId(), detailType: TRAFFIC_DETAIL_TYPE, source: TRAFFIC_SOURCE, epochMs: ctx.epochMs(atMs), detail: incoming.body });
      const id = ctx.admit(bus, { ...incoming, body: event }, event.id);
      ctx.emit({ t: ctx.now, type: 'record.put', source: bus, id: event.id });
      const busView = viewOf(ctx).buses[bus];
      busView.events++;
      const hops = incoming.attributes?.hops ?? 0;
      let matched = 0;
      ctx.model.buses[bus].rules.forEach((rule, index) => {
        if (!rule.eventPattern || !matchesPattern(rule.eventPattern, event)) return;
        matched++;
        busView.rules[index].matched++;
        deliver(ctx, bus, rule, busView.rules[index], event, incoming, hops);
      });
      if (matched > 0) ctx.settle(id, 'succeeded');
      else {
        busView.unmatched++;
        ctx.emit({ t: ctx.now, type: 'record.filtered', source: bus, id: event.id });
        ctx.settle(id, 'filtered');
      }
    },
    onTimer(ctx, timer) {
      if (timer.kind !== 'schedule') return;
      const { bus, rule: index, schedule: parsed } = timer.data;
      const rule = ctx.model.buses[bus].rules[index];
      const ruleView = viewOf(ctx).buses[bus].rules[index];
      const epoch0 = ctx.epochMs(0);
      const event = scheduledEvent({ account: accountOf(ctx), id: ctx.ids.requestId(), ruleName: rule.name, busName: bus, epochMs: ctx.epochMs(timer.at) });
      const origin: IncomingRecord = { trafficIndex: -1, i: ruleView.matched, body: event };
      const id = ctx.admit(bus, origin, event.id, timer.at);
      ctx.emit({ t: ctx.now, type: 'record.put', source: bus, id: event.id });
      viewOf(ctx).buses[bus].events++;
      ruleView.matched++;
      deliver(ctx, bus, rule, ruleView, event as BusEvent, origin, 0);
      ctx.settle(id, 'succeeded');
      const next = nextFireAfter(parsed, ctx.epochMs(timer.at), epoch0);
      ruleView.nextFireAtMs = next === undefined ? null : next - epoch0;
      if (next !== undefined) schedule(ctx, next - epoch0, 'schedule', timer.data);
    },
  };
}
