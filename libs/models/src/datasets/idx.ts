import { ModelsError } from '../options.js';

/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"):
 * a 4-byte magic number (two zero bytes, a type code, the number of dimensions), one big-endian
 * uint32 size per dimension, then the values, big-endian, in row-major order. Parsed from bytes,
 * so the same code runs in Node and in a browser worker; the host reads the files.
 */

/** IDX type codes and the byte size of one value. */
const TYPES: Readonly<Record<number, { name: string; bytes: number }>> = {
  0x08: { name: 'unsigned byte', bytes: 1 },
  0x09: { name: 'signed byte', bytes: 1 },
  0x0b: { name: 'short (16 bits)', bytes: 2 },
  0x0c: { name: 'int (32 bits)', bytes: 4 },
  0x0d: { name: 'float (32 bits)', bytes: 4 },
  0x0e: { name: 'double (64 bits)', bytes: 8 },
};

/**
 * Largest IDX contents after decompression: Fashion-MNIST's training images are 47 MB, so this
 * leaves room for larger MNIST-format sets while a gzip bomb cannot fill the memory.
 */
export const IDX_MAX_BYTES = 512 * 2 ** 20;

export interface IdxArray {
  /** Type code (0x08 unsigned byte, …). */
  readonly type: number;
  readonly dims: readonly number[];
  /** The values in row-major order: the bytes themselves for unsigned bytes. */
  readonly values: ArrayLike<number>;
}

/** Whether `bytes` start with gzip's magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The bytes of a gzip file decompressed with the platform's DecompressionStream (Node ≥ 18,
 * every current browser), so no library is needed; bytes without gzip's magic number are
 * returned as they are. `file` names the file in errors.
 */
export async function gunzipIfNeeded(
  bytes: Uint8Array,
  file: string,
  limitBytes = IDX_MAX_BYTES,
): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limitBytes) {
        await reader.cancel();
        throw new ModelsError(
          `${file}: decompresses to more than ${limitBytes} bytes, over the limit for an IDX file`,
        );
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof ModelsError) throw err;
    throw new ModelsError(
      `${file}: not a valid gzip file (${(err as Error).message}); it may be truncated or corrupt`,
    );
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Parses one IDX file (already decompressed). Errors name `file` and what is wrong: a wrong magic
 * number (with what was found), an unknown type code, or a size that disagrees with the header
 * (expected and actual bytes).
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) {
    throw new ModelsError(
      `${file}: truncated IDX file: ${bytes.length} bytes, shorter than the 4-byte magic number`,
    );
  }
  const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const type = TYPES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[3] === 0 || !type) {
    throw new ModelsError(
      `${file}: not an IDX file: wrong magic number ${magic} (expected 00 00, a type code 08/09/0b/0c/0d/0e, and the number of dimensions)`,
    );
  }
  const rank = bytes[3];
  const header = 4 + 4 * rank;
  if (bytes.length < header) {
    throw new ModelsError(
      `${file}: truncated IDX file: the header of ${rank} dimensions needs ${header} bytes, the file has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < rank; d++) {
    dims.push(view.getUint32(4 + 4 * d, false));
    count *= dims[d];
  }
  const expected = header + count * type.bytes;
  if (bytes.length !== expected) {
    const what =
      bytes.length < expected ? 'truncated IDX file' : 'IDX file longer than its header says';
    throw new ModelsError(
      `${file}: ${what}: dimensions ${dims.join(' × ')} of ${type.name} need ${expected} bytes, the file has ${bytes.length}`,
    );
  }
  return { type: bytes[2], dims, values: readValues(bytes, view, header, count, bytes[2]) };
}

function readValues(
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  count: number,
  type: number,
): ArrayLike<number> {
  if (type === 0x08) return bytes.subarray(offset, offset + count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    switch (type) {
      case 0x09:
        out[i] = view.getInt8(offset + i);
        break;
      case 0x0b:
        out[i] = view.getInt16(offset + 2 * i, false);
        break;
      case 0x0c:
        out[i] = view.getInt32(offset + 4 * i, false);
        break;
      case 0x0d:
        out[i] = view.getFloat32(offset + 4 * i, false);
        break;
      default:
        out[i] = view.getFloat64(offset + 8 * i, false);
    }
  }
  return out;
}
