import { formatIssue, type SpecIssue } from '@optlab/experiment';

/** Problems for stderr, one `error: <path>: <message>` line each. */
export function formatIssues(issues: readonly SpecIssue[]): string {
  return issues.map((i) => `error: ${formatIssue(i)}\n`).join('');
}
