/**
 * The safetensors container (https://huggingface.co/docs/safetensors): an 8-byte little-endian
 * header length, a JSON header naming each tensor's dtype, shape and byte range, then the raw
 * little-endian data. Written and read here without any library.
 */
import { writeFileAtomic } from '../atomicWrite.js';
import type { RunWeights } from './runWeights.js';

export type SafetensorsDtype = 'F32' | 'I32' | 'I64';

export interface NamedTensor {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

interface HeaderEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data_offsets: [number, number];
}

/** Encodes tensors (data laid out back to back in the given order) with string metadata. */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, HeaderEntry | Record<string, string>> = { __metadata__: { ...metadata } };
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name in header) throw new Error(`safetensors: duplicate or reserved tensor name "${t.name}"`);
    header[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + t.bytes.byteLength] };
    offset += t.bytes.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  // The format allows trailing spaces in the header; padding to 8 bytes keeps the data aligned.
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const spaced = new Uint8Array(padded).fill(0x20);
    spaced.set(json);
    json = spaced;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const t of tensors) {
    out.set(t.bytes, at);
    at += t.bytes.byteLength;
  }
  return out;
}

export interface DecodedSafetensors {
  readonly metadata: Record<string, string>;
  readonly tensors: readonly NamedTensor[];
}

/** Parses a safetensors file; throws on a malformed header or byte ranges outside the data. */
export function decodeSafetensors(file: Uint8Array): DecodedSafetensors {
  if (file.byteLength < 8) throw new Error('safetensors: file shorter than its 8-byte header length');
  const n = Number(new DataView(file.buffer, file.byteOffset, 8).getBigUint64(0, true));
  if (8 + n > file.byteLength) throw new Error('safetensors: header length runs past the end of the file');
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, unknown>;
  const data = file.subarray(8 + n);
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors = Object.entries(header)
    .filter(([k]) => k !== '__metadata__')
    .map(([name, v]) => {
      const e = v as HeaderEntry;
      const [start, end] = e.data_offsets;
      if (!(start >= 0 && start <= end && end <= data.byteLength)) throw new Error(`safetensors: ${name} has byte range [${start}, ${end}) outside the data`);
      return { name, dtype: e.dtype, shape: e.shape, bytes: data.slice(start, end) };
    })
    .sort((a, b) => (header[a.name] as HeaderEntry).data_offsets[0] - (header[b.name] as HeaderEntry).data_offsets[0]);
  return { metadata, tensors };
}

/**
 * Writes `model.safetensors`: every weight in TF.js layout (Dense kernel [in, out], Conv2D kernel
 * [height, width, in, out], BatchNormalization gamma/beta/moving_mean/moving_variance), named
 * `<nodeId>.<weight>` (e.g. `conv1.kernel`, `stage2/conv1.bias`).
 */
export function writeSafetensors(run: RunWeights, file: string): void {
  const tensors = run.tensors.map((t): NamedTensor => ({
    name: `${t.nodeId}.${t.weight}`,
    dtype: t.dtype === 'int32' ? 'I32' : 'F32',
    shape: t.shape,
    bytes: t.bytes,
  }));
  writeFileAtomic(file, encodeSafetensors(tensors, {
    format: 'tfjs',
    layout: 'TF.js: Dense kernel [in, out], Conv2D kernel [height, width, in, out]',
    graph: run.graphName,
    producer: 'layerlab',
  }));
}
