/**
 * The error every schedule throws for bad options or bad use. It names the schedule and, where
 * one is at fault, the option, so that a form can mark the field and a CLI can print one line.
 */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';

  constructor(
    /** The schedule's class name. */
    readonly schedule: string,
    /** The option at fault, or null when the error is not about one option. */
    readonly option: string | null,
    message: string,
  ) {
    super(`${schedule}: ${message}`);
  }
}

/** How a value is shown in an error message: numbers plainly, everything else as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
