/** Shape rules return values, never throw: either a shape or a problem with the port it blames. */
import type { DiagCode, Shape } from '../contracts/index.js';

export interface ShapeProblem {
  readonly code: DiagCode;
  readonly message: string;
  readonly port?: number;
}
export type ShapeResult = { readonly ok: true; readonly shape: Shape } | { readonly ok: false; readonly problem: ShapeProblem };

export const ok = (shape: Shape): ShapeResult => ({ ok: true, shape });
export const err = (code: DiagCode, message: string, port?: number): ShapeResult => ({
  ok: false,
  problem: port === undefined ? { code, message } : { code, message, port },
});

export const fmt = (s: Shape | null | undefined): string => (s ? `[${s.join(',')}]` : '[?]');
export const product = (s: Shape): number => s.reduce((a, b) => a * b, 1);
