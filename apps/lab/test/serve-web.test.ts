// The static server behind `npm start` (without Electron) and the E2E tests, started on an
// ephemeral port against a temporary build folder. Errors must answer one request, never end the
// server; only loopback Host names, GET and HEAD are served; the page's CSP goes out as a header.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Simulated faults: an unreadable file (root reads anything, so EACCES is injected at open) and a
// descriptor whose read fails after the headers went out.
const faults = vi.hoisted(() => ({ eacces: new Set<string>(), failingRead: new Set<string>() }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    open: async (path: string, flags?: string) => {
      if ([...faults.eacces].some((name) => path.endsWith(name))) {
        throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), {
          code: 'EACCES',
        });
      }
      const handle = await fs.open(path, flags);
      if ([...faults.failingRead].some((name) => path.endsWith(name))) {
        handle.createReadStream = () => {
          void handle.close();
          return new Readable({
            read() {
              this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
            },
          }) as ReturnType<typeof handle.createReadStream>;
        };
      }
      return handle;
    },
  };
});

const { isLoopbackHost, parsePort, requestedPort, serveWeb } =
  await import('../scripts/serve-web.mjs');

const POLICY = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'";
const serverScript = join(import.meta.dirname, '..', 'scripts', 'serve-web.mjs');

let base: string;
let web: string;
let server: { url: string; port: number; close: () => Promise<void> };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  aborted: boolean;
}

/** One raw request (any method, any Host header), so the tests can send what browsers would not. */
function send(path: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  return new Promise((done) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${server.port}` },
      },
      (res) => {
        let body = '';
        let aborted = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('aborted', () => (aborted = true));
        res.on('error', () => (aborted = true));
        res.on('close', () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body, aborted }),
        );
      },
    );
    // A connection the server drops (a read that failed after the headers) is an aborted answer.
    req.on('error', () => done({ status: 0, headers: {}, body: '', aborted: true }));
    req.end();
  });
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'optlab-serve-'));
  web = join(base, 'web');
  await mkdir(join(web, 'assets'), { recursive: true });
  await writeFile(
    join(web, 'index.html'),
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="${POLICY}" /><p>lab</p>`,
  );
  await writeFile(join(web, 'assets', 'run-worker.js'), 'self.onmessage = () => {};');
  await writeFile(join(web, 'assets', 'locked.js'), 'secret');
  await writeFile(join(web, 'assets', 'flaky.js'), 'x'.repeat(1 << 20));
  await writeFile(join(base, 'outside.txt'), 'outside');
  await mkdir(join(web, 'assets', 'folder.js'));
  await symlink(join(web, 'assets', 'gone.js'), join(web, 'assets', 'dangling.js'));
  await symlink(join(base, 'outside.txt'), join(web, 'assets', 'escape.js'));
  // stat() calls it a regular file, and reading it fails (EIO): the old server died on it.
  await symlink('/proc/self/mem', join(web, 'assets', 'mem.js'));
  faults.eacces.add('locked.js');
  faults.failingRead.add('flaky.js');
  server = await serveWeb({ port: 0, dir: web });
});

afterAll(async () => {
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

describe('serve-web', () => {
  it('serves the page with its CSP (plus frame-ancestors) as a header', async () => {
    const page = await send('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<p>lab</p>');
    expect(page.headers['content-security-policy']).toBe(`${POLICY}; frame-ancestors 'none'`);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('sends the same CSP on worker scripts', async () => {
    const worker = await send('/assets/run-worker.js');
    expect(worker.status).toBe(200);
    expect(worker.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(worker.headers['content-security-policy']).toBe(`${POLICY}; frame-ancestors 'none'`);
    expect(worker.body).toBe('self.onmessage = () => {};');
  });

  it('answers HEAD with the headers only', async () => {
    const head = await send('/assets/run-worker.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('26');
    expect(head.body).toBe('');
  });

  it('refuses every other method with 405 and Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const answer = await send('/index.html', { method });
      expect(answer.status, method).toBe(405);
      expect(answer.headers['allow']).toBe('GET, HEAD');
    }
  });

  it('refuses a Host that is not this server on a loopback name (DNS rebinding)', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      '127.0.0.1',
      `127.0.0.1:${server.port + 1}`,
      `localhost.evil.example:${server.port}`,
      `127.0.0.2:${server.port}`,
    ]) {
      const answer = await send('/', { host });
      expect(answer.status, host).toBe(421);
      expect(answer.body).not.toContain('lab');
    }
    for (const host of [
      `localhost:${server.port}`,
      `[::1]:${server.port}`,
      `LOCALHOST:${server.port}`,
    ]) {
      expect((await send('/', { host })).status, host).toBe(200);
    }
  });

  it('answers missing files, dangling links and folders without an index with 404', async () => {
    expect((await send('/assets/missing.js')).status).toBe(404);
    expect((await send('/assets/dangling.js')).status).toBe(404);
    expect((await send('/assets/folder.js')).status).toBe(404);
  });

  it('answers an unreadable file with 403 and keeps serving', async () => {
    const answer = await send('/assets/locked.js');
    expect(answer.status).toBe(403);
    expect(answer.body).toBe('forbidden');
    expect((await send('/')).status).toBe(200);
  });

  it('refuses links that lead out of the build folder, and a read error never ends the server', async () => {
    expect((await send('/assets/escape.js')).status).toBe(403);
    expect((await send('/assets/mem.js')).status).toBe(403);
    expect((await send('/')).status).toBe(200);
  });

  it('aborts only the one response whose read fails after the headers went out', async () => {
    const answer = await send('/assets/flaky.js');
    expect(answer.aborted).toBe(true);
    expect(answer.body.length).toBeLessThan(1 << 20);
    expect((await send('/assets/run-worker.js')).status).toBe(200);
  });

  it('still refuses path traversal, encoded or not', async () => {
    for (const path of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/..%5coutside.txt',
    ]) {
      const answer = await send(path);
      expect([403, 404], path).toContain(answer.status);
      expect(answer.body).not.toContain('outside');
    }
    expect((await send('/%E0%A4%A')).status).toBe(400);
    expect((await send('/index.html%00.js')).status).toBe(400);
  });
});

