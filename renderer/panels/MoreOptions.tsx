/**
 * The less common training settings, folded away: learning-rate schedule and warm-up, weight decay,
 * gradient clipping, early stopping, test-set limit, seed and augmentation. Each field is text the
 * user types; `moreOptionsConfig` turns the valid ones into TrainConfig fields.
 */
import type { TrainConfigInput } from '../../contracts/index.js';

export interface MoreOptionsForm {
  schedule: 'constant' | 'step' | 'cosine';
  stepEvery: string;
  stepGamma: string;
  warmupEpochs: string;
  weightDecay: string;
  clipNorm: string;
  patience: string;
  limitTest: string;
  seed: string;
  flip: boolean;
  cropPadding: string;
}

export const defaultMoreOptions: MoreOptionsForm = {
  schedule: 'constant',
  stepEvery: '10',
  stepGamma: '0.1',
  warmupEpochs: '',
  weightDecay: '',
  clipNorm: '',
  patience: '',
  limitTest: '',
  seed: '42',
  flip: false,
  cropPadding: '',
};

const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
const isInt = (s: string, min: number) => s.trim() === '' || (/^-?\d+$/.test(s.trim()) && Number(s) >= min);
const isNum = (s: string, min: number, max = Infinity) => s.trim() === '' || (Number.isFinite(Number(s)) && Number(s) >= min && Number(s) <= max);

/** Which fields hold something that is not a valid value, with what is expected. */
export function moreOptionsErrors(f: MoreOptionsForm): Partial<Record<keyof MoreOptionsForm, string>> {
  const e: Partial<Record<keyof MoreOptionsForm, string>> = {};
  if (f.schedule === 'step' && (!isInt(f.stepEvery, 1) || f.stepEvery.trim() === '')) e.stepEvery = 'A whole number ≥ 1';
  if (f.schedule === 'step' && (!isNum(f.stepGamma, 0, 1) || Number(f.stepGamma) === 0 || f.stepGamma.trim() === '')) e.stepGamma = 'A factor in (0, 1]';
  if (!isNum(f.warmupEpochs, 0)) e.warmupEpochs = 'Epochs ≥ 0';
  if (!isNum(f.weightDecay, 0)) e.weightDecay = 'A number ≥ 0, e.g. 0.0005';
  if (!isNum(f.clipNorm, 0) || (f.clipNorm.trim() !== '' && Number(f.clipNorm) === 0)) e.clipNorm = 'A norm > 0, or empty for none';
  if (!isInt(f.patience, 1)) e.patience = 'Epochs ≥ 1, or empty for none';
  if (!isInt(f.limitTest, 1)) e.limitTest = 'Empty for all, or a whole number ≥ 1';
  if (!isInt(f.seed, Number.MIN_SAFE_INTEGER) || f.seed.trim() === '') e.seed = 'A whole number';
  if (!isInt(f.cropPadding, 0) || Number(f.cropPadding) > 64) e.cropPadding = 'Pixels 0–64';
  return e;
}

/** The TrainConfig fields these options set (only those the user filled in). */
export function moreOptionsConfig(f: MoreOptionsForm): Partial<TrainConfigInput> & { weightDecay?: number } {
  const schedule =
    f.schedule === 'step'
      ? { type: 'step' as const, everyEpochs: Number(f.stepEvery), gamma: Number(f.stepGamma) }
      : f.schedule === 'cosine'
        ? { type: 'cosine' as const }
        : { type: 'constant' as const };
  const out: Partial<TrainConfigInput> & { weightDecay?: number } = { schedule, seed: Number(f.seed) };
  if (num(f.warmupEpochs) !== undefined) out.warmupEpochs = num(f.warmupEpochs)!;
  if (num(f.clipNorm) !== undefined) out.clipNorm = num(f.clipNorm)!;
  if (num(f.patience) !== undefined) out.earlyStoppingPatience = num(f.patience)!;
  if (num(f.limitTest) !== undefined) out.limitTest = num(f.limitTest)!;
  if (num(f.weightDecay) !== undefined) out.weightDecay = num(f.weightDecay)!;
  if (f.flip || num(f.cropPadding)) out.augment = { flip: f.flip, cropPadding: num(f.cropPadding) ?? 0 };
  return out;
}

export function MoreOptions({ form, onChange, disabled }: { form: MoreOptionsForm; onChange: (f: MoreOptionsForm) => void; disabled: boolean }) {
  const errors = moreOptionsErrors(form);
  const text = (key: Exclude<keyof MoreOptionsForm, 'schedule' | 'flip'>, label: string, placeholder = '') => (
    <label className="field">
      <span>{label}</span>
      <input
        value={form[key]}
        placeholder={placeholder}
        aria-invalid={errors[key] ? true : undefined}
        title={errors[key]}
        onChange={(e) => onChange({ ...form, [key]: e.target.value })}
        disabled={disabled}
        data-testid={`train-${key}`}
      />
    </label>
  );
  return (
    <details className="more-options" data-testid="more-options">
      <summary>More options</summary>
      <div className="field-grid">
        <label className="field">
          <span>LR schedule</span>
          <select value={form.schedule} onChange={(e) => onChange({ ...form, schedule: e.target.value as MoreOptionsForm['schedule'] })} disabled={disabled} data-testid="train-schedule">
            <option value="constant">Constant</option>
            <option value="step">Step decay</option>
            <option value="cosine">Cosine</option>
          </select>
        </label>
        {text('warmupEpochs', 'Warm-up epochs', '0')}
        {form.schedule === 'step' && text('stepEvery', 'Decay every (epochs)')}
        {form.schedule === 'step' && text('stepGamma', 'Decay factor')}
        {text('weightDecay', 'Weight decay', '0')}
        {text('clipNorm', 'Clip gradient norm', 'none')}
        {text('patience', 'Early stopping patience', 'none')}
        {text('limitTest', 'Limit test examples', 'all')}
        {text('seed', 'Seed')}
        {text('cropPadding', 'Random crop padding', '0')}
        <label className="field check">
          <input type="checkbox" checked={form.flip} onChange={(e) => onChange({ ...form, flip: e.target.checked })} disabled={disabled} data-testid="train-flip" />
          <span>Random horizontal flip</span>
        </label>
      </div>
    </details>
  );
}
