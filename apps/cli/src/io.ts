import { availableParallelism } from 'node:os';

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
  /** Show the stack of an internal error (`OPTLAB_DEBUG=1`). */
  readonly debug?: boolean;
  /** Cores this process may use: the default of `--jobs`. Absent: 1 (runs one after the other). */
  readonly cores?: number;
}

export function nodeIo(signal?: AbortSignal): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    progressStream: process.stderr,
    signal,
    debug: process.env['OPTLAB_DEBUG'] === '1',
    cores: availableParallelism(),
  };
}

/**
 * Exit codes scripts can trust. A bug is never reported as a divergence: anything unexpected is
 * `internal`. Cancelled is 128 + the signal's number, as shells report it: 130 for Ctrl-C
 * (SIGINT), 143 for SIGTERM (see main.ts).
 */
export const EXIT = {
  done: 0,
  diverged: 1,
  badInput: 2,
  internal: 3,
  cancelled: 130,
} as const;
