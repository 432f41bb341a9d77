/** Reader for the IDX format (MNIST, Fashion-MNIST): big-endian header, then raw uint8 data. */
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './dataset.js';

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UBYTE = 0x08;

/** Parses IDX bytes (gzip-compressed or not). `what` names the file in error messages. */
export function parseIdx(bytes: Uint8Array, what: string): IdxArray {
  let buf = bytes;
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new DatasetError(`${what} is a damaged gzip file (${(e as Error).message}); delete it so it is downloaded again`, 'E_IDX_GZIP');
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0)
    throw new DatasetError(`${what} is not an IDX file (it does not start with the IDX magic number 0x0000); check that the file is an MNIST-style .idx or .gz`, 'E_IDX_MAGIC');
  const type = buf[2]!;
  const rank = buf[3]!;
  if (type !== UBYTE) throw new DatasetError(`${what} holds IDX type 0x${type.toString(16)}; only unsigned-byte (0x08) images and labels are supported`, 'E_IDX_TYPE');
  if (rank < 1 || rank > 4) throw new DatasetError(`${what} claims ${rank} dimensions; IDX image files have 3 and label files 1`, 'E_IDX_RANK');
  const headerBytes = 4 + 4 * rank;
  if (buf.length < headerBytes) throw new DatasetError(`${what} is truncated inside its header`, 'E_IDX_TRUNCATED');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = buf.length - headerBytes;
  if (actual !== expected)
    throw new DatasetError(
      `${what}: its header says ${dims.join('×')} = ${expected} bytes of data but the file holds ${actual}; the file is ${actual < expected ? 'truncated' : 'longer than its header says'} — download it again`,
      'E_IDX_SIZE',
    );
  return { dims, data: buf.subarray(headerBytes) };
}
