import { spawn } from 'node:child_process';

export interface CommandResult {
  readonly code: number | null;
  readonly output: string;
  readonly timedOut: boolean;
}

/**
 * The environment for commands run in the consumer workspace: this workspace's own Nx and npm
 * settings removed (an outer `nx run` exports NX_WORKSPACE_ROOT and friends, `npm test` exports
 * npm_config_workspace…; either would point the consumer's tools back at this workspace). The npm
 * cache location is kept: the offline install reads from it.
 */
export function consumerEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    const lower = key.toLowerCase();
    if (key.startsWith('NX_') || key === 'INIT_CWD') continue;
    if (lower.startsWith('npm_') && lower !== 'npm_config_cache') continue;
    env[key] = value;
  }
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
}

/** Runs a command without a shell; stdout and stderr interleaved, killed after `timeoutMs`. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${command}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

/** Throws unless the command exited 0, with what it printed last: the reason is usually there. */
export function expectSuccess(what: string, result: CommandResult, hint = ''): string {
  if (result.code === 0 && !result.timedOut) return result.output;
  const why = result.timedOut ? 'timed out' : `exited with code ${result.code}`;
  const tail = result.output.split('\n').slice(-40).join('\n');
  throw new Error(`${what} ${why}.${hint ? ` ${hint}` : ''}\n--- last output ---\n${tail}`);
}
