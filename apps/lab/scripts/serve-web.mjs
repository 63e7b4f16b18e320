#!/usr/bin/env node
/**
 * Serves the lab's web build (out/web) on 127.0.0.1: what `npm start` runs where there is no
 * Electron binary, and what the end-to-end tests load. A plain static server: no directory
 * listings, nothing outside out/web, the page's CSP also sent as a header.
 *
 * Usage: node apps/lab/scripts/serve-web.mjs [--port 5178] [--dir out/web]
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export const WEB_DIR = resolve(here, '..', 'out', 'web');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

/** Starts the server; resolves with its URL once it listens. Tries the next ports if one is taken. */
export async function serveWeb({
  port = 5178,
  dir = WEB_DIR,
  host = '127.0.0.1',
  tries = 20,
} = {}) {
  await stat(join(dir, 'index.html')).catch(() => {
    throw new Error(`no web build at ${dir}: run "npm run build:web -w @optlab/lab" first`);
  });
  const root = resolve(dir);
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', `http://${host}`);
      const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
      let file = resolve(root, relative || 'index.html');
      if (file !== root && !file.startsWith(root + sep)) {
        response.writeHead(403).end('forbidden');
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      createReadStream(file).pipe(response);
    } catch {
      response.writeHead(400).end('bad request');
    }
  });
  for (let attempt = 0; attempt < tries; attempt++) {
    const candidate = port + attempt;
    const ok = await new Promise((done) => {
      server.once('error', () => done(false));
      server.listen(candidate, host, () => done(true));
    });
    if (ok) return { url: `http://${host}:${candidate}/`, close: () => server.close() };
  }
  throw new Error(`no free port from ${port} to ${port + tries - 1}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const { url } = await serveWeb({
    port: Number(value('--port') ?? process.env.PORT ?? 5178),
    dir: value('--dir') ? resolve(value('--dir')) : WEB_DIR,
    tries: value('--port') ? 1 : 20,
  });
  console.log(`OptLab web build: ${url}`);
}
