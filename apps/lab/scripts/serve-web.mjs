#!/usr/bin/env node
/**
 * Serves the lab's web build (out/web) on 127.0.0.1: what `npm start` runs where there is no
 * Electron binary, and what the end-to-end tests load. A plain static server, hardened because
 * any web page the user visits can send requests to it (docs/decisions/0010):
 *
 * - GET and HEAD only (405 with `Allow` otherwise);
 * - the Host header must name this server on a loopback name (127.0.0.1, localhost, [::1]) with
 *   its port, so a DNS-rebinding page cannot read it (421 otherwise);
 * - nothing outside out/web: `..` and links leading out of it are refused (403), no listings;
 * - each file is opened once and served from that descriptor, so a file removed or replaced by a
 *   rebuild between the check and the read cannot fail the stream; any error (missing: 404,
 *   unreadable: 403, else 500) answers that one request and the server keeps running;
 * - the page's Content-Security-Policy (its meta tag in index.html) is sent as a header on every
 *   response, so the run workers' scripts are held to it too, plus `frame-ancestors 'none'`,
 *   which only a header can carry.
 *
 * Usage: node apps/lab/scripts/serve-web.mjs [--port 5178] [--dir out/web]
 * A port given with --port or PORT is used or refused (exit 2); the default tries the next 19.
 */
import { open, readFile, realpath } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { contentTypeOf } from './content-types.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const WEB_DIR = resolve(here, '..', 'out', 'web');
export const DEFAULT_PORT = 5178;

const ALLOWED_METHODS = 'GET, HEAD';
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** A problem the user can fix (a bad or taken port, no build): one line, exit 2, no stack. */
export class ServeError extends Error {
  name = 'ServeError';
}

/** Reads a TCP port (1–65535) from text; `source` names where it came from in the error. */
export function parsePort(text, source) {
  if (!/^\d{1,5}$/.test(String(text).trim())) {
    throw new ServeError(
      `${source} must be a port number from 1 to 65535, got ${JSON.stringify(text)}`,
    );
  }
  const port = Number(text);
  if (port < 1 || port > 65535) {
    throw new ServeError(`${source} must be a port number from 1 to 65535, got ${port}`);
  }
  return port;
}

/** The Content-Security-Policy of the built page (its meta tag), which the headers repeat. */
async function pagePolicy(root) {
  const html = await readFile(join(root, 'index.html'), 'utf8').catch(() => {
    throw new ServeError(`no web build at ${root}: run "npm run build:web -w @optlab/lab" first`);
  });
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  if (!meta)
    throw new ServeError(`${join(root, 'index.html')} has no Content-Security-Policy meta tag`);
  return meta[1];
}

/** True when the Host header names this server on a loopback name (DNS-rebinding guard). */
export function isLoopbackHost(hostHeader, port) {
  if (typeof hostHeader !== 'string') return false;
  const host = hostHeader.toLowerCase();
  return LOOPBACK_NAMES.some(
    (name) => host === `${name}:${port}` || (port === 80 && host === name),
  );
}

/** The HTTP status for a failed open or read. */
function statusOf(error) {
  const code = error?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EISDIR') return 404;
  if (code === 'EACCES' || code === 'EPERM') return 403;
  return 500;
}

const MESSAGES = {
  400: 'bad request',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  421: 'misdirected request: this server answers only to 127.0.0.1, localhost and [::1]',
  500: 'server error',
};

/**
 * Opens the file a URL path names under `root` (a real, link-free path), following a folder to its
 * index.html. Resolves with { handle, size, path } for a regular file inside `root`, or { status }.
 */
async function openInside(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0')) return { status: 400 };
  let file = resolve(root, '.' + sep + decoded.replace(/^[/\\]+/, ''));
  for (let depth = 0; depth < 2; depth++) {
    if (file !== root && !file.startsWith(root + sep)) return { status: 403 };
    let real;
    try {
      real = await realpath(file);
    } catch (error) {
      return { status: statusOf(error) };
    }
    // A link inside the build must not lead out of it.
    if (real !== root && !real.startsWith(root + sep)) return { status: 403 };
    let handle;
    try {
      handle = await open(real, 'r');
    } catch (error) {
      return { status: statusOf(error) };
    }
    // From here on only the descriptor is used: what was checked is what is read.
    try {
      const info = await handle.stat();
      if (info.isFile()) return { handle, size: info.size, path: real };
      await handle.close();
      if (!info.isDirectory()) return { status: 404 };
    } catch (error) {
      await handle.close().catch(() => {});
      return { status: statusOf(error) };
    }
    file = join(real, 'index.html');
  }
  return { status: 404 };
}

