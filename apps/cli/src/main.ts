#!/usr/bin/env node
/**
 * The `optlab` executable: runs `main` on the process's arguments and exits with main's code.
 *
 * Ctrl-C (SIGINT) and SIGTERM cancel a running experiment the same way (the run in progress ends
 * with a `cancelled` record; result files stay consistent); the exit code is 128 + the signal's
 * number (130, 143). The handlers are installed before anything else happens, validation
 * included; a second signal of the same kind gets Node's default (immediate exit). An error
 * that escapes everything, even outside main's promise, is reported as an internal error (exit 3)
 * rather than as Node's stack trace and exit 1, which would read as "a run diverged".
 */
import { main } from './cli.js';
import { internalErrorText } from './internal-error.js';
import { EXIT, nodeIo } from './io.js';

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

const controller = new AbortController();
let received: keyof typeof SIGNAL_EXIT | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    received ??= signal;
    controller.abort(signal);
  });
}

const io = nodeIo(controller.signal);
const crash = (error: unknown): void => {
  process.stderr.write(internalErrorText(error, io.debug === true));
  process.exit(EXIT.internal);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

const code = await main(process.argv.slice(2), io);
process.exitCode = code === EXIT.cancelled && received ? SIGNAL_EXIT[received] : code;
