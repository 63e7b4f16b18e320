// Preloaded by spawn.test.ts (`--import ./test/stray-error.mjs`): SIGUSR2 throws outside any
// promise of the CLI, as a bug in a callback would, to test that main.ts reports it as an
// internal error (exit 3, no stack) and not as Node's stack trace with exit 1.
process.on('SIGUSR2', () => {
  throw new Error('stray error in a callback');
});
