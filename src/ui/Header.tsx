/**
 * The header: scenario name and what to watch for, the simulated clock, tick, speed, running or paused,
 * and the seed. After step-back it says the view is in the past and where the live run stands.
 */
import { Box, Text } from 'ink';
import { fit, formatClock, formatSpeed } from './format.js';

/**
 * Props of the Header. `lines` is 1 (compact: no description) or 2.
 *
 * @example <Header name="Kinesis poison record" description="..." t={42_300} tick={423} speed={10} paused={false} seed={1} width={100} lines={2} />
 */
export interface HeaderProps {
  name: string;
  description: string;
  t: number;
  tick: number;
  speed: number;
  /** The speed the live run reaches when it falls short of `speed` (Controller.achievedSpeed). */
  achievedSpeed?: number;
  paused: boolean;
  seed: number;
  width: number;
  lines: 1 | 2 | 3;
  /** Set after step-back: the live run's tick. */
  headTick?: number;
  /** Set while the run is re-executed to reach a past tick. */
  seekingTo?: number;
  /** True once the run has reached the scenario's duration: the story it tells is complete. */
  ended?: boolean;
  /** The scenario's "what to watch" step reached at the cursor (watch-steps.ts), shown in place of the description. */
  watch?: string;
  /** The cost so far at the cursor, formatted (`$0.0001234`): the Cost view (`c`) breaks it down. */
  cost?: string;
  /** A short status message (a fault injected, an error), shown instead of the description. */
  message?: { text: string; tone: 'info' | 'bad' };
}

/**
 * The right-hand status of the first line.
 *
 * @example headerStatus({ t: 42_300, tick: 423, speed: 10, paused: false, seed: 1 }) // 't 00:42.3  tick 423  x10  > running  seed 1'
 */
export function headerStatus(
  p: Pick<HeaderProps, 't' | 'tick' | 'speed' | 'paused' | 'seed' | 'headTick' | 'achievedSpeed' | 'ended' | 'seekingTo'>,
  /** 0: everything; 1: without the tick and seed; 2: also the shortest state words. */
  brevity: 0 | 1 | 2 = 0,
): string {
  const short = brevity >= 2;
  const state =
    p.seekingTo !== undefined
      ? `>> going to tick ${p.seekingTo}`
      : p.headTick !== undefined
      ? short
        ? `<< past`
        : `<< past (live at tick ${p.headTick})`
      : p.paused
        ? p.ended
          ? short
            ? '|| end'
            : '|| end (space runs on)'
          : '|| paused'
        : '> running';
  const lagging = p.achievedSpeed !== undefined && !p.paused && p.headTick === undefined ? ` (lagging: ${formatSpeed(roundSpeed(p.achievedSpeed))})` : '';
  if (brevity === 0) return `t ${formatClock(p.t)}  tick ${p.tick}  ${formatSpeed(p.speed)}${lagging}  ${state}  seed ${p.seed}`;
  return `t ${formatClock(p.t)}  ${formatSpeed(p.speed)}${lagging}  ${state}`;
}

/** The name gets at least this many cells (or its whole length) before the status gives up detail. */
const MIN_NAME_CELLS = 24;

/** The Header. */
export function Header(props: HeaderProps) {
  const { name, description, width, lines, message } = props;
  const left = ` lambda-tui  `;
  const room = (status: string) => width - left.length - status.length - 2;
  const wanted = Math.min(name.length, MIN_NAME_CELLS);
  const status = ([0, 1, 2] as const).map((b) => headerStatus(props, b)).find((s) => room(s) >= wanted) ?? headerStatus(props, 2);
  const nameWidth = Math.max(0, room(status));
  const first = `${left}${fit(name, nameWidth, true)}  ${status}`;
  // The cost so far sits at the right of the second line (the description or a message), which gives
  // way to it; on a one-line header it follows the status when there is room.
  const cost = props.cost === undefined ? '' : `cost ${props.cost}`;
  const textWidth = cost && lines >= 2 ? Math.max(1, width - cost.length - 2) : width;
  const texts = lines >= 2 ? (message ? [message.text] : props.watch ? [props.watch, ...(lines > 2 ? descriptionLines(description, width, lines - 2) : [])] : descriptionLines(description, textWidth, lines - 1)) : [];
  const statusCost = lines === 1 && cost && width - first.length >= cost.length + 2 ? `  ${cost}` : '';
  return (
    <Box flexDirection="column" width={width} height={lines}>
      <Text wrap="truncate">
        <Text bold>{left}</Text>
        <Text bold color="cyan">
          {fit(name, nameWidth, true)}
        </Text>
        <Text>  </Text>
        <Text color={props.headTick !== undefined ? 'magenta' : props.paused ? 'yellow' : 'green'}>{fit(status, Math.max(0, width - first.length + status.length))}</Text>
        {statusCost ? <Text>{statusCost}</Text> : null}
      </Text>
      {texts.map((text, i) => (
        <Text key={i} wrap="truncate">
          <Text color={message ? (message.tone === 'bad' ? 'red' : 'yellow') : props.watch && i === 0 ? 'cyan' : 'gray'}>{fit(` ${text}`, cost ? textWidth : width, cost !== '' && i === 0)}</Text>
          {cost && i === 0 ? <Text>{`  ${cost}`}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

/** A measured speed, rounded for reading: whole numbers from 10 up, one decimal below. */
function roundSpeed(speed: number): number {
  return speed >= 10 ? Math.round(speed) : Math.round(speed * 10) / 10;
}

/**
 * The description in at most `max` lines of `width` cells (one leading space each), broken between
 * words; the last line is cut with `~` when even that is not enough.
 *
 * @example descriptionLines('watch shard 3 retry and bisect', 20, 2) // ['watch shard 3 retry', 'and bisect']
 */
export function descriptionLines(description: string, width: number, max: number): string[] {
  const room = Math.max(1, width - 1);
  const lines: string[] = [];
  let rest = description.trim();
  while (rest.length > 0 && lines.length < max) {
    if (rest.length <= room || lines.length === max - 1) {
      lines.push(rest);
      break;
    }
    const cut = rest.lastIndexOf(' ', room);
    const at = cut > room / 2 ? cut : room;
    lines.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  return lines.length ? lines : [''];
}
