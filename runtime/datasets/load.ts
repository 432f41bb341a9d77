/** Loads a dataset by name: built-in IDX sets from the cache (downloading if needed) or the generated one. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetInfo } from '../../contracts/index.js';
import { filesOf, IDX_DATASETS, type IdxDatasetSpec, type RemoteFile } from './catalog.js';
import { DatasetError, type Dataset, type Split } from './dataset.js';
import { downloadVerified, type DownloadProgress } from './download.js';
import { parseIdx } from './idx.js';
import { SYNTHETIC_CLASSES, syntheticShapes } from './synthetic.js';

export interface LoadOptions {
  readonly dataDir: string;
  /** Allow downloading missing files (default true). */
  readonly download?: boolean;
  readonly onProgress?: (p: DownloadProgress) => void;
}

export const SYNTHETIC = 'synthetic-shapes';

export function datasetNames(): string[] {
  return [SYNTHETIC, ...IDX_DATASETS.map((d) => d.name)];
}

/** Where a dataset's file is, or undefined. Accepts `<dir>/<name>/<file>` and `<dir>/<file>`. */
function locate(dataDir: string, spec: IdxDatasetSpec, f: RemoteFile): string | undefined {
  for (const p of [join(dataDir, spec.name, f.file), join(dataDir, spec.name, f.file.replace(/\.gz$/, ''))]) if (existsSync(p)) return p;
  return undefined;
}

export function listDatasets(dataDir: string): DatasetInfo[] {
  return [
    { name: SYNTHETIC, title: 'Synthetic shapes (generated, no download)', inputShape: [28, 28, 1], classes: SYNTHETIC_CLASSES.length, available: true, note: '6,000 train / 1,000 test' },
    ...IDX_DATASETS.map((d) => {
      const available = filesOf(d).every((f) => locate(dataDir, d, f));
      return { name: d.name, title: d.title, inputShape: [28, 28, 1], classes: 10, available, note: available ? '60,000 train / 10,000 test' : 'downloaded on first use' };
    }),
  ];
}

export async function loadDataset(name: string, opts: LoadOptions): Promise<Dataset> {
  if (name === SYNTHETIC) return syntheticShapes();
  const spec = IDX_DATASETS.find((d) => d.name === name.toLowerCase());
  if (!spec) throw new DatasetError(`Unknown dataset "${name}"; use one of: ${datasetNames().join(', ')}`, 'E_UNKNOWN_DATASET');
  const read = async (f: RemoteFile): Promise<Uint8Array> => {
    let path = locate(opts.dataDir, spec, f);
    if (!path) {
      if (opts.download === false) throw new DatasetError(`${spec.name}: ${f.file} is not in ${join(opts.dataDir, spec.name)}; copy it there or allow the download`, 'E_MISSING_FILE');
      path = join(opts.dataDir, spec.name, f.file);
      await downloadVerified(f, spec.mirrors, path, opts.onProgress);
    }
    return readFileSync(path);
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(filesOf(spec).map(read));
  return {
    name: spec.name,
    inputShape: [28, 28, 1],
    classes: spec.classNames.length,
    classNames: spec.classNames,
    scale: 1 / 255,
    train: idxSplit(trainImages!, trainLabels!, `${spec.name} train`, spec.classNames.length),
    test: idxSplit(testImages!, testLabels!, `${spec.name} test`, spec.classNames.length),
  };
}

/** Pairs an IDX image file with its label file and checks that they agree. */
export function idxSplit(imageBytes: Uint8Array, labelBytes: Uint8Array, what: string, classes: number): Split {
  const images = parseIdx(imageBytes, `${what} images`);
  const labels = parseIdx(labelBytes, `${what} labels`);
  if (images.dims.length !== 3) throw new DatasetError(`${what} images: expected 3 dimensions (count, height, width) but the header has ${images.dims.length}`, 'E_IDX_RANK');
  if (labels.dims.length !== 1) throw new DatasetError(`${what} labels: expected 1 dimension (count) but the header has ${labels.dims.length}`, 'E_IDX_RANK');
  if (images.dims[0] !== labels.dims[0])
    throw new DatasetError(`${what}: ${images.dims[0]} images but ${labels.dims[0]} labels; the two files must come from the same split`, 'E_IDX_COUNT');
  const bad = labels.data.findIndex((l) => l >= classes);
  if (bad >= 0) throw new DatasetError(`${what} labels: label ${labels.data[bad]} at index ${bad} is outside 0..${classes - 1}`, 'E_LABEL_RANGE');
  return { images: images.data, labels: labels.data, count: images.dims[0]! };
}
