/**
 * How each TF.js layer class becomes PyTorch: a module in `__init__` (if it has one), a line in
 * `forward`, and its weights under PyTorch's state_dict names and layouts.
 *
 * Layout: a TF.js tensor of rank 3 per example ([height, width, channels]) is held NCHW in
 * PyTorch; every other rank keeps TF's order. Each rule converts where layouts meet
 * (Flatten and Reshape go through NHWC so elements come out in TF's order).
 */
import type { LoweredNode } from '../../graph-compiler/index.js';
import type { NpyArray } from './npz.js';
import { transposeBytes } from './npz.js';
import { py } from './python.js';
import { ExportError, type WeightTensor } from './runWeights.js';
import { windowPads } from './tfPadding.js';

export interface TorchContext {
  readonly node: LoweredNode;
  /** The module attribute / variable stem for this node. */
  readonly name: string;
  /** Python variables holding the inputs, by port. */
  readonly args: readonly string[];
  readonly inShapes: readonly (readonly number[])[];
  readonly outShape: readonly number[];
  readonly weights: ReadonlyMap<string, WeightTensor>;
}

export interface TorchLayer {
  /** Statement(s) for `__init__`, e.g. `self.conv1 = nn.Conv2d(...)`. */
  readonly init?: string;
  /** The expression whose value is this node's output. */
  readonly expr: string;
  /** state_dict entries (key relative to the model) in PyTorch layout. */
  readonly state?: readonly (readonly [string, NpyArray])[];
  /** Python classes (from pytorchHelpers) the module must define for this layer. */
  readonly helpers?: readonly string[];
}

export type Rule = (c: TorchContext) => TorchLayer;

export const isImage = (shape: readonly number[]): boolean => shape.length === 3;
export const toNHWC = (v: string) => `${v}.permute(0, 2, 3, 1)`;
export const toNCHW = (v: string) => `${v}.permute(0, 3, 1, 2)`;
export const cfg = <T>(c: TorchContext, key: string): T => c.node.config[key] as T;

export function unsupported(c: TorchContext, what: string): never {
  throw new ExportError(`node "${c.node.id}" (${c.node.className}): ${what} has no PyTorch export yet; export to safetensors or tfjs instead`);
}

/** TF.js activation name → PyTorch expression; `channelsDim` is where softmax normalises. */
export function activate(c: TorchContext, name: string, v: string, channelsDim: number): string {
  switch (name) {
    case 'linear':
      return v;
    case 'relu':
      return `F.relu(${v})`;
    case 'sigmoid':
      return `torch.sigmoid(${v})`;
    case 'tanh':
      return `torch.tanh(${v})`;
    case 'gelu':
      return `F.gelu(${v})`; // TF.js 'gelu' is the exact (erf) form, as is PyTorch's default
    case 'softmax':
      return `F.softmax(${v}, dim=${channelsDim})`;
    case 'elu':
      return `F.elu(${v})`;
    case 'selu':
      return `F.selu(${v})`;
    case 'swish':
      return `F.silu(${v})`;
    default:
      return unsupported(c, `activation "${name}"`);
  }
}

export function need(c: TorchContext, weight: string): WeightTensor {
  const w = c.weights.get(weight);
  if (!w) throw new ExportError(`node "${c.node.id}" (${c.node.className}): the run's weights have no "${weight}"; was the graph edited after training?`, 'E_DAMAGED');
  return w;
}

export const f32 = (w: WeightTensor, bytes = w.bytes, shape = w.shape): NpyArray => ({ dtype: 'float32', shape, bytes });

