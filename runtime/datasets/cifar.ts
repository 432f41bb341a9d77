/**
 * CIFAR-10 (Krizhevsky, 2009), binary version: records of 1 label byte + 3,072 pixel bytes
 * (1,024 red, then green, then blue, row-major), converted to channels-last 32×32×3.
 */
import { gunzipSync } from 'node:zlib';
import type { RemoteFile } from './catalog.js';
import { DatasetError, type Dataset, type Split } from './dataset.js';
import { untar } from './tar.js';

export const CIFAR10_ARCHIVE: RemoteFile = { file: 'cifar-10-binary.tar.gz', bytes: 170052171, md5: 'c32a1d4ab5d03f1284b67883e8d87530' };
export const CIFAR10_MIRRORS = ['https://www.cs.toronto.edu/~kriz/'];
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

const RECORD = 1 + 3072;

export function parseCifarBatches(batches: readonly Uint8Array[], what: string): Split {
  for (const b of batches)
    if (b.length % RECORD !== 0) throw new DatasetError(`${what}: ${b.length} bytes is not a whole number of ${RECORD}-byte CIFAR records; the file is damaged, download it again`, 'E_CIFAR');
  const count = batches.reduce((n, b) => n + b.length / RECORD, 0);
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  let i = 0;
  for (const b of batches)
    for (let r = 0; r < b.length; r += RECORD, i++) {
      const label = b[r]!;
      if (label > 9) throw new DatasetError(`${what}: record ${i} has label ${label}; CIFAR-10 labels are 0..9`, 'E_CIFAR');
      labels[i] = label;
      const px = b.subarray(r + 1, r + RECORD);
      const o = i * 3072;
      for (let p = 0; p < 1024; p++) {
        images[o + p * 3] = px[p]!;
        images[o + p * 3 + 1] = px[1024 + p]!;
        images[o + p * 3 + 2] = px[2048 + p]!;
      }
    }
  return { images, labels, count };
}

/** From the downloaded archive (or any map of file name → bytes holding the six batch files). */
export function cifar10FromArchive(archive: Uint8Array): Dataset {
  return cifar10FromFiles(untar(gunzipSync(archive)));
}

export function cifar10FromFiles(files: ReadonlyMap<string, Uint8Array>): Dataset {
  const get = (name: string) => {
    for (const [path, bytes] of files) if (path === name || path.endsWith(`/${name}`)) return bytes;
    throw new DatasetError(`CIFAR-10: ${name} is missing from the archive`, 'E_CIFAR');
  };
  return {
    name: 'cifar-10',
    inputShape: [32, 32, 3],
    classes: 10,
    classNames: CIFAR10_CLASSES,
    scale: 1 / 255,
    train: parseCifarBatches([1, 2, 3, 4, 5].map((k) => get(`data_batch_${k}.bin`)), 'CIFAR-10 train'),
    test: parseCifarBatches([get('test_batch.bin')], 'CIFAR-10 test'),
  };
}