/** Starts the server; resolves with { url, port, close } once it listens. */
export async function serveWeb({
  port = DEFAULT_PORT,
  dir = WEB_DIR,
  host = '127.0.0.1',
  tries = 20,
} = {}) {
  const root = await realpath(resolve(dir)).catch(() => {
    throw new ServeError(
      `no web build at ${resolve(dir)}: run "npm run build:web -w @optlab/lab" first`,
    );
  });
  const policy = `${await pagePolicy(root)}; frame-ancestors 'none'`;
  let listening = 0;

  const common = {
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
  const refuse = (response, status, extra = {}) => {
    const body = MESSAGES[status] ?? 'error';
    response
      .writeHead(status, {
        ...common,
        ...extra,
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      })
      .end(response.req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer(async (request, response) => {
    try {
      if (!isLoopbackHost(request.headers.host, listening)) {
        refuse(response, 421);
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        refuse(response, 405, { allow: ALLOWED_METHODS });
        return;
      }
      const { pathname } = new URL(request.url ?? '/', 'http://localhost');
      const found = await openInside(root, pathname);
      if (!found.handle) {
        refuse(response, found.status);
        return;
      }
      const { handle, size, path } = found;
      response.writeHead(200, {
        ...common,
        'content-type': contentTypeOf(path),
        'content-length': size,
      });
      if (request.method === 'HEAD' || size === 0) {
        await handle.close();
        response.end();
        return;
      }
      // pipeline closes the descriptor and, on a read error after the headers went out, aborts
      // this one response; the error never reaches the process.
      pipeline(
        handle.createReadStream({ end: Math.max(size - 1, 0), autoClose: true }),
        response,
        () => {},
      );
    } catch {
      if (response.headersSent) response.destroy();
      else refuse(response, 500);
    }
  });

  let lastError;
  for (let attempt = 0; attempt < tries; attempt++) {
    const candidate = port === 0 ? 0 : port + attempt;
    if (candidate > 65535) break;
    const error = await new Promise((done) => {
      server.once('error', done);
      server.listen(candidate, host, () => {
        server.off('error', done);
        done(null);
      });
    });
    if (!error) {
      listening = server.address().port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return {
        url: `http://${shownHost}:${listening}/`,
        port: listening,
        close: () => new Promise((done) => server.close(() => done())),
      };
    }
    lastError = error;
    if (error.code !== 'EADDRINUSE') break;
  }
  const last = Math.min(port + tries - 1, 65535);
  if (lastError?.code === 'EADDRINUSE') {
    throw new ServeError(
      tries === 1
        ? `port ${port} on ${host} is already in use; choose another with --port or PORT`
        : `no free port on ${host} from ${port} to ${last}; choose one with --port or PORT`,
    );
  }
  throw new ServeError(
    `cannot listen on ${host}:${port}: ${lastError?.code ?? lastError?.message}`,
  );
}

/** The port the command line or PORT asks for, and whether it was asked for (then it is exact). */
export function requestedPort(args, env) {
  const i = args.indexOf('--port');
  if (i >= 0) return { port: parsePort(args[i + 1] ?? '', '--port'), exact: true };
  if (env.PORT !== undefined && env.PORT !== '')
    return { port: parsePort(env.PORT, 'PORT'), exact: true };
  return { port: DEFAULT_PORT, exact: false };
}

/** Runs `main`; a ServeError becomes one line on stderr and exit 2, anything else exit 1. */
export async function runCommand(name, main) {
  try {
    await main();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${name}: ${message}`);
    process.exit(error instanceof ServeError ? 2 : 1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runCommand('serve-web', async () => {
    const args = process.argv.slice(2);
    const { port, exact } = requestedPort(args, process.env);
    const dirIndex = args.indexOf('--dir');
    const { url } = await serveWeb({
      port,
      dir: dirIndex >= 0 && args[dirIndex + 1] ? resolve(args[dirIndex + 1]) : WEB_DIR,
      tries: exact ? 1 : 20,
    });
    console.log(`OptLab web build: ${url}`);
  });
}
