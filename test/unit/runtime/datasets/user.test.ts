import jpeg from 'jpeg-js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parseCifarBatches, cifar10FromFiles } from '../../../../runtime/datasets/cifar.js';
import { parseCsvDataset } from '../../../../runtime/datasets/csv.js';
import { DatasetError } from '../../../../runtime/datasets/dataset.js';
import { decodeImage } from '../../../../runtime/datasets/images.js';
import { readImageFolder } from '../../../../runtime/datasets/imageFolder.js';
import { loadDataset } from '../../../../runtime/datasets/load.js';
import { untar } from '../../../../runtime/datasets/tar.js';

describe('CSV datasets', () => {
  const csv = ['sepal,petal,species', ...Array.from({ length: 20 }, (_, i) => `${i},${2 * i + 1},${['setosa', 'virginica'][i % 2]}`)].join('\n');

  it('detects the header, finds the label column, maps string labels and standardises features', () => {
    const d = parseCsvDataset(csv, { name: 'iris.csv', testFraction: 0.25, seed: 1 });
    expect(d.inputShape).toEqual([2]);
    expect(d.classNames).toEqual(['setosa', 'virginica']);
    expect(d.train.count + d.test.count).toBe(20);
    expect(d.test.count).toBe(5);
    const f = d.train.images as Float32Array;
    const col0 = Array.from({ length: d.train.count }, (_, i) => f[i * 2]!);
    const mean = col0.reduce((a, b) => a + b, 0) / col0.length;
    const std = Math.sqrt(col0.reduce((a, b) => a + (b - mean) ** 2, 0) / col0.length);
    expect(mean).toBeCloseTo(0, 5);
    expect(std).toBeCloseTo(1, 5);
  });

  it('reads a headerless file with integer labels in the last column', () => {
    const d = parseCsvDataset('1,2,0\n3,4,1\n5,6,2\n7,8,1\n', { name: 'x.csv', testFraction: 0 });
    expect(d.classes).toBe(3);
    expect(d.train.count).toBe(4);
  });

  it('names the line of a ragged row and of a non-number', () => {
    expect(() => parseCsvDataset('a,b,label\n1,2,0\n3,0\n', { name: 'r.csv' })).toThrow(/r\.csv: line 3 has 2 fields but the header has 3/);
    expect(() => parseCsvDataset('a,b,label\n1,2,0\n3,x,1\n', { name: 'n.csv' })).toThrow(/line 3, column "b" is "x", not a number/);
    expect(() => parseCsvDataset('a,b\n1,2\n', { name: 'l.csv', labelColumn: 'class' })).toThrow(/no column named "class"; the columns are a, b/);
  });
});

function writePng(path: string, w: number, h: number, value: (x: number, y: number) => [number, number, number]) {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b] = value(x, y);
      png.data.set([r, g, b, 255], (y * w + x) * 4);
    }
  writeFileSync(path, PNG.sync.write(png));
}

describe('image folders', () => {
  it('decodes PNG and JPEG, resizes to the Input shape and splits by seed', () => {
    const root = mkdtempSync(join(tmpdir(), 'll-img-'));
    for (const cls of ['cats', 'dogs']) mkdirSync(join(root, cls));
    for (let i = 0; i < 5; i++) writePng(join(root, 'cats', `${i}.png`), 8, 8, () => [255, 255, 255]);
    for (let i = 0; i < 5; i++) {
      const data = Buffer.alloc(16 * 16 * 4, 0);
      for (let p = 3; p < data.length; p += 4) data[p] = 255;
      writeFileSync(join(root, 'dogs', `${i}.jpg`), jpeg.encode({ data, width: 16, height: 16 }, 95).data);
    }
    writeFileSync(join(root, 'dogs', 'notes.txt'), 'not an image');
    const d = readImageFolder(root, { shape: [4, 4, 1], testFraction: 0.2, seed: 3 });
    expect(d.classNames).toEqual(['cats', 'dogs']);
    expect(d.train.count).toBe(8);
    expect(d.test.count).toBe(2);
    for (let i = 0; i < d.train.count; i++) {
      const px = d.train.images[i * 16]!;
      if (d.train.labels[i] === 0) expect(px).toBe(255);
      else expect(px).toBeLessThan(10);
    }
  });

  it('uses train/ and test/ folders when present and explains a damaged file', () => {
    const root = mkdtempSync(join(tmpdir(), 'll-img-'));
    for (const part of ['train', 'test'])
      for (const cls of ['a', 'b']) {
        mkdirSync(join(root, part, cls), { recursive: true });
        writePng(join(root, part, cls, '1.png'), 6, 4, (x) => [x * 40, 0, 0]);
      }
    const d = readImageFolder(root, { shape: [4, 6, 3] });
    expect([d.train.count, d.test.count]).toEqual([2, 2]);
    expect(d.train.images[3 * 2]).toBe(80);
    writeFileSync(join(root, 'train', 'a', '2.png'), Buffer.from([0x89, 0x50, 1, 2, 3]));
    expect(() => readImageFolder(root, { shape: [4, 6, 3] })).toThrow(/2\.png is a damaged image/);
    expect(() => decodeImage(Buffer.from('GIF89a'), 'x.gif')).toThrow(DatasetError);
  });

  it('loads a folder by path through loadDataset with the graph shape', async () => {
    const root = mkdtempSync(join(tmpdir(), 'll-img-'));
    for (const cls of ['x', 'y']) {
      mkdirSync(join(root, cls));
      for (let i = 0; i < 3; i++) writePng(join(root, cls, `${i}.png`), 5, 5, () => [10, 20, 30]);
    }
    const d = await loadDataset(root, { dataDir: '/none', shape: [5, 5, 3] });
    expect(d.inputShape).toEqual([5, 5, 3]);
    await expect(loadDataset(join(root, 'nope'), { dataDir: '/none' })).rejects.toThrow(/No dataset at/);
  });
});

describe('CIFAR-10 binary batches', () => {
  const record = (label: number, r: number, g: number, b: number) => Uint8Array.from([label, ...new Array(1024).fill(r), ...new Array(1024).fill(g), ...new Array(1024).fill(b)]);
  it('converts planar RGB records to channels-last and rejects damaged files', () => {
    const batch = new Uint8Array([...record(3, 1, 2, 3), ...record(9, 4, 5, 6)]);
    const s = parseCifarBatches([batch], 'test');
    expect(s.count).toBe(2);
    expect([...s.labels]).toEqual([3, 9]);
    expect([...s.images.subarray(0, 6)]).toEqual([1, 2, 3, 1, 2, 3]);
    expect([...s.images.subarray(3072, 3075)]).toEqual([4, 5, 6]);
    expect(() => parseCifarBatches([batch.subarray(1)], 'cut')).toThrow(/not a whole number of 3073-byte CIFAR records/);
    expect(() => parseCifarBatches([record(12, 0, 0, 0)], 'bad')).toThrow(/label 12/);
    expect(() => cifar10FromFiles(new Map([['data_batch_1.bin', batch]]))).toThrow(/data_batch_2\.bin is missing/);
  });
  it('reads regular files out of a tar archive', () => {
    const header = Buffer.alloc(512);
    header.write('dir/data.bin', 0);
    header.write('0000005', 124);
    header.write('0', 156);
    const tar = Buffer.concat([header, Buffer.from('hello'), Buffer.alloc(507), Buffer.alloc(1024)]);
    expect(Buffer.from(untar(tar).get('dir/data.bin')!).toString()).toBe('hello');
  });
});
