import { describe, expect, it, vi } from 'vitest';
import {
  formatBytes,
  LAB_DATA_FILE_LIMIT_BYTES,
  readDataFile,
  type PickedFile,
} from '../src/renderer/src/lib/data-file.js';

function file(
  name: string,
  bytes: Uint8Array,
  size = bytes.length,
): PickedFile & { read: ReturnType<typeof vi.fn> } {
  const read = vi.fn(async () => bytes.slice().buffer);
  return { name, size, arrayBuffer: read, read };
}

describe('a picked data file', () => {
  it('is capped at 64 MiB', () => {
    expect(LAB_DATA_FILE_LIMIT_BYTES).toBe(64 * 1024 * 1024);
    expect(formatBytes(LAB_DATA_FILE_LIMIT_BYTES)).toBe('64 MiB');
  });

  it('is refused from its size, before a byte is read', async () => {
    const big = file('big.csv', new Uint8Array(0), 100 * 2 ** 20);
    expect(await readDataFile(big)).toEqual({
      ok: false,
      error:
        'big.csv is 100 MiB; the lab reads files up to 64 MiB (the CLI reads larger ones: optlab run spec.json --data big.csv)',
    });
    expect(big.read).not.toHaveBeenCalled();
    // One byte over is refused too.
    expect(
      await readDataFile(file('edge.csv', new Uint8Array(0), LAB_DATA_FILE_LIMIT_BYTES + 1)),
    ).toMatchObject({ ok: false });
    const small = file('small.csv', new TextEncoder().encode('a,b\n1,2\n'), 2048);
    expect(await readDataFile(small, 1024)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^small\.csv is 2 KiB; the lab reads files up to 1 KiB/),
    });
  });

  it('is decoded as strict UTF-8, naming the offset of the first invalid byte', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('x,y\n1,é\n'), 0xff, 0x0a]);
    expect(await readDataFile(file('latin.csv', bytes))).toEqual({
      ok: false,
      error: 'latin.csv: invalid UTF-8 at byte 9 (save the file as UTF-8)',
    });
    expect(await readDataFile(file('ok.csv', new TextEncoder().encode('x,y\n1,é\n')))).toEqual({
      ok: true,
      text: 'x,y\n1,é\n',
    });
  });

  it('says so when the file cannot be read', async () => {
    const gone: PickedFile = {
      name: 'gone.csv',
      size: 10,
      arrayBuffer: () => Promise.reject(new Error('NotReadableError')),
    };
    expect(await readDataFile(gone)).toEqual({
      ok: false,
      error: 'gone.csv could not be read: NotReadableError',
    });
  });
});
