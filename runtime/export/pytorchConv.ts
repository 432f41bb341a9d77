/**
 * PyTorch rules for the less common convolutions: Conv1D (on [steps, channels], NCL inside),
 * DepthwiseConv2D (grouped conv), SeparableConv2D (depthwise then 1x1) and Conv2DTranspose
 * (with TF's 'same' cropping). Kernels move from TF layouts to PyTorch's.
 */
import { transposeBytes, type NpyArray } from './npz.js';
import { py } from './python.js';
import { activate, cfg, f32, need, type Rule } from './pytorchLayers.js';
import { samePads, windowPads } from './tfPadding.js';

const conv1d: Rule = (c) => {
  const [steps, cin] = c.inShapes[0]!;
  const k = cfg<number>(c, 'kernelSize');
  const s = cfg<number>(c, 'strides');
  const d = cfg<number>(c, 'dilationRate');
  const filters = cfg<number>(c, 'filters');
  const useBias = cfg<boolean>(c, 'useBias');
  const [l, r] = cfg<string>(c, 'padding') === 'same' ? samePads(steps!, k, s, d) : [0, 0];
  const x = `${c.args[0]}.transpose(1, 2)`;
  const padded = l === r ? x : `F.pad(${x}, ${py([l, r])})`;
  const expr = activate(c, cfg(c, 'activation'), `self.${c.name}(${padded}).transpose(1, 2)`, -1);
  const kernel = need(c, 'kernel');
  // TF: [k, in, out]; PyTorch: [out, in, k].
  const state: [string, NpyArray][] = [[`${c.name}.weight`, f32(kernel, transposeBytes(kernel.bytes, kernel.shape, [2, 1, 0]), [filters, cin!, k])]];
  if (useBias) state.push([`${c.name}.bias`, f32(need(c, 'bias'))]);
  const init = `self.${c.name} = nn.Conv1d(${cin}, ${filters}, kernel_size=${k}, stride=${s}, padding=${l === r ? l : 0}, dilation=${d}, bias=${py(useBias)})`;
  return { init, expr, state };
};

/** TF depthwise kernel [kh, kw, in, mult] → PyTorch grouped weight [in·mult, 1, kh, kw] (channel c·mult + m, as TF). */
function depthwiseWeight(c: Parameters<Rule>[0], name: string): NpyArray {
  const w = need(c, name);
  const [kh, kw, cin, mult] = w.shape as [number, number, number, number];
  return f32(w, transposeBytes(w.bytes, w.shape, [2, 3, 0, 1]), [cin * mult, 1, kh, kw]);
}

function depthwiseLike(kind: 'depthwise' | 'separable'): Rule {
  return (c) => {
    const inShape = c.inShapes[0]!;
    const cin = inShape[2]!;
    const k = cfg<[number, number]>(c, 'kernelSize');
    const s = cfg<[number, number]>(c, 'strides');
    const mult = cfg<number>(c, 'depthMultiplier');
    const useBias = cfg<boolean>(c, 'useBias');
    const [[t, b], [l, r]] = windowPads(cfg(c, 'padding'), inShape, k, s);
    const symmetric = t === b && l === r;
    const x = symmetric ? c.args[0]! : `F.pad(${c.args[0]}, ${py([l, r, t, b])})`;
    const expr = activate(c, cfg(c, 'activation'), `self.${c.name}(${x})`, 1);
    const depthwise = `nn.Conv2d(${cin}, ${cin * mult}, kernel_size=${py(k)}, stride=${py(s)}, padding=${symmetric ? py([t, l]) : '0'}, groups=${cin}`;
    if (kind === 'depthwise') {
      const state: [string, NpyArray][] = [[`${c.name}.weight`, depthwiseWeight(c, 'depthwise_kernel')]];
      if (useBias) state.push([`${c.name}.bias`, f32(need(c, 'bias'))]);
      return { init: `self.${c.name} = ${depthwise}, bias=${py(useBias)})`, expr, state };
    }
    const filters = cfg<number>(c, 'filters');
    const pw = need(c, 'pointwise_kernel');
    // Pointwise TF [1, 1, in·mult, filters] → [filters, in·mult, 1, 1].
    const state: [string, NpyArray][] = [
      [`${c.name}.0.weight`, depthwiseWeight(c, 'depthwise_kernel')],
      [`${c.name}.1.weight`, f32(pw, transposeBytes(pw.bytes, pw.shape, [3, 2, 0, 1]), [filters, cin * mult, 1, 1])],
    ];
    if (useBias) state.push([`${c.name}.1.bias`, f32(need(c, 'bias'))]);
    return { init: `self.${c.name} = nn.Sequential(${depthwise}, bias=False), nn.Conv2d(${cin * mult}, ${filters}, kernel_size=1, bias=${py(useBias)}))`, expr, state };
  };
}

/**
 * TF's transposed conv is the adjoint of a conv whose output it reproduces: the full result has
 * (in - 1)·s + k positions; 'same' keeps in·s of them starting at floor(max(k - s, 0) / 2)
 * (zero-padding the end when k < s), 'valid' keeps all.
 */
function transposeCrop(size: number, k: number, s: number, padding: string): { start: number; out: number; extra: number } {
  const full = (size - 1) * s + k;
  if (padding !== 'same') return { start: 0, out: full, extra: 0 };
  const out = size * s;
  const start = Math.floor(Math.max(k - s, 0) / 2);
  return { start, out, extra: Math.max(0, start + out - full) };
}

const conv2dTranspose: Rule = (c) => {
  const [h, w, cin] = c.inShapes[0]! as [number, number, number];
  const k = cfg<[number, number]>(c, 'kernelSize');
  const s = cfg<[number, number]>(c, 'strides');
  const filters = cfg<number>(c, 'filters');
  const useBias = cfg<boolean>(c, 'useBias');
  const pad = cfg<string>(c, 'padding');
  const ch = transposeCrop(h, k[0], s[0], pad);
  const cw = transposeCrop(w, k[1], s[1], pad);
  const call = `self.${c.name}(${c.args[0]})`;
  const y = pad !== 'same' ? call : `${call}[:, :, ${ch.start}:${ch.start + ch.out}, ${cw.start}:${cw.start + cw.out}]`;
  const kernel = need(c, 'kernel');
  // TF: [kh, kw, out, in]; PyTorch ConvTranspose2d: [in, out, kh, kw].
  const state: [string, NpyArray][] = [[`${c.name}.weight`, f32(kernel, transposeBytes(kernel.bytes, kernel.shape, [3, 2, 0, 1]), [cin, filters, k[0], k[1]])]];
  if (useBias) state.push([`${c.name}.bias`, f32(need(c, 'bias'))]);
  return {
    // output_padding (< stride) supplies the k < s tail, with the bias added as TF does.
    init: `self.${c.name} = nn.ConvTranspose2d(${cin}, ${filters}, kernel_size=${py(k)}, stride=${py(s)}, output_padding=${py([ch.extra, cw.extra])}, bias=${py(useBias)})`,
    expr: activate(c, cfg(c, 'activation'), y, 1),
    state,
  };
};

export const convLayers: Readonly<Record<string, Rule>> = {
  Conv1D: conv1d,
  DepthwiseConv2D: depthwiseLike('depthwise'),
  SeparableConv2D: depthwiseLike('separable'),
  Conv2DTranspose: conv2dTranspose,
};
