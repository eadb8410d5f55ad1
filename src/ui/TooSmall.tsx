/**
 * Shown instead of the dashboard when the terminal is below the smallest usable size; q still quits.
 */
import { Box, Text } from 'ink';

/**
 * The message, as a user reads it.
 *
 * @example tooSmallText({ columns: 60, rows: 16 }, { columns: 40, rows: 10 }) // 'lambda-tui needs at least 60x16 (now 40x10) — q quits'
 */
export function tooSmallText(min: { columns: number; rows: number }, now: { columns: number; rows: number }): string {
  return `lambda-tui needs at least ${min.columns}x${min.rows} (now ${now.columns}x${now.rows}) — q quits`;
}

/**
 * Props of TooSmall.
 *
 * @example <TooSmall min={{ columns: 60, rows: 16 }} now={{ columns: 40, rows: 10 }} />
 */
export interface TooSmallProps {
  min: { columns: number; rows: number };
  now: { columns: number; rows: number };
}

/** The too-small message, wrapped to the terminal's width and never taller than rows-1. */
export function TooSmall({ min, now }: TooSmallProps) {
  return (
    <Box width={Math.max(1, now.columns)} height={Math.max(1, now.rows - 1)} overflow="hidden">
      <Text wrap="wrap" color="yellow">
        {tooSmallText(min, now)}
      </Text>
    </Box>
  );
}
