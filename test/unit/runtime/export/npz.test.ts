/** The .npy/.npz writer (read back by NumPy itself) and the axis transpose used for PyTorch layouts. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { crc32, encodeNpy, encodeNpz, transposeBytes, type NpyArray } from '../../../../runtime/export/npz.js';
import { python, pythonWith } from './fixture.js';

const f32 = (shape: number[], values: number[]): NpyArray => ({ dtype: 'float32', shape, bytes: new Uint8Array(new Float32Array(values).buffer) });

describe('npy/npz writer', () => {
  test('CRC-32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  test('.npy header is 64-byte aligned and ends in a newline', () => {
    const npy = encodeNpy(f32([2, 3], [1, 2, 3, 4, 5, 6]));
    const headerLen = new DataView(npy.buffer).getUint16(8, true);
    expect((10 + headerLen) % 64).toBe(0);
    expect(new TextDecoder().decode(npy.subarray(10, 10 + headerLen))).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect(npy.byteLength).toBe(10 + headerLen + 24);
  });

  test('transposeBytes moves axes (HWIO → OIHW on a 2x1x1x3 kernel, 2-D transpose)', () => {
    const t = (bytes: Uint8Array) => Array.from(new Float32Array(bytes.buffer));
    expect(t(transposeBytes(f32([2, 3], [1, 2, 3, 4, 5, 6]).bytes, [2, 3], [1, 0]))).toEqual([1, 4, 2, 5, 3, 6]);
    // kernel[h][0][0][o] = 10 h + o → out[o][0][h][0]
    expect(t(transposeBytes(f32([2, 1, 1, 3], [0, 1, 2, 10, 11, 12]).bytes, [2, 1, 1, 3], [3, 2, 0, 1]))).toEqual([0, 10, 1, 11, 2, 12]);
  });

  const numpy = pythonWith('numpy');
  test.skipIf(!numpy.ok)(numpy.ok ? 'numpy.load reads every array back (float32, int32, 0-D int64, names with /)' : `numpy.load check (SKIPPED: ${'why' in numpy ? numpy.why : ''})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-npz-'));
    const arrays = new Map<string, NpyArray>([
      ['conv1.weight', f32([2, 3], [1, -2, 3.5, 4, 5, 6])],
      ['b2_res1/conv1/kernel', f32([1], [7])],
      ['count', { dtype: 'int64', shape: [], bytes: new Uint8Array(new BigInt64Array([42n]).buffer) }],
      ['ids', { dtype: 'int32', shape: [3], bytes: new Uint8Array(new Int32Array([-1, 0, 9]).buffer) }],
    ]);
    writeFileSync(join(dir, 'w.npz'), encodeNpz(arrays));
    const r = python('import numpy as np, json; d = np.load("w.npz"); print(json.dumps({k: [str(d[k].dtype), list(d[k].shape), d[k].tolist()] for k in d.files}))', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      'conv1.weight': ['float32', [2, 3], [[1, -2, 3.5], [4, 5, 6]]],
      'b2_res1/conv1/kernel': ['float32', [1], [7]],
      count: ['int64', [], 42],
      ids: ['int32', [3], [-1, 0, 9]],
    });
  });
});
