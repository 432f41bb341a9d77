/** The built-in datasets: where they come from and the checksums that prove a file is the real one. */
export interface RemoteFile {
  readonly file: string;
  readonly bytes: number;
  /** The published checksum: SHA-256 where known, else the MD5 the dataset's authors publish. */
  readonly sha256?: string;
  readonly md5?: string;
}

export interface IdxDatasetSpec {
  readonly name: string;
  readonly title: string;
  /** Official download locations, tried in order; each ends with '/' and the file name is appended. */
  readonly mirrors: readonly string[];
  readonly trainImages: RemoteFile;
  readonly trainLabels: RemoteFile;
  readonly testImages: RemoteFile;
  readonly testLabels: RemoteFile;
  readonly classNames: readonly string[];
}

export const FASHION_MNIST: IdxDatasetSpec = {
  name: 'fashion-mnist',
  title: 'Fashion-MNIST (Zalando Research, MIT)',
  mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
  trainImages: { file: 'train-images-idx3-ubyte.gz', bytes: 26421880, sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84' },
  trainLabels: { file: 'train-labels-idx1-ubyte.gz', bytes: 29515, sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845' },
  testImages: { file: 't10k-images-idx3-ubyte.gz', bytes: 4422102, sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073' },
  testLabels: { file: 't10k-labels-idx1-ubyte.gz', bytes: 5148, sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5' },
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
};

export const MNIST: IdxDatasetSpec = {
  name: 'mnist',
  title: 'MNIST (LeCun, Cortes, Burges; CC BY-SA 3.0)',
  mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
  trainImages: { file: 'train-images-idx3-ubyte.gz', bytes: 9912422, sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609' },
  trainLabels: { file: 'train-labels-idx1-ubyte.gz', bytes: 28881, sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c' },
  testImages: { file: 't10k-images-idx3-ubyte.gz', bytes: 1648877, sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6' },
  testLabels: { file: 't10k-labels-idx1-ubyte.gz', bytes: 4542, sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6' },
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
};

export const IDX_DATASETS: readonly IdxDatasetSpec[] = [FASHION_MNIST, MNIST];

export const filesOf = (s: IdxDatasetSpec): RemoteFile[] => [s.trainImages, s.trainLabels, s.testImages, s.testLabels];
