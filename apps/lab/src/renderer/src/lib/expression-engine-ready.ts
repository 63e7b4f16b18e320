import { loadExpressionEngine } from '@optlab/models';

/*
 * mathjs is loaded on first use (@optlab/models, expression-engine.ts), and a browser can only
 * load it asynchronously. A worker starts loading it at once and handles no message before it
 * is there, so every sync use of an expression in the worker (the validator, the function
 * registry) finds it loaded. (The page bundles it and hands it over in main.ts.)
 */
const ready = loadExpressionEngine();

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
