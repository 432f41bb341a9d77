import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../../../runtime/datasets/dataset.js';
import { parseIdx } from '../../../../runtime/datasets/idx.js';
import { idxSplit, listDatasets, loadDataset } from '../../../../runtime/datasets/load.js';
import { sharedDatasets } from '../../../helpers/paths.js';

const fashion = (f: string) => readFileSync(join(sharedDatasets, 'fashion-mnist', f));

function idx(dims: number[], data: number[] | Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as DatasetError).code;
  }
  throw new Error('expected a DatasetError');
};

describe('IDX reader on the real files', () => {
  it('reads Fashion-MNIST test labels and images as the dataset README describes', () => {
    const labels = parseIdx(fashion('t10k-labels-idx1-ubyte.gz'), 'labels');
    expect(labels.dims).toEqual([10000]);
    expect([...labels.data.subarray(0, 10)]).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    const images = parseIdx(fashion('t10k-images-idx3-ubyte.gz'), 'images');
    expect(images.dims).toEqual([10000, 28, 28]);
  });

  it('loads both splits of fashion-mnist and mnist with the documented first labels and class counts', async () => {
    const f = await loadDataset('fashion-mnist', { dataDir: sharedDatasets, download: false });
    expect(f.train.count).toBe(60000);
    expect([...f.train.labels.subarray(0, 10)]).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    const mean = Array.from(f.train.images).reduce((a, b) => a + b, 0) / f.train.images.length;
    expect(mean).toBeCloseTo(72.94, 1);
    const m = await loadDataset('mnist', { dataDir: sharedDatasets, download: false });
    const counts = new Array(10).fill(0);
    for (const l of m.test.labels) counts[l]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('lists the shared datasets as available', () => {
    const list = listDatasets(sharedDatasets);
    expect(list.find((d) => d.name === 'fashion-mnist')?.available).toBe(true);
    expect(listDatasets('/nonexistent').find((d) => d.name === 'mnist')?.available).toBe(false);
  });
});

describe('IDX reader on hostile files', () => {
  it('rejects a truncated file, naming the sizes', () => {
    const raw = gunzipSync(fashion('t10k-labels-idx1-ubyte.gz'));
    expect(codeOf(() => parseIdx(raw.subarray(0, raw.length - 7), 'labels'))).toBe('E_IDX_SIZE');
    expect(() => parseIdx(raw.subarray(0, raw.length - 7), 'labels')).toThrow(/10000 bytes of data but the file holds 9993/);
  });
  it('rejects a header that lies about its dimensions', () => {
    expect(codeOf(() => parseIdx(idx([5, 28, 28], new Uint8Array(4 * 784)), 'images'))).toBe('E_IDX_SIZE');
  });
  it('rejects a damaged gzip stream and a non-IDX file', () => {
    const gz = gzipSync(idx([3], [1, 2, 3]));
    expect(codeOf(() => parseIdx(gz.subarray(0, gz.length - 6), 'x'))).toBe('E_IDX_GZIP');
    expect(codeOf(() => parseIdx(Buffer.from('hello world'), 'x'))).toBe('E_IDX_MAGIC');
    expect(codeOf(() => parseIdx(Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 0]), 'x'))).toBe('E_IDX_TYPE');
  });
  it('rejects image and label files that disagree or labels out of range', () => {
    const images = idx([2, 2, 2], new Uint8Array(8));
    expect(codeOf(() => idxSplit(images, idx([3], [0, 1, 2]), 'x', 10))).toBe('E_IDX_COUNT');
    expect(codeOf(() => idxSplit(images, idx([2], [0, 12]), 'x', 10))).toBe('E_LABEL_RANGE');
    expect(idxSplit(images, idx([2], [0, 9]), 'x', 10).count).toBe(2);
  });
  it('names the datasets it knows when asked for an unknown one', async () => {
    await expect(loadDataset('cifar-100', { dataDir: sharedDatasets })).rejects.toThrow(/synthetic-shapes, fashion-mnist, mnist/);
  });
});
