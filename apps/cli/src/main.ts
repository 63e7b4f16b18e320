// optlab CLI entry (filled in by its issue).
export {};
