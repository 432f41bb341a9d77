/**
 * Shared definition of SimpleRNN, GRU and LSTM; each has its own file that names it.
 *
 * Parameter counts follow PyTorch (nn.RNN / nn.GRU / nn.LSTM): every gate has an input
 * kernel, a recurrent kernel and two bias vectors (b_ih and b_hh), so a layer with `g`
 * gates has g·(h·in + h·h + 2h). TF.js keeps one bias per gate (and its GRU is the
 * reset-before variant), so the materialised TF.js layer holds g·h fewer numbers than
 * the report: the report is PyTorch's figure, as the CLI contract asks.
 */
import { z } from 'zod';
import type { Shape } from '../../contracts/index.js';
import { ok, type ShapeResult } from '../result.js';
import { activationName, positiveInt, requireRank, tfjsActivation } from './common.js';
import { defineLayer, type ParamCount } from './defineLayer.js';

export type RecurrentType = 'SimpleRNN' | 'GRU' | 'LSTM';
export const recurrentTypes = ['SimpleRNN', 'GRU', 'LSTM'] as const;
export const gates: Record<RecurrentType, number> = { SimpleRNN: 1, GRU: 3, LSTM: 4 };

export const recurrentParams = {
  units: positiveInt,
  activation: activationName.default('tanh'),
  returnSequences: z.boolean().default(false),
  useBias: z.boolean().default(true),
};
type RecurrentParams = { units: number; activation: z.infer<typeof activationName>; returnSequences: boolean; useBias: boolean };

export function recurrentShape(type: string, x: Shape | undefined, p: RecurrentParams, width = p.units): ShapeResult {
  return requireRank(type, x, 2, '[steps, features]') ?? ok(p.returnSequences ? [x![0]!, width] : [width]);
}

export function recurrentCount(type: RecurrentType, x: Shape, p: RecurrentParams): ParamCount {
  const h = p.units;
  return { trainable: gates[type] * (h * x[1]! + h * h + (p.useBias ? 2 * h : 0)), nonTrainable: 0 };
}

export const recurrentFlops = (type: RecurrentType, x: Shape, p: RecurrentParams): number =>
  2 * gates[type] * x[0]! * (x[1]! * p.units + p.units * p.units);

/** The TF.js config; gates use the logistic sigmoid as PyTorch does (TF.js defaults to hardSigmoid). */
export function recurrentConfig(type: RecurrentType, p: RecurrentParams): Record<string, unknown> {
  const base = { units: p.units, activation: tfjsActivation[p.activation], returnSequences: p.returnSequences, useBias: p.useBias };
  return type === 'SimpleRNN' ? base : { ...base, recurrentActivation: 'sigmoid' };
}

export function recurrent(type: RecurrentType, doc: string) {
  return defineLayer({
    type,
    category: 'recurrent',
    doc,
    params: z.object(recurrentParams),
    ports: { min: 1, max: 1 },
    inferShape: ([x], p) => recurrentShape(type, x, p),
    paramCount: ([x], p) => recurrentCount(type, x!, p),
    flops: ([x], p) => recurrentFlops(type, x!, p),
    lower: (p) => ({ className: type, config: recurrentConfig(type, p) }),
  });
}
