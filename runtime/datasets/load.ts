/** Loads a dataset by name: built-in IDX sets from the cache (downloading if needed) or the generated one. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { DatasetInfo } from '../../contracts/index.js';
import { filesOf, IDX_DATASETS, type IdxDatasetSpec, type RemoteFile } from './catalog.js';
import { DatasetError, type Dataset, type Split } from './dataset.js';
import { downloadVerified, type DownloadProgress } from './download.js';
import { parseIdx } from './idx.js';
import { SYNTHETIC_CLASSES, syntheticShapes } from './synthetic.js';
import { CIFAR10_ARCHIVE, CIFAR10_MIRRORS, cifar10FromArchive, cifar10FromFiles } from './cifar.js';
import { parseCsvDataset } from './csv.js';
import { readImageFolder } from './imageFolder.js';

export interface LoadOptions {
  readonly dataDir: string;
  /** Allow downloading missing files (default true). */
  readonly download?: boolean;
  readonly onProgress?: (p: DownloadProgress) => void;
  /** The graph's input shape: image folders are decoded and resized to it. */
  readonly shape?: readonly number[];
  /** Seed of the train/test split of user datasets that come unsplit. */
  readonly seed?: number;
}

export const SYNTHETIC = 'synthetic-shapes';

export const CIFAR10 = 'cifar-10';

export function datasetNames(): string[] {
  return [SYNTHETIC, ...IDX_DATASETS.map((d) => d.name), CIFAR10];
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
    {
      name: CIFAR10,
      title: 'CIFAR-10 (Krizhevsky, 2009)',
      inputShape: [32, 32, 3],
      classes: 10,
      available: cifarLocation(dataDir) !== undefined,
      note: cifarLocation(dataDir) ? '50,000 train / 10,000 test' : 'downloaded on first use (163 MB)',
    },
  ];
}

/** The CIFAR-10 archive, or a folder holding its extracted batch files. */
function cifarLocation(dataDir: string): string | undefined {
  const dir = join(dataDir, CIFAR10);
  for (const p of [join(dir, CIFAR10_ARCHIVE.file), join(dir, 'cifar-10-batches-bin'), dir]) if (existsSync(join(p, p.endsWith('.gz') ? '' : 'test_batch.bin'))) return p;
  return undefined;
}

async function loadCifar(opts: LoadOptions): Promise<Dataset> {
  let at = cifarLocation(opts.dataDir);
  if (!at) {
    if (opts.download === false) throw new DatasetError(`CIFAR-10 is not in ${join(opts.dataDir, CIFAR10)}; put ${CIFAR10_ARCHIVE.file} there or allow the download`, 'E_MISSING_FILE');
    at = join(opts.dataDir, CIFAR10, CIFAR10_ARCHIVE.file);
    await downloadVerified(CIFAR10_ARCHIVE, CIFAR10_MIRRORS, at, opts.onProgress);
  }
  if (at.endsWith('.gz')) return cifar10FromArchive(readFileSync(at));
  const files = new Map(readdirSync(at).filter((f) => f.endsWith('.bin')).map((f) => [f, new Uint8Array(readFileSync(join(at, f)))]));
  return cifar10FromFiles(files);
}

/** A path instead of a name: a CSV file, a folder of IDX files, or a folder of class subfolders. */
function loadPath(path: string, opts: LoadOptions): Dataset {
  const name = basename(path);
  if (statSync(path).isFile()) {
    if (extname(path).toLowerCase() !== '.csv') throw new DatasetError(`${path}: a dataset file must be a .csv; for images pass a folder with one subfolder per class`, 'E_DATASET_PATH');
    return parseCsvDataset(readFileSync(path, 'utf8'), { name, seed: opts.seed ?? 0 });
  }
  const idx = (base: string) => [join(path, `${base}.gz`), join(path, base)].find((p) => existsSync(p));
  const trainImages = idx('train-images-idx3-ubyte');
  if (trainImages) {
    const need = ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((b) => idx(b) ?? b);
    const missing = need.filter((p) => !existsSync(p));
    if (missing.length) throw new DatasetError(`${path} has train-images but lacks ${missing.join(', ')}; an IDX dataset needs all four files`, 'E_MISSING_FILE');
    const [trainLabels, testImages, testLabels] = need.map((p) => readFileSync(p));
    const train = idxSplit(readFileSync(trainImages), trainLabels!, `${name} train`, 256);
    const test = idxSplit(testImages!, testLabels!, `${name} test`, 256);
    const classes = Math.max(...train.labels, ...test.labels) + 1;
    const images = parseIdx(readFileSync(trainImages), 'train images').dims;
    return { name, inputShape: [images[1]!, images[2]!, 1], classes, classNames: Array.from({ length: classes }, (_, i) => String(i)), scale: 1 / 255, train, test };
  }
  const shape = opts.shape;
  if (!shape || shape.length !== 3) throw new DatasetError(`${path}: an image folder needs a graph whose Input is [height, width, channels]`, 'E_DATA_FIT');
  return readImageFolder(path, { shape: [shape[0]!, shape[1]!, shape[2]!], seed: opts.seed ?? 0 });
}

export async function loadDataset(name: string, opts: LoadOptions): Promise<Dataset> {
  if (name === SYNTHETIC) return syntheticShapes();
  if (name.toLowerCase() === CIFAR10) return loadCifar(opts);
  const builtin = datasetNames().includes(name.toLowerCase());
  if (!builtin && (/[/\\]/.test(name) || name.endsWith('.csv') || existsSync(name))) {
    if (!existsSync(name)) throw new DatasetError(`No dataset at ${name}; give a CSV file, a folder of IDX files or a folder with one subfolder per class`, 'E_DATASET_PATH');
    return loadPath(name, opts);
  }
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
