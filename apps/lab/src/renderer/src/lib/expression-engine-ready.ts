import { loadExpressionEngine } from '@optlab/models';

/*
 * mathjs is loaded on first use (@optlab/models, expression-engine.ts), and a browser can only
 * load it asynchronously. The page and each worker start loading it at once and handle nothing
 * before it is there, so every sync use of an expression (the validator, the function registry,
 * the expression box) finds it loaded.
 */
const ready = loadExpressionEngine();

/** Resolves once expressions can be parsed in this thread. */
export function expressionEngineReady(): Promise<void> {
  return ready;
}

/**
 * A worker's message handler that waits for the engine: messages are handled in arrival order,
 * and a handler's error is thrown as an uncaught error of the worker, as it was before the wait.
 */
export function afterExpressionEngine<E>(handler: (event: E) => unknown): (event: E) => void {
  return (event) => {
    ready
      .then(() => handler(event))
      .catch((error: unknown) => {
        setTimeout(() => {
          throw error;
        });
      });
  };
}
