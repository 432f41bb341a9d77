/** An in-memory labelled image dataset, channels-last; pixels stay in their stored type until batched. */
export interface Split {
  /** N × prod(inputShape) values; multiplied by `scale` when batched. */
  readonly images: Uint8Array | Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface Dataset {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly classes: number;
  readonly classNames: readonly string[];
  /** Factor applied to stored pixel values (1/255 for uint8 images). */
  readonly scale: number;
  readonly train: Split;
  readonly test: Split;
  /** Batches are resized to this [height, width] (set when the graph's input is another size). */
  readonly resizeTo?: readonly [number, number];
}

/** A user-facing dataset problem: the message says what is wrong and how to fix it. */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly code: string = 'E_DATASET',
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** The first `n` examples of a split. */
export function limitSplit(split: Split, n: number | undefined, dim: number): Split {
  if (n === undefined || n >= split.count) return split;
  return { images: split.images.subarray(0, n * dim), labels: split.labels.subarray(0, n), count: n };
}
