// @optlab/experiment: public API (filled in by its issue).
export {};
