// @optlab/tensor-gpu: public API (filled in by its issue).
export {};
