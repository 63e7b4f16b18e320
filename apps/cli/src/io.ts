/**
 * Where the CLI writes and what it knows about its terminal. `main()` takes one, so tests run
 * commands in-process and read what they printed; `nodeIo()` is the real process.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress bars only in a terminal; plain lines otherwise (CI logs, pipes). */
  readonly isTTY: boolean;
  /** Stream for progress bars (a TTY). */
  readonly progressStream?: NodeJS.WritableStream;
  /** Cancels a running experiment (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Current time, for default output folder names. */
  now?(): Date;
}

export function nodeIo(signal?: AbortSignal): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    progressStream: process.stderr,
    signal,
  };
}

/** Exit codes scripts can trust. */
export const EXIT = {
  done: 0,
  diverged: 1,
  badInput: 2,
  cancelled: 130,
} as const;
