import type { CaseResult, SuiteResult } from './results.js';
import { relativeIqr, type Summary } from './stats.js';

/** Formats a figure to about four significant digits (integers as they are, no exponent for everyday sizes). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return v.toFixed(1);
  if (a >= 10) return v.toFixed(2);
  if (a >= 0.01) return v.toFixed(3);
  return v.toExponential(2);
}

function figure(s: Summary): string {
  return `${formatNumber(s.median)} ±${relativeIqr(s).toFixed(0)}%`;
}

function ratio(v: number): string {
  return `${formatNumber(v)}×`;
}

/**
 * A plain text table. The first `leftColumns` columns (names) are left-aligned, the others
 * (figures) right-aligned.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  leftColumns = 1,
): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/**
 * One table per suite: the case, OptLab's figure, each peer's figure and OptLab ÷ peer, then the
 * targets with met / NOT met. Peers are the union over the suite's cases, in first-seen order.
 */
export function renderSuite(suite: SuiteResult): string {
  const peerIds: string[] = [];
  const peerLabels = new Map<string, string>();
  for (const c of suite.cases) {
    for (const p of c.peers) {
      if (!peerLabels.has(p.id)) {
        peerIds.push(p.id);
        peerLabels.set(p.id, p.label);
      }
    }
  }
  const header = ['case', 'unit', 'OptLab'];
  for (const id of peerIds) header.push(peerLabels.get(id)!, `÷ ${peerLabels.get(id)!}`);
  const rows = suite.cases.map((c) => {
    const row = [c.name, c.unit, figure(c.optlab.summary)];
    for (const id of peerIds) {
      const p = c.peers.find((x) => x.id === id);
      const r = c.ratios.find((x) => x.peer === id);
      row.push(p ? figure(p.summary) : '—', r ? ratio(r.median) : '—');
    }
    return row;
  });
  const out = [`## ${suite.title}`, renderTable(header, rows)];
  const targets = suite.cases.flatMap((c) => c.targets.map((t) => ({ c, t })));
  if (targets.length) {
    out.push(
      renderTable(
        ['target', 'wanted', 'measured', 'status'],
        targets.map(({ c, t }) => [
          `${c.name}: OptLab ÷ ${peerLabel(c, t.peer)} (${t.source})`,
          `${c.better === 'higher' ? '≥' : '≤'} ${ratio(t.ratio)}`,
          ratio(t.measured),
          t.met ? 'met' : 'NOT met',
        ]),
      ),
    );
  }
  for (const t of suite.tables ?? []) out.push(renderTable(t.header, t.rows));
  for (const c of suite.tables ? [] : suite.cases) {
    const facts = Object.entries(c.details);
    if (facts.length) {
      const text = facts.map(([k, v]) => `${k} ${typeof v === 'number' ? formatNumber(v) : v}`);
      out.push(`${c.name}: ${text.join('; ')}`);
    }
  }
  out.push(...suite.notes.map((n) => `note: ${n}`));
  return out.join('\n');
}

function peerLabel(c: CaseResult, id: string): string {
  return c.peers.find((p) => p.id === id)?.label ?? id;
}
