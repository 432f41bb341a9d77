/** The graph compiler: pure TypeScript, no DOM, no Node, no tfjs. */
export { compile, hasErrors, type CompileResult } from './compile.js';
export type { LoweredModel, LoweredNode } from './passes/lower.js';
export type { ShapedGraph } from './passes/inferShapes.js';
export type { IRGraph, IRNode, ShapedNode } from './ir.js';
export { layers, getLayer } from './layers/registry.js';
export type { LayerDef, LayerCategory, LoweredLayer } from './layers/defineLayer.js';
export { parseDocument } from './passes/parse.js';
export { serializeDocument } from './serialize.js';
