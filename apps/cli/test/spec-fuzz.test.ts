import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { optlab } from './capture.js';
import { BASE_SPECS, malformedSpec, type FuzzCase } from './fuzz/malformed-specs.js';

/**
 * The spec fuzzer: seeded malformed specs through `optlab run`, in-process. A spec is either
 * refused (exit 2, every problem naming its JSON path, no output folder made) or accepted and run
 * (exit 0 or 1, or 130 when the run is cancelled after a short budget, which keeps the accepted
 * cases cheap). Anything else is a crash: a thrown error, exit 3, a stack trace on stderr, or a
 * case that took longer than HANG_MS. FUZZ_SEED and FUZZ_RUNS override the seed and the count.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
/** Accepted specs are cancelled after this long: the fuzzer tests input handling, not training. */
const RUN_BUDGET_MS = 1500;
const HANG_MS = 20_000;

/** `runs[0].optimizer.type: …`, `task.dataset.text: line 3, column 2: …` or `line 1, column 9: …`. */
const NAMES_A_PATH =
  /^error: (?:[A-Za-z_$][\w$]*|\[[^\]]+\])(?:\.[A-Za-z_$][\w$]*|\[[^\]]+\])*: \S/;
const NAMES_A_POSITION = /^error: (?:.*: )?line \d+, column \d+/;

const dir = mkdtempSync(join(tmpdir(), 'optlab-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  readonly verdict: 'refused' | 'ran' | 'crash';
  readonly why?: string;
}

async function judge(one: FuzzCase, index: number): Promise<Outcome> {
  const specPath = join(dir, `spec-${index}.json`);
  const out = join(dir, `out-${index}`);
  writeFileSync(specPath, one.text);
  const started = performance.now();
  let result: Awaited<ReturnType<typeof optlab>>;
  try {
    result = await optlab(['run', specPath, '--out', out], {
      signal: AbortSignal.timeout(RUN_BUDGET_MS),
    });
  } catch (err) {
    return { verdict: 'crash', why: `threw ${String(err)}` };
  } finally {
    rmSync(specPath, { force: true });
  }
  const ms = performance.now() - started;
  const outExisted = existsSync(out);
  rmSync(out, { recursive: true, force: true });
  if (ms > HANG_MS) return { verdict: 'crash', why: `took ${Math.round(ms)} ms` };
  if (/\n\s+at .+[:(]/.test(result.stderr)) {
    return { verdict: 'crash', why: `stack trace: ${result.stderr.slice(0, 300)}` };
  }
  if (result.code === 2) {
    if (outExisted) return { verdict: 'crash', why: 'refused but left an output folder' };
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('error: '));
    if (lines.length === 0)
      return { verdict: 'crash', why: `exit 2 with no error line: ${result.stderr}` };
    // A document that is not JSON, or not an object, has no path inside it to name.
    const structural = one.kind.startsWith('not-a-spec');
    const unnamed = lines.filter(
      (l) => !NAMES_A_PATH.test(l) && !NAMES_A_POSITION.test(l) && !structural,
    );
    if (unnamed.length > 0) return { verdict: 'crash', why: `names no path: ${unnamed[0]}` };
    return { verdict: 'refused' };
  }
  if (result.code === 0 || result.code === 1 || result.code === 130) return { verdict: 'ran' };
  return { verdict: 'crash', why: `exit ${result.code}: ${result.stderr.slice(0, 300)}` };
}

it('starts from valid specs: every base spec is accepted and runs (exit 0)', async () => {
  for (const [i, base] of BASE_SPECS.entries()) {
    const specPath = join(dir, `base-${i}.json`);
    writeFileSync(specPath, JSON.stringify(base));
    const r = await optlab(['run', specPath, '--out', join(dir, `base-out-${i}`)]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
    expect(r.code).toBe(0);
  }
});

it(
  `refuses or runs ${RUNS} seeded malformed specs without a crash or a hang (seed ${SEED})`,
  async () => {
    const cases = fc.sample(malformedSpec, { seed: SEED, numRuns: RUNS });
    const counts = { refused: 0, ran: 0, crash: 0 };
    const crashes: string[] = [];
    for (const [i, one] of cases.entries()) {
      const outcome = await judge(one, i);
      counts[outcome.verdict]++;
      if (outcome.verdict === 'crash') crashes.push(`#${i} ${one.kind}: ${outcome.why}`);
    }
    // Printed so that CI's log shows what the fuzzer covered.
    console.log(
      `spec fuzzer (seed ${SEED}): ${cases.length} specs, ${counts.refused} refused with a path, ` +
        `${counts.ran} accepted and run, ${counts.crash} crashes`,
    );
    expect(crashes).toEqual([]);
    expect(counts.refused).toBeGreaterThan(cases.length / 2);
  },
  RUNS * HANG_MS,
);
