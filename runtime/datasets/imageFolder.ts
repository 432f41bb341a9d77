/**
 * Image-folder datasets: one subfolder per class holding PNG or JPEG files (optionally under
 * `train/` and `test/`), decoded and resized to the graph's input shape.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { DatasetError, type Dataset, type Split } from './dataset.js';
import { decodeImage, resizeInto } from './images.js';
import { splitExamples } from './split.js';

export interface ImageFolderOptions {
  /** [height, width, channels] the images become; channels 1 (grayscale) or 3 (RGB). */
  readonly shape: readonly [number, number, number];
  readonly testFraction?: number;
  readonly seed?: number;
}

const IMAGE = new Set(['.png', '.jpg', '.jpeg']);

const classDirs = (dir: string) =>
  readdirSync(dir)
    .filter((d) => !d.startsWith('.') && statSync(join(dir, d)).isDirectory())
    .sort();

export function readImageFolder(root: string, opts: ImageFolderOptions): Dataset {
  const [h, w, c] = opts.shape;
  if (c !== 1 && c !== 3) throw new DatasetError(`Image folders load as 1 (grayscale) or 3 (RGB) channels, but the Input node asks for ${c}; set its last dimension to 1 or 3`, 'E_DATA_FIT');
  const split = existsSync(join(root, 'train')) && existsSync(join(root, 'test'));
  const classes = classDirs(split ? join(root, 'train') : root);
  if (classes.length < 2) throw new DatasetError(`${root} needs one subfolder per class (at least two), each holding PNG or JPEG images`, 'E_IMAGE_FOLDER');
  const read = (dir: string): Split => {
    const files: { path: string; label: number }[] = [];
    classes.forEach((cls, label) => {
      const d = join(dir, cls);
      if (!existsSync(d)) return;
      for (const f of readdirSync(d).sort()) if (IMAGE.has(extname(f).toLowerCase())) files.push({ path: join(d, f), label });
    });
    const dim = h * w * c;
    const images = new Uint8Array(files.length * dim);
    const labels = new Uint8Array(files.length);
    files.forEach((f, i) => {
      resizeInto(decodeImage(readFileSync(f.path), f.path), h, w, c, images, i * dim);
      labels[i] = f.label;
    });
    return { images, labels, count: files.length };
  };
  let train: Split;
  let test: Split;
  if (split) {
    train = read(join(root, 'train'));
    test = read(join(root, 'test'));
  } else {
    const all = read(root);
    ({ train, test } = splitExamples(all.images as Uint8Array, all.labels, h * w * c, opts.testFraction ?? 0.2, opts.seed ?? 0));
  }
  if (train.count === 0) throw new DatasetError(`${root} holds no PNG or JPEG images in its class folders`, 'E_IMAGE_FOLDER');
  return { name: basename(root), inputShape: [h, w, c], classes: classes.length, classNames: classes, scale: 1 / 255, train, test };
}
