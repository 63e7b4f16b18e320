/**
 * The Content-Type of each file type the lab's build holds: one table for the web server
 * (serve-web.mjs) and the desktop shell's app:// protocol (src/main/protocol.ts).
 */
export const CONTENT_TYPES = {
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

/** The Content-Type for a path, by its extension (any case); unknown types are plain bytes. */
export function contentTypeOf(path) {
  const dot = path.lastIndexOf('.');
  const extension = dot > path.lastIndexOf('/') ? path.slice(dot).toLowerCase() : '';
  return Object.hasOwn(CONTENT_TYPES, extension)
    ? CONTENT_TYPES[extension]
    : 'application/octet-stream';
}
