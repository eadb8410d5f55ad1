/**
 * The dashboard: header, the panes of the registry (panes.tsx), log and key hints, laid out for the
 * terminal's size; overlays for help, inspect and the fault menu. It renders the controller's snapshot
 * and the UI state; what a key does is decided by the pure update (update.ts), and the commands it
 * returns are run here against the controller (runCommands). Time does not move here: the shell
 * (run-dashboard.ts, or a scripted run) calls controller.advanceWall.
 */
import { Box, Text, useInput } from 'ink';
import { Fragment, useEffect, useReducer, useRef } from 'react';
import { type PriceTable, US_EAST_1 } from '../cost/prices.js';
import { snapshotCost } from '../cost/snapshot-cost.js';
import type { SimState } from '../engine/state.js';
import type { Model } from '../scenario/model.js';
import { lastCall } from './last-call.js';
import { formatUsd } from '../output/format-summary.js';
import type { Controller } from './controller.js';
import { fit } from './format.js';
import { Header } from './Header.js';
import type { MouseReport } from './key-input.js';
import { footerHints, isMouseReport, keyName, plainKeys } from './keymap.js';
import { type Layout, layout, MIN_SIZE } from './layout.js';
import { FaultMenu, HelpOverlay, InspectOverlay } from './Overlays.js';
import { type DashboardView, PANE_REGISTRY, paneBoxes, type PanePlace, panesFor } from './panes.js';
import { CostView, LogsView, logFunctionAt, MetricsView } from './views.js';
import { Timeline } from './Timeline.js';
import { saveInspected } from './save-inspect.js';
import { TooSmall } from './TooSmall.js';
import { type Command, contextOf, fitOverlay, initialUiState, inspectedInvocation, selectedRow, type UiAction, type UiState, update } from './update.js';

export { initialUiState, type UiState };

/**
 * The panes' titles in focus order (tab, and the digit keys), from the pane registry.
 *
 * @example PANES[4] // 'Log'
 */
export const PANES: readonly string[] = PANE_REGISTRY.map((p) => p.title);

/** Lines of the log the Log pane asks the controller for: enough to scroll back through. */
const LOG_LINES_SHOWN = 500;

/**
 * Props of the App.
 *
 * @example <App controller={controller} size={{ columns: 100, rows: 30 }} onQuit={() => app.unmount()} />
 */
export interface AppProps {
  controller: Controller;
  /** The terminal size; the shell follows 'resize' and passes the new one. */
  size: { columns: number; rows: number };
  /** Called once the user quits; 'interrupt' when it was Ctrl-C (the CLI then exits 130). */
  onQuit: (how?: 'quit' | 'interrupt') => void;
  /** Where mouse reports come from (the live dashboard's stdin wrapper, key-input.ts); none in scripted runs. */
  mouse?: MouseSource;
}

/**
 * What emits the terminal's mouse reports.
 *
 * @example <App ... mouse={holdSplitEscapes(process.stdin)} />
 */
export interface MouseSource {
  on(event: 'mouse', listener: (report: MouseReport) => void): unknown;
  off(event: 'mouse', listener: (report: MouseReport) => void): unknown;
}

/**
 * Runs the commands an update returned against the controller; results that the UI shows come back
 * through `dispatch` as actions.
 *
 * @example runCommands(controller, [{ type: 'step' }], dispatch, onQuit)
 */
export function runCommands(
  controller: Controller,
  commands: readonly Command[],
  dispatch: (action: UiAction) => void,
  onQuit: (how?: 'quit' | 'interrupt') => void,
): void {
  for (const command of commands) {
    switch (command.type) {
      case 'quit':
        onQuit(command.interrupted ? 'interrupt' : 'quit');
        break;
      case 'togglePause':
        controller.togglePause();
        break;
      case 'step':
        void controller.step();
        break;
      case 'back':
        void controller.back();
        break;
      case 'faster':
        controller.faster();
        break;
      case 'slower':
        controller.slower();
        break;
      case 'restart':
        void controller.restart();
        break;
      case 'inspect':
        dispatch({ type: 'inspected', title: command.title, value: controller.inspect(command.module, command.key) });
        break;
      case 'inspectInvocation':
        dispatch({ type: 'inspected', title: command.title, value: inspectedInvocation(controller.invocation(command.start), command.trace) });
        break;
      case 'seekTime':
        void controller.seekTime(command.ms);
        break;
      case 'jumpNotable':
        controller.jumpNotable(command.direction).then(
          (event) =>
            dispatch(
              event
                ? { type: 'notice', text: `${event.kind}: ${event.text}`, tone: 'info' }
                : { type: 'notice', text: command.direction > 0 ? 'no notable event after this, up to the end of the scenario' : 'no notable event before this', tone: 'info' },
            ),
          () => undefined,
        );
        break;
      case 'save':
        try {
          dispatch({ type: 'notice', text: `saved to ${saveInspected(command.title, command.value)}`, tone: 'info' });
        } catch (error) {
          dispatch({ type: 'notice', text: `not saved: ${error instanceof Error ? error.message : String(error)}`, tone: 'bad' });
        }
        break;
      case 'injectFault': {
        const fn = command.preset.fn;
        controller.injectPreset(command.preset).then(
          (fault) => dispatch({ type: 'notice', text: `fault ${fault.index} injected: ${command.label} -> ${fn}`, tone: 'info' }),
          (error: unknown) => dispatch({ type: 'notice', text: `no fault injected: ${error instanceof Error ? error.message : String(error)}`, tone: 'bad' }),
        );
        break;
      }
    }
  }
}

