/**
 * The exit statuses of `lambda-tui` (README, "Exit status"), and the one-line messages for what the
 * operating system refuses when output is written. Every way out of the CLI ends in one of these.
 *
 * @example process.exitCode = EXIT.runFailed;
 */
export const EXIT = Object.freeze({
  /** The command did what it was asked (a closed pipe on stdout counts: the reader had enough). */
  ok: 0,
  /** The scenario did not load or validate; the message names the file, the field and the limits. */
  load: 1,
  /** The command line is wrong. */
  usage: 2,
  /** The run started and then failed: output that could not be written, an error in scenario code outside any handler. */
  runFailed: 3,
  /** A bug in lambda-tui itself (the message asks for a report). */
  internal: 70,
  /** Interrupted: Ctrl-C (128 + SIGINT). */
  interrupted: 130,
  /** Terminated: SIGTERM (128 + SIGTERM). */
  terminated: 143,
});

/**
 * Output that could not be written: `--trace`, `--record` or stdout. The CLI prints `message` (one line)
 * and exits EXIT.runFailed.
 *
 * @example throw new OutputError(`--trace: cannot write ${file}: ${describeSystemError(error)}`);
 */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EPIPE: 'the reader closed the pipe',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENXIO: 'no reader on the other end',
};

/**
 * A system error in words, with its code: what a person needs, without Node's stack.
 *
 * @example describeSystemError(Object.assign(new Error('x'), { code: 'ENOSPC' })) // 'no space left on the device (ENOSPC)'
 */
export function describeSystemError(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return `${REASONS[code] ?? 'it failed'} (${code})`;
  return oneLine(error instanceof Error ? error.message : String(error));
}

/**
 * Text cut to one readable line: control characters shown as escapes, at most `max` characters.
 *
 * @example oneLine('a\nb\x1b[31m') // 'a\\nb\\x1b[31m'
 */
export function oneLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
