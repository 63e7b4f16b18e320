/**
 * The result files the performance profile view has read, kept on the lab (not the view) so
 * they survive switching views. Picks add to what is loaded; the problems shown are the last
 * pick's (files that are not results), beside those of the loaded set (lib/profile-files.ts).
 */
import type { LoadedExperiment, ReadOutcome } from './profile-files.js';

export class ProfileFiles {
  experiments = $state.raw<LoadedExperiment[]>([]);
  readProblems = $state.raw<string[]>([]);

  add(outcome: ReadOutcome): void {
    this.experiments = [...this.experiments, ...outcome.experiments];
    this.readProblems = [...outcome.problems];
  }

  clear(): void {
    this.experiments = [];
    this.readProblems = [];
  }
}
