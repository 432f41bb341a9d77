/**
 * PyTorch rules for TF.js's recurrent layers on [steps, features] inputs (batch first).
 * SimpleRNN and LSTM map onto nn.RNN / nn.LSTM (same gate order as TF: i, f, c, o; TF has one
 * bias per gate, so bias_hh is zero). TF.js's GRU applies the reset gate before the recurrent
 * matmul while nn.GRU applies it after, so GRU becomes a small explicit loop (pytorchHelpers).
 */
import { transposeBytes, type NpyArray } from './npz.js';
import { py } from './python.js';
import { cfg, f32, need, unsupported, type Rule, type TorchContext } from './pytorchLayers.js';

function recurrentState(c: TorchContext, units: number, gates: number, useBias: boolean): [string, NpyArray][] {
  const features = c.inShapes[0]![1]!;
  const k = need(c, 'kernel');
  const rk = need(c, 'recurrent_kernel');
  const state: [string, NpyArray][] = [
    [`${c.name}.weight_ih_l0`, f32(k, transposeBytes(k.bytes, k.shape, [1, 0]), [gates * units, features])],
    [`${c.name}.weight_hh_l0`, f32(rk, transposeBytes(rk.bytes, rk.shape, [1, 0]), [gates * units, units])],
  ];
  if (useBias) {
    state.push([`${c.name}.bias_ih_l0`, f32(need(c, 'bias'))]);
    state.push([`${c.name}.bias_hh_l0`, { dtype: 'float32', shape: [gates * units], bytes: new Uint8Array(4 * gates * units) }]);
  }
  return state;
}

/** nn.RNN / nn.LSTM return (all steps, state); TF returns all steps or only the last. */
const lastOrAll = (c: TorchContext, call: string) => (cfg<boolean>(c, 'returnSequences') ? `${call}[0]` : `${call}[0][:, -1]`);

const simpleRnn: Rule = (c) => {
  const act = cfg<string>(c, 'activation');
  if (act !== 'tanh' && act !== 'relu') unsupported(c, `activation "${act}" (nn.RNN has tanh and relu)`);
  const units = cfg<number>(c, 'units');
  const useBias = cfg<boolean>(c, 'useBias');
  return {
    init: `self.${c.name} = nn.RNN(${c.inShapes[0]![1]}, ${units}, nonlinearity=${py(act)}, bias=${py(useBias)}, batch_first=True)`,
    expr: lastOrAll(c, `self.${c.name}(${c.args[0]})`),
    state: recurrentState(c, units, 1, useBias),
  };
};

const lstm: Rule = (c) => {
  const act = cfg<string>(c, 'activation');
  const gate = cfg<string>(c, 'recurrentActivation');
  if (act !== 'tanh' || gate !== 'sigmoid') unsupported(c, `activation "${act}" with gates "${gate}" (nn.LSTM has tanh and sigmoid)`);
  const units = cfg<number>(c, 'units');
  const useBias = cfg<boolean>(c, 'useBias');
  return {
    init: `self.${c.name} = nn.LSTM(${c.inShapes[0]![1]}, ${units}, bias=${py(useBias)}, batch_first=True)`,
    expr: lastOrAll(c, `self.${c.name}(${c.args[0]})`),
    state: recurrentState(c, units, 4, useBias),
  };
};

const gruActivations: Record<string, string> = { tanh: 'torch.tanh', sigmoid: 'torch.sigmoid', relu: 'torch.relu' };

const gru: Rule = (c) => {
  const act = gruActivations[cfg<string>(c, 'activation')];
  const gate = gruActivations[cfg<string>(c, 'recurrentActivation')];
  if (!act || !gate) unsupported(c, `activation "${cfg(c, 'activation')}" with gates "${cfg(c, 'recurrentActivation')}"`);
  const units = cfg<number>(c, 'units');
  const useBias = cfg<boolean>(c, 'useBias');
  const state: [string, NpyArray][] = [
    [`${c.name}.kernel`, f32(need(c, 'kernel'))],
    [`${c.name}.recurrent_kernel`, f32(need(c, 'recurrent_kernel'))],
  ];
  if (useBias) state.push([`${c.name}.bias`, f32(need(c, 'bias'))]);
  const args = [c.inShapes[0]![1], units, cfg<boolean>(c, 'returnSequences'), useBias].map(py);
  return {
    init: `self.${c.name} = GRU(${args.join(', ')}, activation=${act}, recurrent_activation=${gate})`,
    expr: `self.${c.name}(${c.args[0]})`,
    state,
    helpers: ['GRU'],
  };
};

export const recurrentLayers: Readonly<Record<string, Rule>> = { SimpleRNN: simpleRnn, LSTM: lstm, GRU: gru };

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
};
