// The app:// protocol that serves the renderer's build to the desktop window, run in Node on a
// temporary build folder (it speaks the Fetch API's Request/Response, as protocol.handle does).
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolHandler } from '../src/main/protocol.js';
import { CONTENT_SECURITY_POLICY_HEADER } from '../src/main/security.js';

let base: string;
let handler: (request: Request) => Promise<Response>;

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'optlab-protocol-'));
  const renderer = join(base, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><p>lab</p>');
  await writeFile(join(renderer, 'assets', 'run.worker.js'), 'self.onmessage = null;');
  await writeFile(join(renderer, 'assets', 'Icon.PNG'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(join(base, 'secret.txt'), 'secret');
  await symlink(join(base, 'secret.txt'), join(renderer, 'assets', 'escape.js'));
  await link(join(base, 'secret.txt'), join(renderer, 'assets', 'hard.js'));
  handler = appProtocolHandler(renderer);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('app:// protocol', () => {
  it('serves the page at the root with the CSP header', async () => {
    const page = await get('app://optlab/');
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html><p>lab</p>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves worker scripts with the same CSP, and types by extension in any case', async () => {
    const worker = await get('app://optlab/assets/run.worker.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(worker.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    const icon = await get('app://optlab/assets/Icon.PNG');
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await icon.arrayBuffer())).toEqual(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    );
  });

  it('refuses other hosts, methods, traversal and links leading out', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://optlab/index.html', 'POST')).status).toBe(405);
    expect((await get('app://optlab/index.html', 'POST')).headers.get('allow')).toBe('GET, HEAD');
    // URL parsing already folds an encoded `..` at the root: it names /secret.txt in the build.
    expect((await get('app://optlab/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('app://optlab/assets/..%2f..%2fsecret.txt')).status).toBe(403);
    const escape = await get('app://optlab/assets/escape.js');
    expect(escape.status).toBe(403);
    expect(await escape.text()).toBe('');
    expect((await get('app://optlab/assets/missing.js')).status).toBe(404);
    expect((await get('app://optlab/assets/')).status).toBe(404);
    expect((await get('app://optlab/%E0%A4%A')).status).toBe(400);
  });

  it('serves a hard-linked file of the build (links are checked in the workspace, not here)', async () => {
    // The build folder is the app's own; only where a file really lies matters.
    expect((await get('app://optlab/assets/hard.js')).status).toBe(200);
  });
});
