// `npm run bench:gpu`: serves bench/index.html from 127.0.0.1 with Vite (sources resolved through
// the @optlab/source condition, no build), opens it in Debian's headless Chromium through
// playwright-core, waits for the page's results, prints a table (device string beside every
// figure) and saves JSON to bench-results/. WebGPU runs where an adapter answers
// (--enable-unsafe-webgpu, a secure context: 127.0.0.1 counts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer, defaultClientConditions } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const modes = process.env.BENCH_GPU_MODES ?? 'webgl2,webgpu';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const server = await createServer({
  root: here,
  configFile: false,
  logLevel: 'warn',
  resolve: { conditions: ['@optlab/source', ...defaultClientConditions] },
  optimizeDeps: { include: ['gpu.js'] },
  server: { host: '127.0.0.1', port: 0, fs: { allow: [repoRoot] } },
});
await server.listen();
const address = server.httpServer?.address();
const port = typeof address === 'object' && address ? address.port : 5173;
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--enable-unsafe-webgpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
try {
  const page = await browser.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'log') console.log(`  ${msg.text()}`);
  });
  await page.goto(`http://127.0.0.1:${port}/index.html?modes=${modes}`);
  await page.waitForFunction(() => window.__bench?.done === true, null, { timeout: 0 });
  const result = await page.evaluate(() => window.__bench);
  if (result.error) throw new Error(`benchmark page failed: ${result.error}`);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  const cpuRows = new Map(
    result.rows.filter((r) => r.backend !== 'gpu').map((r) => [r.workload, r]),
  );
  console.log('\n| workload | backend | device | median ms | min ms | reps | vs cpu |');
  console.log('|---|---|---|---:|---:|---:|---|');
  for (const r of result.rows) {
    const base = cpuRows.get(r.workload);
    const ratio =
      r.backend === 'gpu' && base
        ? base.medianMs / r.medianMs >= 1
          ? `${(base.medianMs / r.medianMs).toFixed(2)}× faster`
          : `${(r.medianMs / base.medianMs).toFixed(2)}× SLOWER than cpu`
        : '';
    console.log(
      `| ${r.workload} | ${r.backend} | ${r.device} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.reps} | ${ratio} |`,
    );
  }
  const outDir = join(repoRoot, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `gpu-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), userAgent, modes, note: 'Each timing ends with a readback; the first run (kernel compilation) is not timed. Software rendering (SwiftShader) where no GPU exists: figures prove correctness, not speed.', rows: result.rows }, null, 2)}\n`,
  );
  console.log(`\nsaved ${file}`);
} finally {
  await browser.close();
  await server.close();
}