describe('serve-web ports', () => {
  it('reads a port or says what is wrong with it', () => {
    expect(parsePort('5178', '--port')).toBe(5178);
    expect(() => parsePort('abc', 'PORT')).toThrow(
      'PORT must be a port number from 1 to 65535, got "abc"',
    );
    expect(() => parsePort('70000', '--port')).toThrow(
      '--port must be a port number from 1 to 65535, got 70000',
    );
    expect(() => parsePort('', '--port')).toThrow('got ""');
    expect(requestedPort(['--port', '4000'], { PORT: '5000' })).toEqual({
      port: 4000,
      exact: true,
    });
    expect(requestedPort([], { PORT: '5000' })).toEqual({ port: 5000, exact: true });
    expect(requestedPort([], {})).toEqual({ port: 5178, exact: false });
  });

  it('accepts only loopback names with the port', () => {
    expect(isLoopbackHost('127.0.0.1:80', 80)).toBe(true);
    expect(isLoopbackHost('localhost', 80)).toBe(true);
    expect(isLoopbackHost('localhost', 8080)).toBe(false);
    expect(isLoopbackHost(undefined, 8080)).toBe(false);
  });

  /** Runs the server's command line; resolves with its exit code and output. */
  function runServer(args: string[], env: Record<string, string> = {}) {
    return new Promise<{ code: number | null; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [serverScript, '--dir', web, ...args],
        { env: { ...process.env, PORT: '', ...env }, timeout: 20_000 },
        (error, _stdout, stderr) => done({ code: error ? (error.code as number) : 0, stderr }),
      );
    });
  }

  it('exits 2 with one clear line when --port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await runServer(['--port', String(taken)]);
      expect(code).toBe(2);
      expect(stderr).toBe(
        `serve-web: port ${taken} on 127.0.0.1 is already in use; choose another with --port or PORT\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it('exits 2 with one clear line for PORT=abc', async () => {
    const { code, stderr } = await runServer([], { PORT: 'abc' });
    expect(code).toBe(2);
    expect(stderr).toBe('serve-web: PORT must be a port number from 1 to 65535, got "abc"\n');
  });

  // Without an Electron binary (as here and on CI) `npm start` serves the web build: a bad PORT is
  // refused before the build starts.
  it.skipIf(hasElectronBinary())('npm start exits 2 with one clear line for PORT=abc', async () => {
    const start = join(import.meta.dirname, '..', '..', '..', 'tools', 'scripts', 'start.mjs');
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((done) => {
      execFile(
        process.execPath,
        [start],
        { env: { ...process.env, PORT: 'abc' }, timeout: 20_000 },
        (error, out, err) =>
          done({ code: error ? (error.code as number) : 0, stdout: out, stderr: err }),
      );
    });
    expect(code).toBe(2);
    expect(stderr).toBe('npm start: PORT must be a port number from 1 to 65535, got "abc"\n');
    expect(stdout).not.toContain('Building');
  });
});

function hasElectronBinary(): boolean {
  try {
    const path: unknown = createRequire(join(import.meta.dirname, '..', 'package.json'))(
      'electron',
    );
    return typeof path === 'string' && existsSync(path);
  } catch {
    return false;
  }
}