const dense: Rule = (c) => {
  const [inShape] = c.inShapes;
  const units = cfg<number>(c, 'units');
  const useBias = cfg<boolean>(c, 'useBias');
  const act = cfg<string>(c, 'activation');
  // nn.Linear works on the last axis, which for an image is channels: go through NHWC.
  const expr = isImage(inShape!)
    ? toNCHW(`(${activate(c, act, `self.${c.name}(${toNHWC(c.args[0]!)})`, -1)})`)
    : activate(c, act, `self.${c.name}(${c.args[0]})`, -1);
  const kernel = need(c, 'kernel');
  const state: [string, NpyArray][] = [[`${c.name}.weight`, f32(kernel, transposeBytes(kernel.bytes, kernel.shape, [1, 0]), [units, inShape!.at(-1)!])]];
  if (useBias) state.push([`${c.name}.bias`, f32(need(c, 'bias'))]);
  return { init: `self.${c.name} = nn.Linear(${inShape!.at(-1)}, ${units}, bias=${py(useBias)})`, expr, state };
};

const conv2d: Rule = (c) => {
  const [inShape] = c.inShapes;
  const k = cfg<[number, number]>(c, 'kernelSize');
  const s = cfg<[number, number]>(c, 'strides');
  const d = cfg<[number, number]>(c, 'dilationRate');
  const filters = cfg<number>(c, 'filters');
  const useBias = cfg<boolean>(c, 'useBias');
  const [[t, b], [l, r]] = windowPads(cfg(c, 'padding'), inShape!, k, s, d);
  const symmetric = t === b && l === r;
  const x = symmetric ? c.args[0]! : `F.pad(${c.args[0]}, ${py([l, r, t, b])})`;
  const expr = activate(c, cfg(c, 'activation'), `self.${c.name}(${x})`, 1);
  const kernel = need(c, 'kernel');
  // TF.js kernels are [kh, kw, in, out]; PyTorch's are [out, in, kh, kw].
  const state: [string, NpyArray][] = [[`${c.name}.weight`, f32(kernel, transposeBytes(kernel.bytes, kernel.shape, [3, 2, 0, 1]), [filters, inShape![2]!, k[0], k[1]])]];
  if (useBias) state.push([`${c.name}.bias`, f32(need(c, 'bias'))]);
  const init =
    `self.${c.name} = nn.Conv2d(${inShape![2]}, ${filters}, kernel_size=${py(k)}, stride=${py(s)}, ` +
    `padding=${symmetric ? py([t, l]) : '0'}, dilation=${py(d)}, bias=${py(useBias)})`;
  return { init, expr, state };
};

function pooling(kind: 'max' | 'avg'): Rule {
  return (c) => {
    const k = cfg<[number, number]>(c, 'poolSize');
    const s = cfg<[number, number]>(c, 'strides');
    const [[t, b], [l, r]] = windowPads(cfg(c, 'padding'), c.inShapes[0]!, k, s);
    const x = c.args[0]!;
    const args = `kernel_size=${py(k)}, stride=${py(s)}`;
    if (t + b + l + r === 0) return { expr: `F.${kind}_pool2d(${x}, ${args})` };
    const pads = py([l, r, t, b]);
    // TF ignores the padding: max pads with -inf, and average divides by the count of real
    // elements in each window (the same pooling over a padded mask of ones).
    if (kind === 'max') return { expr: `F.max_pool2d(F.pad(${x}, ${pads}, value=float('-inf')), ${args})` };
    return { expr: `F.avg_pool2d(F.pad(${x}, ${pads}), ${args}) / F.avg_pool2d(F.pad(torch.ones_like(${x}[:, :1]), ${pads}), ${args})` };
  };
}

