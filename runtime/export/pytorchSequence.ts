/**
 * PyTorch rules for the sequence layers of ViT and the Transformer encoder: Layerlab's custom
 * TF.js layers (PatchEmbedding, ClassToken, PositionEmbedding, TokenSelect, MultiHeadAttention)
 * and LayerNormalization. The custom ones become small Python classes (pytorchHelpers) that
 * repeat the TF.js arithmetic of runtime/layers/.
 */
import { transposeBytes, type NpyArray } from './npz.js';
import { py } from './python.js';
import { cfg, f32, isImage, need, toNCHW, toNHWC, unsupported, type Rule, type TorchContext } from './pytorchLayers.js';

/** A Dense-like TF.js kernel [in, out] (+ bias) as nn.Linear's weight [out, in] and bias. */
function linearState(c: TorchContext, prefix: string, weight: string, bias: boolean): [string, NpyArray][] {
  const k = need(c, `${weight}kernel`);
  const state: [string, NpyArray][] = [[`${prefix}.weight`, f32(k, transposeBytes(k.bytes, k.shape, [1, 0]), [k.shape[1]!, k.shape[0]!])]];
  if (bias) state.push([`${prefix}.bias`, f32(need(c, `${weight}bias`))]);
  return state;
}

const layerNorm: Rule = (c) => {
  const shape = c.inShapes[0]!;
  const raw = cfg<number>(c, 'axis');
  const axis = raw < 0 ? shape.length + raw : raw - 1;
  if (axis !== shape.length - 1) unsupported(c, `axis ${raw} (only the last axis)`);
  const init = `self.${c.name} = nn.LayerNorm(${shape[axis]}, eps=${py(cfg(c, 'epsilon'))})`;
  const state: [string, NpyArray][] = [
    [`${c.name}.weight`, f32(need(c, 'gamma'))],
    [`${c.name}.bias`, f32(need(c, 'beta'))],
  ];
  const x = c.args[0]!;
  return { init, expr: isImage(shape) ? toNCHW(`self.${c.name}(${toNHWC(x)})`) : `self.${c.name}(${x})`, state };
};

const patchEmbedding: Rule = (c) => {
  const p = cfg<number>(c, 'patchSize');
  const dim = cfg<number>(c, 'dim');
  const cin = c.inShapes[0]![2]!;
  const k = need(c, 'kernel');
  const state: [string, NpyArray][] = [
    [`${c.name}.weight`, f32(k, transposeBytes(k.bytes, k.shape, [3, 2, 0, 1]), [dim, cin, p, p])],
    [`${c.name}.bias`, f32(need(c, 'bias'))],
  ];
  // [b, dim, h', w'] → [b, h'·w', dim], patches in row-major order as TF.js's reshape of NHWC.
  return {
    init: `self.${c.name} = nn.Conv2d(${cin}, ${dim}, kernel_size=${p}, stride=${p})`,
    expr: `self.${c.name}(${c.args[0]}).flatten(2).transpose(1, 2)`,
    state,
  };
};

const classToken: Rule = (c) => ({
  init: `self.${c.name} = ClassToken(${c.inShapes[0]!.at(-1)})`,
  expr: `self.${c.name}(${c.args[0]})`,
  state: [[`${c.name}.token`, f32(need(c, 'token'))]],
  helpers: ['ClassToken'],
});

const positionEmbedding: Rule = (c) => {
  const [n, d] = c.inShapes[0]!;
  return {
    init: `self.${c.name} = PositionEmbedding(${n}, ${d})`,
    expr: `self.${c.name}(${c.args[0]})`,
    state: [[`${c.name}.embeddings`, f32(need(c, 'embeddings'))]],
    helpers: ['PositionEmbedding'],
  };
};

const tokenSelect: Rule = (c) => ({ expr: `${c.args[0]}[:, ${cfg<number>(c, 'index')}]` });

