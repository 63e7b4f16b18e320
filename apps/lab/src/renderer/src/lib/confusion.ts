/**
 * The confusion matrix as the lab shows it: counts, each cell coloured by its share of its row
 * (the true class), so a class with few test rows reads as clearly as a large one.
 */
import type { ClassificationReport } from '@optlab/experiment';

export interface ConfusionCell {
  readonly count: number;
  /** count / (rows of its true class); 0 for a class without rows. */
  readonly share: number;
}

/** Rows (true classes) of cells (predicted classes). */
export function confusionRows(report: ClassificationReport): ConfusionCell[][] {
  const k = report.classes;
  return Array.from({ length: k }, (_, t) => {
    const row = report.confusion.slice(t * k, t * k + k);
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count) => ({ count, share: total > 0 ? count / total : 0 }));
  });
}

/** Fraction of the rows on the diagonal (the accuracy the matrix implies). */
export function confusionAccuracy(report: ClassificationReport): number {
  let correct = 0;
  for (let c = 0; c < report.classes; c++) correct += report.confusion[c * report.classes + c];
  return report.rows > 0 ? correct / report.rows : 0;
}

/** A cell's background: white at share 0 to the accent blue at share 1 (diagonal) or red (errors). */
export function cellColor(share: number, diagonal: boolean): string {
  const a = Math.max(0, Math.min(1, share));
  return diagonal ? `rgba(37, 99, 235, ${a.toFixed(3)})` : `rgba(220, 38, 38, ${a.toFixed(3)})`;
}
