#!/usr/bin/env node
/**
 * `npm start`: builds the lab and opens it. With the Electron binary installed it builds the
 * desktop app (electron-vite) and starts it; without one (ELECTRON_SKIP_BINARY_DOWNLOAD, as on
 * CI and the development machines) it says so plainly, builds the web version and serves it on
 * 127.0.0.1, where any Chromium-based browser or Firefox opens it.
 *
 * PORT picks the web server's port (exactly that one; by default 5178 or one of the next 19). A bad
 * or taken port is one line on stderr and exit 2, checked before the build; a failed build exit 1.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const lab = join(root, 'apps', 'lab');

/** The Electron executable's path, or null when the package is there without its binary. */
function electronBinary() {
  try {
    const path = createRequire(join(lab, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function run(command, args, options = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: lab, ...options });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const { requestedPort, runCommand, serveWeb } = await import(
  new URL('../../apps/lab/scripts/serve-web.mjs', import.meta.url).href
);

await runCommand('npm start', async () => {
  const electron = electronBinary();
  if (electron) {
    console.log('Building the desktop lab (electron-vite)…');
    await run(npx, ['electron-vite', 'build']);
    console.log('Starting OptLab.');
    await run(electron, [lab]);
    return;
  }
  // Checked before the build, so a typo in PORT does not cost a build first.
  const { port, exact } = requestedPort([], process.env);
  console.log('Building the lab’s web version…');
  await run(npx, ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn']);
  const { url } = await serveWeb({ port, tries: exact ? 1 : 20 });
  console.log('');
  console.log(
    `no Electron binary on this machine: serving the web build at ${url.replace(/\/$/, '')}`,
  );
  console.log('Open it in a browser (Chromium or Firefox); press Ctrl+C to stop.');
});
