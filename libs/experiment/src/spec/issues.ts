/**
 * Problems found in a spec. Every problem names where it is (a JSON path such as
 * `runs[2].optimizer.type`) and what is wrong, so a user can fix all of them in one go.
 */
export interface SpecIssue {
  /** JSON path of the offending value; `''` for the document itself. */
  readonly path: string;
  /** What is wrong, with the allowed values where there is a list of them. */
  readonly message: string;
}

export type PathSegment = string | number;

/** `['runs', 2, 'optimizer', 'type']` → `runs[2].optimizer.type`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** One line per issue: `runs[2].optimizer.type: unknown optimizer "adm"; known: SGD, Adam`. */
export function formatIssue(issue: SpecIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

/** Thrown where a spec is required to be valid; carries every issue. */
export class SpecError extends Error {
  constructor(
    readonly issues: readonly SpecIssue[],
    readonly source?: string,
  ) {
    const where = source ? `${source}: ` : '';
    const lines = issues.map((i) => `  ${formatIssue(i)}`).join('\n');
    super(
      `${where}invalid experiment spec (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines}`,
    );
    this.name = 'SpecError';
  }
}
