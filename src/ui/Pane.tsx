/**
 * A bordered pane drawn line by line in plain ASCII, so its size is exact (Ink's own borders have no
 * title) and it reads the same without colour: the focused pane's border is `=` and its title is in
 * brackets, the selected row starts with `>`; colour only adds emphasis.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { fit } from './format.js';
import type { PaneRow } from './pane-row.js';

/**
 * Props of a Pane. `height` includes the two border lines.
 *
 * @example <Pane number={1} title="Sources" width={52} height={8} focused rows={rows} selected={0} />
 */
export interface PaneProps {
  number: number;
  title: string;
  width: number;
  height: number;
  focused: boolean;
  rows: readonly PaneRow[];
  /** Index of the selected row (shown with `>` when focused), or undefined for none. */
  selected?: number;
  /** First row shown; defaults to what keeps the selection visible. */
  top?: number;
  /** Text at the right of the top border, e.g. a filter. */
  note?: string;
}

const TONE_COLOR: Record<NonNullable<PaneRow['tone']>, string | undefined> = {
  ok: 'green',
  warn: 'yellow',
  bad: 'red',
  dim: 'gray',
  title: undefined,
};

/**
 * The first row shown so that `selected` is visible in `inner` lines.
 *
 * @example topFor(12, 5) // 8
 */
export function topFor(selected: number | undefined, inner: number): number {
  if (selected === undefined || selected < inner) return 0;
  return selected - inner + 1;
}

/**
 * Whether two Pane props draw the same: a pane draws its rows' text and tone only, so rows rebuilt from
 * a new snapshot with the same lines are the same pane, and React skips it (most panes, most frames).
 */
export function samePane(a: PaneProps, b: PaneProps): boolean {
  if (a.number !== b.number || a.title !== b.title || a.width !== b.width || a.height !== b.height || a.focused !== b.focused) return false;
  if (a.selected !== b.selected || a.top !== b.top || a.note !== b.note || a.rows.length !== b.rows.length) return false;
  for (let i = 0; i < a.rows.length; i++) {
    if (a.rows[i] !== b.rows[i] && (a.rows[i].text !== b.rows[i].text || a.rows[i].tone !== b.rows[i].tone)) return false;
  }
  return true;
}

/** A bordered pane; see the module comment. Drawn again only when what it shows changed (samePane). */
export const Pane = memo(PaneView, samePane);

function PaneView({ number, title, width, height, focused, rows, selected, top, note }: PaneProps) {
  const inner = Math.max(0, height - 2);
  const textWidth = Math.max(0, width - 3);
  const first = Math.max(0, Math.min(top ?? topFor(selected, inner), Math.max(0, rows.length - inner)));
  const shown = rows.slice(first, first + inner);
  const line = focused ? '=' : '-';
  const label = focused ? `[${number} ${title}]` : ` ${number} ${title} `;
  const noteText = note ? ` ${note} ` : '';
  const topFill = Math.max(0, width - 3 - label.length - noteText.length);
  const topBorder = fit(`+${line}${label}${line.repeat(topFill)}${noteText}+`, width);
  const below = rows.length - first - shown.length;
  const above = first;
  const more = below > 0 ? ` +${below} more ` : above > 0 ? ` ${above} above ` : '';
  const bottomBorder = fit(`+${line.repeat(2)}${more}${line.repeat(Math.max(0, width - 4 - more.length))}+`, width);
  const borderColor = focused ? 'cyan' : undefined;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={borderColor} bold={focused} wrap="truncate">
        {topBorder}
      </Text>
      {Array.from({ length: inner }, (_, i) => {
        const row = shown[i];
        const index = first + i;
        const isSelected = focused && selected === index && row !== undefined;
        const marker = isSelected ? '>' : ' ';
        const text = fit(row?.text ?? '', textWidth, true);
        return (
          <Text key={i} wrap="truncate">
            <Text color={borderColor}>|</Text>
            <Text color={isSelected ? 'cyan' : undefined} bold={isSelected}>
              {marker}
            </Text>
            <Text color={row?.tone ? TONE_COLOR[row.tone] : undefined} bold={row?.tone === 'title'} inverse={isSelected}>
              {text}
            </Text>
            <Text color={borderColor}>|</Text>
          </Text>
        );
      })}
      <Text color={borderColor} bold={focused} wrap="truncate">
        {bottomBorder}
      </Text>
    </Box>
  );
}
