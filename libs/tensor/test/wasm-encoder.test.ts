import { describe, expect, it } from 'vitest';
import {
  encodeModule,
  instantiate,
  op,
  sleb,
  uleb,
  ValType,
  wasmSimdSupported,
} from '../src/wasm/encoder.js';

describe('wasm encoder', () => {
  it('encodes LEB128 as the spec’s examples do', () => {
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb(0)).toEqual([0x00]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-65)).toEqual([0xbf, 0x7f]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(() => uleb(-1)).toThrow('uleb: -1 is not a u32');
    expect(() => sleb(0.5)).toThrow('sleb: 0.5 is not an integer');
  });

  it('writes a module header and sections the engine validates and runs', () => {
    const bytes = encodeModule([
      {
        // out[0] = a[0]·2 + a[1] through f32x4 lanes: exercises loads, SIMD and stores.
        name: 'twice',
        params: [ValType.i32, ValType.i32],
        locals: [ValType.v128],
        body: [
          op.localGet(0),
          op.v128Load(),
          op.f32x4Const(2),
          op.f32x4Mul(),
          op.localSet(2),
          op.localGet(1),
          op.localGet(2),
          op.f32x4ExtractLane(0),
          op.localGet(0),
          op.f32Load(4),
          op.f32Add(),
          op.f32Store(),
        ],
      },
    ]);
    expect([...bytes.slice(0, 8)]).toEqual([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const f32 = new Float32Array(memory.buffer);
    f32.set([1.5, 4, 0, 0], 4);
    (instantiate(bytes, memory).twice as (a: number, b: number) => void)(16, 64);
    expect(f32[16]).toBe(7);
  });

  it('a module with a bad body does not validate', () => {
    const bytes = encodeModule([{ name: 'bad', params: [], locals: [], body: [op.f32x4Add()] }]);
    expect(WebAssembly.validate(bytes)).toBe(false);
  });

  it('Node 20 runs WebAssembly SIMD', () => {
    expect(wasmSimdSupported()).toBe(true);
  });
});
