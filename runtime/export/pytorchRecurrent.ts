/**
 * PyTorch rules for TF.js's recurrent layers on [steps, features] inputs (batch first), and
 * Embedding. SimpleRNN and LSTM map onto nn.RNN / nn.LSTM (same gate order as TF: i, f, c, o;
 * TF has one bias per gate, so bias_hh is zero). TF.js's GRU applies the reset gate before the
 * recurrent matmul while nn.GRU applies it after, so GRU becomes a small explicit loop.
 * Bidirectional runs a second copy over the reversed sequence, as TF.js does.
 */
import type { NpyArray } from './npz.js';
import { transposeBytes } from './npz.js';
import { py } from './python.js';
import { cfg, f32, isImage, need, toNCHW, unsupported, type Rule, type TorchContext } from './pytorchLayers.js';
import { ExportError, type WeightTensor } from './runWeights.js';

type RecurrentKind = 'SimpleRNN' | 'LSTM' | 'GRU';

interface RecurrentModule {
  /** Python constructor call. */
  readonly ctor: string;
  readonly state: [string, NpyArray][];
  readonly helpers: string[];
}

const gruActivations: Record<string, string> = { tanh: 'torch.tanh', sigmoid: 'torch.sigmoid', relu: 'torch.relu' };

/**
 * One direction's module. `weight(name)` finds this direction's TF.js tensor; `attr` is its
 * state_dict prefix; `allSteps` makes it return every step (the caller picks the last).
 */
function recurrentModule(
  c: TorchContext,
  kind: RecurrentKind,
  config: Readonly<Record<string, unknown>>,
  weight: (name: string) => WeightTensor,
  attr: string,
  allSteps: boolean,
): RecurrentModule {
  const features = c.inShapes[0]![1]!;
  const units = config.units as number;
  const useBias = config.useBias as boolean;
  const act = config.activation as string;
  const gate = config.recurrentActivation as string | undefined;
  if (kind === 'GRU') {
    if (!gruActivations[act] || !gruActivations[gate!]) unsupported(c, `activation "${act}" with gates "${gate}"`);
    const state: [string, NpyArray][] = [
      [`${attr}.kernel`, f32(weight('kernel'))],
      [`${attr}.recurrent_kernel`, f32(weight('recurrent_kernel'))],
    ];
    if (useBias) state.push([`${attr}.bias`, f32(weight('bias'))]);
    const args = [features, units, allSteps, useBias].map(py).join(', ');
    return { ctor: `GRU(${args}, activation=${gruActivations[act]}, recurrent_activation=${gruActivations[gate!]})`, state, helpers: ['GRU'] };
  }
  if (kind === 'SimpleRNN' && act !== 'tanh' && act !== 'relu') unsupported(c, `activation "${act}" (nn.RNN has tanh and relu)`);
  if (kind === 'LSTM' && (act !== 'tanh' || gate !== 'sigmoid')) unsupported(c, `activation "${act}" with gates "${gate}" (nn.LSTM has tanh and sigmoid)`);
  const gates = kind === 'LSTM' ? 4 : 1;
  const k = weight('kernel');
  const rk = weight('recurrent_kernel');
  const state: [string, NpyArray][] = [
    [`${attr}.weight_ih_l0`, f32(k, transposeBytes(k.bytes, k.shape, [1, 0]), [gates * units, features])],
    [`${attr}.weight_hh_l0`, f32(rk, transposeBytes(rk.bytes, rk.shape, [1, 0]), [gates * units, units])],
  ];
  if (useBias) {
    state.push([`${attr}.bias_ih_l0`, f32(weight('bias'))]);
    state.push([`${attr}.bias_hh_l0`, { dtype: 'float32', shape: [gates * units], bytes: new Uint8Array(4 * gates * units) }]);
  }
  const ctor =
    kind === 'LSTM'
      ? `nn.LSTM(${features}, ${units}, bias=${py(useBias)}, batch_first=True)`
      : `nn.RNN(${features}, ${units}, nonlinearity=${py(act)}, bias=${py(useBias)}, batch_first=True)`;
  return { ctor, state, helpers: [] };
}

function recurrent(kind: RecurrentKind): Rule {
  return (c) => {
    const m = recurrentModule(c, kind, c.node.config, (w) => need(c, w), c.name, cfg<boolean>(c, 'returnSequences'));
    const call = `self.${c.name}(${c.args[0]})`;
    // nn.RNN / nn.LSTM return (every step, state); TF returns every step or only the last.
    const expr = kind === 'GRU' ? call : cfg<boolean>(c, 'returnSequences') ? `${call}[0]` : `${call}[0][:, -1]`;
    return { init: `self.${c.name} = ${m.ctor}`, expr, state: m.state, helpers: m.helpers };
  };
}

