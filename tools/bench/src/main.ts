// Benchmark entry (filled in by its issue).
export {};
