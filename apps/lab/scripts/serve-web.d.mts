// Types of serve-web.mjs for the TypeScript tests and tools that import it.
export declare const WEB_DIR: string;
export declare const DEFAULT_PORT: number;
export declare class ServeError extends Error {}
export declare function parsePort(text: unknown, source: string): number;
export declare function isLoopbackHost(hostHeader: unknown, port: number): boolean;
export declare function requestedPort(
  args: readonly string[],
  env: Record<string, string | undefined>,
): { port: number; exact: boolean };
export declare function runCommand(name: string, main: () => Promise<void>): Promise<void>;
export declare function serveWeb(options?: {
  port?: number;
  dir?: string;
  host?: string;
  tries?: number;
}): Promise<{ url: string; port: number; close: () => Promise<void> }>;
