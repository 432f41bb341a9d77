/**
 * safetensors: our reader parses what our writer wrote (header layout checked byte by byte),
 * and an exported run holds exactly the TF.js weights, byte for byte, under `<nodeId>.<weight>`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { exportRun } from '../../../../runtime/export/index.js';
import { decodeSafetensors, encodeSafetensors } from '../../../../runtime/export/safetensors.js';
import { fixtureRun, python, pythonWith, template } from './fixture.js';

const f32 = (...v: number[]) => new Uint8Array(new Float32Array(v).buffer);

describe('safetensors container', () => {
  test('8-byte little-endian header length, JSON header with offsets, 8-byte aligned data', () => {
    const file = encodeSafetensors(
      [
        { name: 'a', dtype: 'F32', shape: [3], bytes: f32(1, 2, 3) },
        { name: 'b', dtype: 'I32', shape: [1, 1], bytes: new Uint8Array(new Int32Array([-5]).buffer) },
      ],
      { format: 'tfjs' },
    );
    const n = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n)));
    expect(header).toEqual({
      __metadata__: { format: 'tfjs' },
      a: { dtype: 'F32', shape: [3], data_offsets: [0, 12] },
      b: { dtype: 'I32', shape: [1, 1], data_offsets: [12, 16] },
    });
    expect(file.byteLength).toBe(8 + n + 16);
    expect(Array.from(new Float32Array(file.slice(8 + n, 8 + n + 12).buffer))).toEqual([1, 2, 3]);
    const back = decodeSafetensors(file);
    expect(back.metadata).toEqual({ format: 'tfjs' });
    expect(back.tensors.map((t) => [t.name, t.dtype, t.shape, Array.from(t.bytes)])).toEqual([
      ['a', 'F32', [3], Array.from(f32(1, 2, 3))],
      ['b', 'I32', [1, 1], Array.from(new Uint8Array(new Int32Array([-5]).buffer))],
    ]);
  });

  test('the reader rejects byte ranges outside the data and truncated headers', () => {
    const file = encodeSafetensors([{ name: 'a', dtype: 'F32', shape: [2], bytes: f32(1, 2) }], {});
    expect(() => decodeSafetensors(file.slice(0, file.byteLength - 4))).toThrow(/outside the data/);
    expect(() => decodeSafetensors(file.slice(0, 12))).toThrow(/past the end/);
  });
});

describe('safetensors export', () => {
  test('holds every TF.js weight byte for byte, named <nodeId>.<weight>, with format and graph name', async () => {
    const run = await fixtureRun(template('resnet18'), 11, 1);
    const { files } = exportRun(run.dir, 'safetensors', join(run.dir, 'st'));
    const decoded = decodeSafetensors(readFileSync(files[0]!));
    expect(decoded.metadata).toMatchObject({ format: 'tfjs', graph: 'ResNet-18' });

    const manifest = JSON.parse(readFileSync(join(run.dir, 'final', 'model.json'), 'utf8')).weightsManifest[0].weights as { name: string; shape: number[] }[];
    const bin = readFileSync(join(run.dir, 'final', 'weights.bin'));
    expect(decoded.tensors.length).toBe(manifest.length);
    let offset = 0;
    for (const [i, w] of manifest.entries()) {
      const t = decoded.tensors[i]!;
      const size = 4 * w.shape.reduce((a, b) => a * b, 1);
      // TF.js names layers with '/' replaced: b2_res1__conv1/kernel is node b2_res1/conv1's kernel.
      expect(t.name).toBe(w.name.replace('__', '/').replace(/\/(?=[^/]*$)/, '.'));
      expect(t.shape).toEqual(w.shape);
      expect(Buffer.from(t.bytes).equals(bin.subarray(offset, offset + size))).toBe(true);
      offset += size;
    }
    expect(offset).toBe(bin.byteLength);
    expect(decoded.tensors.map((t) => t.name)).toContain('b2_res1/conv1.kernel');
  });

  const numpy = pythonWith('numpy, json');
  test.skipIf(!numpy.ok)(numpy.ok ? 'NumPy reads the file with the documented header layout' : `NumPy check (SKIPPED: ${'why' in numpy ? numpy.why : ''})`, async () => {
    const run = await fixtureRun(template('mlp'), 12, 1);
    const { files } = exportRun(run.dir, 'safetensors', join(run.dir, 'st'));
    // A safetensors reader written from the format description, independent of ours.
    const r = python(
      [
        'import json, struct, numpy as np',
        `b = open(${JSON.stringify(files[0])}, "rb").read()`,
        'n = struct.unpack("<Q", b[:8])[0]',
        'h = json.loads(b[8:8 + n])',
        'k = h["hidden.kernel"]',
        'a = np.frombuffer(b[8 + n + k["data_offsets"][0]:8 + n + k["data_offsets"][1]], dtype="<f4").reshape(k["shape"])',
        'print(json.dumps({"shape": list(a.shape), "sum": float(a.astype(np.float64).sum())}))',
      ].join('\n'),
    );
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { shape: number[]; sum: number };
    const manifest = JSON.parse(readFileSync(join(run.dir, 'final', 'model.json'), 'utf8')).weightsManifest[0].weights as { name: string; shape: number[] }[];
    expect(got.shape).toEqual(manifest.find((w) => w.name === 'hidden/kernel')!.shape);
    const bin = readFileSync(join(run.dir, 'final', 'weights.bin'));
    const kernel = new Float32Array(bin.buffer, bin.byteOffset, got.shape[0]! * got.shape[1]!);
    expect(got.sum).toBeCloseTo(kernel.reduce((a, b) => a + b, 0), 3);
  });
});