/** The cost at a snapshot: a frame's render and the keys handled in it ask for it with the same snapshot. */
const costAt = lastCall((model: Model, state: SimState, prices: PriceTable, freeTier: boolean | undefined) => snapshotCost(model, state, { prices, freeTier }));

/** The cells of the layout, band by band. */
const BANDS: ReadonlyArray<{ band: 'top' | 'mid' | 'bottom'; places: readonly PanePlace[] }> = [
  { band: 'top', places: ['top-left', 'top-right'] },
  { band: 'mid', places: ['mid-left', 'mid-right'] },
  { band: 'bottom', places: ['bottom'] },
];

/** The dashboard. */
export function App({ controller, size, onQuit, mouse }: AppProps) {
  const ui = useRef<UiState>(initialUiState());
  const [, repaint] = useReducer((n: number) => n + 1, 0);
  useEffect(() => controller.onChange(repaint), [controller]);
  const frame = layout(size, { longDescription: controller.model.description.length > size.columns - 1 });
  const viewOf = (s: UiState): DashboardView => {
    const state = controller.snapshot;
    return {
      state,
      model: controller.model,
      layout: frame,
      logLines: controller.logLines(s.filterDraft ?? s.filter, LOG_LINES_SHOWN),
      handlerLogs: s.view?.kind === 'logs' ? controller.handlerLogs({ fn: logFunctionAt(controller.model, s.view.subject), requestId: s.view.requestId }) : undefined,
      metrics: controller.metrics,
      cost: costAt(controller.model, state, controller.prices ?? US_EAST_1, controller.freeTier),
      zoomed: s.zoom && !s.view ? s.focus : undefined,
      timelineEnd: timelineEnd(),
    };
  };
  const timelineEnd = () => Math.max(Math.ceil(controller.model.durationMs / controller.model.tickMs), controller.headTick);

  const dispatch = (action: UiAction): void => {
    const before = ui.current;
    const { ui: next, commands } = update(before, action, viewOf(before));
    ui.current = next;
    runCommands(controller, commands, dispatch, onQuit);
    if (ui.current !== before) repaint();
  };

  // The latest dispatch (it closes over this render's frame) for the mouse listener.
  const dispatchRef = useRef(dispatch);
  dispatchRef.current = dispatch;
  useEffect(() => {
    if (!mouse) return;
    const listener = (report: MouseReport): void => dispatchRef.current({ type: 'mouse', report });
    mouse.on('mouse', listener);
    return () => void mouse.off('mouse', listener);
  }, [mouse]);

  useInput((input, key) => {
    // Esc then a key, typed quickly or sent in one write, reaches here as one Alt-key (Ink joins a lone
    // Esc with the byte after it): the dashboard binds no Alt keys, so take it as the two presses it was.
    if (key.meta && !key.escape && !key.ctrl && input.length === 1) {
      dispatch({ type: 'key', key: 'esc' });
      for (const name of plainKeys(input)) dispatch({ type: 'key', key: name });
      return;
    }
    // Presses that reach stdin in one read (fast typing, a paste, tmux send-keys) arrive as one string
    // without key flags: take them one key at a time, enter and backspace included (plainKeys).
    if (input.length > 1 && !key.ctrl && !key.meta && !input.startsWith('\x1b') && !isMouseReport(input)) {
      for (const name of plainKeys(input)) dispatch({ type: 'key', key: name });
      return;
    }
    const name = keyName(input, key);
    if (name === undefined) return;
    dispatch({ type: 'key', key: name, modified: key.ctrl || key.meta });
  });

  if (!frame) return <TooSmall min={MIN_SIZE} now={size} />;
  // A resize wraps an open inspector's lines again, to the new width.
  ui.current = fitOverlay(ui.current, frame.columns, frame.bodyHeight);
  const s = ui.current;
  const view = viewOf(s);
  const state = view.state;
  const l: Layout = frame;
  const panes = panesFor(controller.model);
  const boxes = paneBoxes(l, panes);
  const error = controller.error;
  const message = error ? { text: `error: ${error instanceof Error ? error.message : String(error)}`, tone: 'bad' as const } : s.message;
  const filter = s.filterDraft ?? s.filter;
  const context = contextOf(s);
  const footer =
    context === 'filter'
      ? `filter: ${s.filterDraft}_   ${footerHints(l.columns, 'filter')}`
      : context === 'go to'
        ? `go to: ${s.gotoDraft}_   (1m30s, 0:05, 90s)   ${footerHints(l.columns, 'go to')}`
        : context === 'search' && s.overlay?.kind !== 'fault'
          ? `search: ${s.overlay?.findDraft ?? ''}_   ${footerHints(l.columns, 'search')}`
          : footerHints(l.columns - 1, context);
  const drawPane = (name: string) => {
    const index = panes.findIndex((p) => p.name === name);
    const def = panes[index];
    return (
      <Fragment key={name}>
        {def.draw({
          view,
          box: view.zoomed === name ? { width: l.columns, height: l.bodyHeight } : boxes.get(name)!,
          number: index + 1,
          focused: s.focus === name,
          selected: selectedRow(s, view, name),
          scroll: s.logScroll,
          filter,
          editing: s.filterDraft !== undefined,
        })}
      </Fragment>
    );
  };
  const bandHeight = { top: l.topHeight, mid: l.midHeight, bottom: l.logHeight };
  return (
    <Box flexDirection="column" width={l.columns} height={l.height}>
      <Header
        name={controller.model.name}
        description={controller.model.description}
        t={state.t}
        tick={state.tick}
        speed={controller.speed}
        achievedSpeed={controller.achievedSpeed}
        paused={controller.pauseSettled}
        seed={controller.seed}
        width={l.columns}
        lines={l.headerLines}
        headTick={controller.inPast ? controller.headTick : undefined}
        seekingTo={controller.seeking}
        ended={controller.pausedAtEnd}
        message={message}
        cost={view.cost ? formatUsd(view.cost.totalUsd) : undefined}
        watch={controller.watch}
      />
      {s.overlay?.kind === 'help' ? (
        <HelpOverlay width={l.columns} height={l.bodyHeight} scroll={s.overlay.scroll} model={controller.model} about={s.overlay.about} query={s.overlay.query} match={s.overlay.match} />
      ) : s.overlay?.kind === 'inspect' ? (
        <InspectOverlay title={s.overlay.title} lines={s.overlay.lines} width={l.columns} height={l.bodyHeight} scroll={s.overlay.scroll} query={s.overlay.query} match={s.overlay.match} />
      ) : s.overlay?.kind === 'fault' ? (
        <FaultMenu functions={Object.keys(controller.model.functions)} fnIndex={s.overlay.fnIndex} item={s.overlay.item} width={l.columns} height={l.bodyHeight} />
      ) : s.view?.kind === 'logs' ? (
        <LogsView lines={view.handlerLogs ?? []} model={controller.model} view={s.view} width={l.columns} height={l.bodyHeight} />
      ) : s.view?.kind === 'metrics' ? (
        <MetricsView reader={controller.metrics} state={state} view={s.view} width={l.columns} height={l.bodyHeight} />
      ) : s.view?.kind === 'cost' && view.cost ? (
        <CostView cost={view.cost} t={state.t} view={s.view} width={l.columns} height={l.bodyHeight} />
      ) : view.zoomed ? (
        drawPane(view.zoomed)
      ) : (
        BANDS.map(({ band, places }) =>
          band === 'bottom' ? (
            <Fragment key={band}>{panes.filter((p) => p.place === 'bottom').map((p) => drawPane(p.name))}</Fragment>
          ) : (
            <Box key={band} height={bandHeight[band]}>
              {places.map((place) => (
                <Box key={place} flexDirection="column">
                  {panes.filter((p) => p.place === place).map((p) => drawPane(p.name))}
                </Box>
              ))}
            </Box>
          ),
        )
      )}
      {l.timelineHeight ? (
        <Timeline
          events={controller.notable}
          cursorTick={state.tick}
          endTick={timelineEnd()}
          tickMs={controller.model.tickMs}
          width={l.columns}
        />
      ) : null}
      <Text wrap="truncate" color="gray">
        {fit(` ${footer}`, l.columns)}
      </Text>
    </Box>
  );
}