const batchNorm: Rule = (c) => {
  const shape = c.inShapes[0]!;
  const raw = cfg<number>(c, 'axis');
  const axis = raw < 0 ? shape.length + raw : raw - 1;
  if (axis !== shape.length - 1 || shape.length > 3) unsupported(c, `axis ${raw} on a ${shape.length}-D input`);
  const channels = shape[axis]!;
  for (const w of ['gamma', 'beta']) if (!c.weights.has(w)) unsupported(c, 'BatchNormalization without center and scale');
  const state: [string, NpyArray][] = [
    [`${c.name}.weight`, f32(need(c, 'gamma'))],
    [`${c.name}.bias`, f32(need(c, 'beta'))],
    [`${c.name}.running_mean`, f32(need(c, 'moving_mean'))],
    [`${c.name}.running_var`, f32(need(c, 'moving_variance'))],
    [`${c.name}.num_batches_tracked`, { dtype: 'int64', shape: [], bytes: new Uint8Array(8) }],
  ];
  // Keras's momentum keeps that share of the old average; PyTorch's momentum is the new share.
  const momentum = 1 - cfg<number>(c, 'momentum');
  const kind = shape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
  const init = `self.${c.name} = nn.${kind}(${channels}, eps=${py(cfg(c, 'epsilon'))}, momentum=${py(Number(momentum.toPrecision(12)))})`;
  const x = c.args[0]!;
  // BatchNorm1d wants channels on dim 1: a [batch, steps, features] input is transposed around it.
  const expr = shape.length === 2 ? `self.${c.name}(${x}.transpose(1, 2)).transpose(1, 2)` : `self.${c.name}(${x})`;
  return { init, expr, state };
};

/** A TF axis over an example (negative from the end, positive counting the batch) → torch dim. */
function torchDim(shape: readonly number[], raw: number): number {
  const a = raw < 0 ? shape.length + raw : raw - 1;
  return isImage(shape) ? [2, 3, 1][a]! : a + 1;
}

const flatten: Rule = (c) => {
  const shape = c.inShapes[0]!;
  if (shape.length === 1) return { expr: c.args[0]! };
  return { expr: `torch.flatten(${isImage(shape) ? toNHWC(c.args[0]!) : c.args[0]}, 1)` };
};

const reshape: Rule = (c) => {
  const from = c.inShapes[0]!;
  const x = isImage(from) ? toNHWC(c.args[0]!) : c.args[0]!;
  const reshaped = `${x}.reshape(-1, ${c.outShape.join(', ')})`;
  return { expr: isImage(c.outShape) ? toNCHW(reshaped) : reshaped };
};

/** Keras Permute (1-based dims over the example) applied in TF's axis order. */
const permute: Rule = (c) => {
  const from = c.inShapes[0]!;
  const dims = cfg<number[]>(c, 'dims');
  const x = isImage(from) ? toNHWC(c.args[0]!) : c.args[0]!;
  const permuted = `${x}.permute(0, ${dims.join(', ')})`;
  return { expr: isImage(c.outShape) ? toNCHW(permuted) : permuted };
};

export const torchLayers: Readonly<Record<string, Rule>> = {
  Permute: permute,
  Dense: dense,
  Conv2D: conv2d,
  MaxPooling2D: pooling('max'),
  AveragePooling2D: pooling('avg'),
  GlobalAveragePooling2D: (c) => ({ expr: `${c.args[0]}.mean(dim=(2, 3))` }),
  GlobalMaxPooling2D: (c) => ({ expr: `${c.args[0]}.amax(dim=(2, 3))` }),
  Flatten: flatten,
  Reshape: reshape,
  Dropout: (c) => ({ init: `self.${c.name} = nn.Dropout(p=${py(cfg(c, 'rate'))})`, expr: `self.${c.name}(${c.args[0]})` }),
  BatchNormalization: batchNorm,
  Activation: (c) => ({ expr: activate(c, cfg(c, 'activation'), c.args[0]!, isImage(c.outShape) ? 1 : -1) }),
  LeakyReLU: (c) => ({ expr: `F.leaky_relu(${c.args[0]}, negative_slope=${py(cfg(c, 'alpha'))})` }),
  Add: (c) => ({ expr: c.args.join(' + ') }),
  Multiply: (c) => ({ expr: c.args.join(' * ') }),
  Concatenate: (c) => ({ expr: `torch.cat([${c.args.join(', ')}], dim=${torchDim(c.inShapes[0]!, cfg(c, 'axis'))})` }),
  ZeroPadding2D: (c) => {
    const [[t, b], [l, r]] = cfg<[[number, number], [number, number]]>(c, 'padding');
    return { expr: `F.pad(${c.args[0]}, ${py([l, r, t, b])})` };
  },
};