const multiHeadAttention: Rule = (c) => {
  const [q, v] = [c.inShapes[0]!, c.inShapes[1]!];
  const k = c.inShapes[2] ?? v;
  if (q.length !== 2 || v.length !== 2 || k.length !== 2) unsupported(c, 'attention over inputs that are not [steps, features] sequences');
  const bias = cfg<boolean>(c, 'useBias');
  const args = [q[1], k[1], v[1], cfg(c, 'numHeads'), cfg(c, 'keyDim'), cfg(c, 'valueDim'), cfg(c, 'outputShape'), cfg(c, 'dropout'), bias, cfg(c, 'causal')];
  return {
    init: `self.${c.name} = MultiHeadAttention(${args.map(py).join(', ')})`,
    expr: `self.${c.name}(${c.args.join(', ')})`,
    state: ['query', 'key', 'value', 'output'].flatMap((p) => linearState(c, `${c.name}.${p}`, `${p}/`, bias)),
    helpers: ['MultiHeadAttention'],
  };
};

export const sequenceLayers: Readonly<Record<string, Rule>> = {
  LayerNormalization: layerNorm,
  PatchEmbedding: patchEmbedding,
  ClassToken: classToken,
  PositionEmbedding: positionEmbedding,
  TokenSelect: tokenSelect,
  MultiHeadAttention: multiHeadAttention,
};

/** Python source of the helper classes, by name; emitted once each, only when a graph uses them. */
export const pytorchHelpers: Readonly<Record<string, string>> = {
  ClassToken: `class ClassToken(nn.Module):
    """ViT's learned class token, prepended to each [steps, dim] sequence."""

    def __init__(self, dim):
        super().__init__()
        self.token = nn.Parameter(torch.zeros(1, 1, dim))

    def forward(self, x):
        return torch.cat([self.token.expand(x.shape[0], -1, -1), x], dim=1)
`,
  PositionEmbedding: `class PositionEmbedding(nn.Module):
    """A learned [steps, dim] table added to each sequence."""

    def __init__(self, steps, dim):
        super().__init__()
        self.embeddings = nn.Parameter(torch.zeros(steps, dim))

    def forward(self, x):
        return x + self.embeddings
`,
  MultiHeadAttention: `class MultiHeadAttention(nn.Module):
    """Keras-style multi-head attention over (query, value[, key]) sequences, as Layerlab's TF.js layer."""

    def __init__(self, query_in, key_in, value_in, num_heads, key_dim, value_dim, out_dim, dropout, bias, causal):
        super().__init__()
        self.num_heads, self.key_dim, self.value_dim = num_heads, key_dim, value_dim
        self.dropout, self.causal = dropout, causal
        self.query = nn.Linear(query_in, num_heads * key_dim, bias=bias)
        self.key = nn.Linear(key_in, num_heads * key_dim, bias=bias)
        self.value = nn.Linear(value_in, num_heads * value_dim, bias=bias)
        self.output = nn.Linear(num_heads * value_dim, out_dim, bias=bias)

    def forward(self, query, value, key=None):
        key = value if key is None else key

        def heads(x, proj, dim):
            return proj(x).reshape(x.shape[0], x.shape[1], self.num_heads, dim).transpose(1, 2)

        q = heads(query, self.query, self.key_dim)
        k = heads(key, self.key, self.key_dim)
        v = heads(value, self.value, self.value_dim)
        scores = (q @ k.transpose(-1, -2)) * (1.0 / self.key_dim ** 0.5)
        if self.causal:
            allowed = torch.ones(scores.shape[-2], scores.shape[-1], device=scores.device).tril()
            scores = scores + (1 - allowed) * -1e9
        weights = F.dropout(torch.softmax(scores, dim=-1), self.dropout, self.training)
        attended = (weights @ v).transpose(1, 2).reshape(query.shape[0], query.shape[1], -1)
        return self.output(attended)
`,
};
