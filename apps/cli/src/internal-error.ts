/**
 * What the user sees when OptLab itself fails (a bug, not bad input): one line naming the
 * problem and where to report it, with the stack only when asked for (`OPTLAB_DEBUG=1`). The
 * exit code is EXIT.internal, never that of a diverged run.
 */

/** Where internal errors are reported. No public tracker address exists yet: name the place. */
export const REPORT_TO = 'the OptLab issue tracker (with the command and the spec file)';

export function internalErrorText(error: unknown, debug: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = `optlab: internal error: ${message} — please report this at ${REPORT_TO}\n`;
  if (debug) return line + (error instanceof Error && error.stack ? error.stack : message) + '\n';
  return line + 'optlab: run again with OPTLAB_DEBUG=1 to see the stack trace\n';
}
