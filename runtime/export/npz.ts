/**
 * NumPy's `.npy` and `.npz` formats, written without NumPy: the PyTorch and Keras exports store
 * their weights as one `.npz` because `numpy.load` reads it everywhere PyTorch or TensorFlow
 * runs, with no extra package (Debian's python3-torch has no safetensors).
 */

export interface NpyArray {
  readonly dtype: 'float32' | 'int32' | 'int64';
  readonly shape: readonly number[];
  /** Little-endian, C order. */
  readonly bytes: Uint8Array;
}

const descr = { float32: '<f4', int32: '<i4', int64: '<i8' } as const;

/** One `.npy` file (format version 1.0). */
export function encodeNpy(a: NpyArray): Uint8Array {
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  const dict = `{'descr': '${descr[a.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to 64 bytes and ended by \n.
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + a.bytes.byteLength);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(a.bytes, total);
  return out;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A `.npz`: an uncompressed ZIP of `<key>.npy` members. `numpy.load(path)[key]` returns each array.
 * Stored, not deflated: weights barely compress and this keeps the writer small.
 */
export function encodeNpz(arrays: ReadonlyMap<string, NpyArray>): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [key, array] of arrays) {
    const name = enc.encode(`${key}.npy`);
    const data = encodeNpy(array);
    const crc = crc32(data);
    if (data.byteLength >= 0xffffffff || offset >= 0xffffffff) throw new Error('npz: over 4 GiB needs ZIP64, which this writer does not do');
    const local = new Uint8Array(30 + name.byteLength);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true); // version needed
    l.setUint16(6, 0x0800, true); // flags: UTF-8 names
    l.setUint16(8, 0, true); // method: stored
    l.setUint32(10, 0x00210000, true); // DOS time/date: 1980-01-01, fixed so exports are reproducible
    l.setUint32(14, crc, true);
    l.setUint32(18, data.byteLength, true);
    l.setUint32(22, data.byteLength, true);
    l.setUint16(26, name.byteLength, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.byteLength);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(8, 0x0800, true);
    c.setUint16(10, 0, true);
    c.setUint32(12, 0x00210000, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, data.byteLength, true);
    c.setUint32(24, data.byteLength, true);
    c.setUint16(28, name.byteLength, true);
    c.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, data);
    centrals.push(central);
    offset += local.byteLength + data.byteLength;
  }
  const centralSize = centrals.reduce((n, c) => n + c.byteLength, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, centrals.length, true);
  e.setUint16(10, centrals.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  const parts = [...locals, ...centrals, end];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Reorders a C-order float32/int32 array's axes: `perm[i]` is the source axis of output axis i. */
export function transposeBytes(bytes: Uint8Array, shape: readonly number[], perm: readonly number[]): Uint8Array {
  const src = new Uint32Array(bytes.slice().buffer);
  const out = new Uint32Array(src.length);
  const outShape = perm.map((p) => shape[p]!);
  const srcStrides = strides(shape);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let a = 0; a < perm.length; a++) s += index[a]! * srcStrides[perm[a]!]!;
    out[i] = src[s]!;
    for (let a = perm.length - 1; a >= 0; a--) {
      if (++index[a]! < outShape[a]!) break;
      index[a] = 0;
    }
  }
  return new Uint8Array(out.buffer);
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}
