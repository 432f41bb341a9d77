/** Shape rules return values, never throw: either a shape or a problem with the port it blames. */
import type { DiagCode, ParamValue, Shape } from '../contracts/index.js';

/**
 * A repair a shape rule can suggest without knowing node ids: set params on the node itself,
 * or insert a layer before one of its input ports. inferShapes turns it into a QuickFix.
 */
export interface ShapeFix {
  readonly title: string;
  readonly setParams?: Readonly<Record<string, ParamValue>>;
  readonly insertBefore?: { readonly port: number; readonly type: string; readonly params: Readonly<Record<string, ParamValue>> };
}

export interface ShapeProblem {
  readonly code: DiagCode;
  readonly message: string;
  readonly port?: number;
  readonly fix?: ShapeFix;
}
export type ShapeResult = { readonly ok: true; readonly shape: Shape } | { readonly ok: false; readonly problem: ShapeProblem };

export const ok = (shape: Shape): ShapeResult => ({ ok: true, shape });
export const err = (code: DiagCode, message: string, port?: number, fix?: ShapeFix): ShapeResult => ({
  ok: false,
  problem: { code, message, ...(port === undefined ? {} : { port }), ...(fix ? { fix } : {}) },
});

export const fmt = (s: Shape | null | undefined): string => (s ? `[${s.join(',')}]` : '[?]');
export const product = (s: Shape): number => s.reduce((a, b) => a * b, 1);
