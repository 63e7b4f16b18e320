import { main } from '../src/cli.js';
import type { CliIo } from '../src/io.js';

/** Runs `optlab <argv>` in-process and returns its exit code and what it printed. */
export async function optlab(
  argv: string[],
  extra: Partial<CliIo> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: false,
    now: () => new Date('2026-01-02T03:04:05.678Z'),
    ...extra,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export const examples = new URL('../../../examples/', import.meta.url).pathname;