const bidirectional: Rule = (c) => {
  const layer = cfg<{ className: RecurrentKind; config: Record<string, unknown> }>(c, 'layer');
  if (!['SimpleRNN', 'LSTM', 'GRU'].includes(layer.className)) unsupported(c, `a Bidirectional ${layer.className}`);
  // TF.js names them `<node>/forward_<kind>_<counter>/kernel`; the counter varies, the prefix does not.
  const direction = (dir: 'forward' | 'backward') => (name: string) => {
    const found = [...c.weights.entries()].find(([w]) => w.startsWith(`${dir}_`) && w.endsWith(`/${name}`));
    if (!found) throw new ExportError(`node "${c.node.id}" (${c.node.className}): the run's weights have no ${dir} "${name}"`, 'E_DAMAGED');
    return found[1];
  };
  const fwd = recurrentModule(c, layer.className, layer.config, direction('forward'), `${c.name}.forward_layer`, true);
  const bwd = recurrentModule(c, layer.className, layer.config, direction('backward'), `${c.name}.backward_layer`, true);
  const args = [layer.config.returnSequences, cfg(c, 'mergeMode')].map(py).join(', ');
  return {
    init: `self.${c.name} = Bidirectional(${fwd.ctor}, ${bwd.ctor}, ${args})`,
    expr: `self.${c.name}(${c.args[0]})`,
    state: [...fwd.state, ...bwd.state],
    helpers: [...fwd.helpers, 'Bidirectional'],
  };
};

const embedding: Rule = (c) => {
  const w = need(c, 'embeddings');
  // TF.js casts the ids to int32 (truncating), as .long() does.
  const call = `self.${c.name}(${c.args[0]}.long())`;
  return {
    init: `self.${c.name} = nn.Embedding(${cfg<number>(c, 'inputDim')}, ${cfg<number>(c, 'outputDim')})`,
    expr: isImage(c.outShape) ? toNCHW(call) : call,
    state: [[`${c.name}.weight`, f32(w)]],
  };
};

export const recurrentLayers: Readonly<Record<string, Rule>> = {
  SimpleRNN: recurrent('SimpleRNN'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  LayerlabBidirectional: bidirectional,
  Embedding: embedding,
};

export const recurrentHelpers: Readonly<Record<string, string>> = {
  GRU: `class GRU(nn.Module):
    """TF.js's GRU: gates z, r, h in TF layout; the reset gate scales the state BEFORE the
    recurrent matmul (Keras reset_after=False), which nn.GRU cannot express."""

    def __init__(self, features, units, return_sequences, bias, activation, recurrent_activation):
        super().__init__()
        self.units, self.return_sequences = units, return_sequences
        self.activation, self.recurrent_activation = activation, recurrent_activation
        self.kernel = nn.Parameter(torch.zeros(features, 3 * units))
        self.recurrent_kernel = nn.Parameter(torch.zeros(units, 3 * units))
        self.bias = nn.Parameter(torch.zeros(3 * units)) if bias else None

    def forward(self, x):
        u = self.units
        xs = x @ self.kernel
        if self.bias is not None:
            xs = xs + self.bias
        h = x.new_zeros(x.shape[0], u)
        steps = []
        for t in range(x.shape[1]):
            xz, xr, xh = xs[:, t].split(u, dim=-1)
            hz, hr = (h @ self.recurrent_kernel[:, :2 * u]).split(u, dim=-1)
            z = self.recurrent_activation(xz + hz)
            r = self.recurrent_activation(xr + hr)
            hh = self.activation(xh + (r * h) @ self.recurrent_kernel[:, 2 * u:])
            h = z * h + (1 - z) * hh
            steps.append(h)
        return torch.stack(steps, dim=1) if self.return_sequences else h
`,
  Bidirectional: `class Bidirectional(nn.Module):
    """Runs forward_layer over the sequence and backward_layer over it reversed, then merges (TF.js order)."""

    def __init__(self, forward_layer, backward_layer, return_sequences, merge_mode):
        super().__init__()
        self.forward_layer, self.backward_layer = forward_layer, backward_layer
        self.return_sequences, self.merge_mode = return_sequences, merge_mode

    @staticmethod
    def steps(layer, x):
        y = layer(x)
        return y[0] if isinstance(y, tuple) else y

    def forward(self, x):
        f = self.steps(self.forward_layer, x)
        b = self.steps(self.backward_layer, x.flip(1))
        if self.return_sequences:
            b = b.flip(1)
        else:
            f, b = f[:, -1], b[:, -1]
        if self.merge_mode == "concat":
            return torch.cat([f, b], dim=-1)
        if self.merge_mode == "sum":
            return f + b
        if self.merge_mode == "mul":
            return f * b
        return 0.5 * (f + b)
`,
};
