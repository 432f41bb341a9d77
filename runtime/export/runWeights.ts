/**
 * Reads a finished run directory for export: the graph (compiled again, so every exporter
 * sees the same lowered model the run trained) and the final TF.js weights, decoded without
 * tfjs and keyed by the node that owns them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type LoweredModel, type LoweredNode } from '../../graph-compiler/index.js';
import { layerName } from '../materialize.js';

/**
 * A problem the user can fix; the CLI prints the message. `E_NOT_A_RUN`: the folder is not a
 * finished run. `E_UNSUPPORTED`: the graph has a layer the format cannot express yet.
 * `E_DAMAGED`: the run's files disagree with each other.
 */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly code: 'E_NOT_A_RUN' | 'E_UNSUPPORTED' | 'E_DAMAGED' = 'E_UNSUPPORTED',
  ) {
    super(message);
  }
}

/** One trained tensor as TF.js stores it (TF.js layout: Dense [in, out], Conv2D [h, w, in, out]). */
export interface WeightTensor {
  readonly nodeId: string;
  /** The weight's name inside its layer, e.g. `kernel`, `bias`, `moving_mean`. */
  readonly weight: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  /** Little-endian raw bytes, exactly as in `weights.bin`. */
  readonly bytes: Uint8Array;
}

export interface RunWeights {
  readonly graphName: string;
  readonly lowered: LoweredModel;
  /** In `weights.bin` order. */
  readonly tensors: readonly WeightTensor[];
}

interface ManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: unknown;
}

/** Reads `RUN_DIR/graph.layerlab.json` and `RUN_DIR/final/{model.json,weights.bin}`. */
export function readRun(runDir: string): RunWeights {
  const graphPath = join(runDir, 'graph.layerlab.json');
  const modelPath = join(runDir, 'final', 'model.json');
  if (!existsSync(graphPath)) throw new ExportError(`${runDir} is not a Layerlab run (no graph.layerlab.json); pass the folder \`layerlab train\` wrote`, 'E_NOT_A_RUN');
  if (!existsSync(modelPath)) throw new ExportError(`${runDir} has no trained weights (${modelPath}); pass a finished run directory`, 'E_NOT_A_RUN');
  const result = compile(readFileSync(graphPath, 'utf8'));
  if (!result.lowered) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    throw new ExportError(`${graphPath} no longer compiles (${first?.message ?? 'unknown error'}); export needs the graph the run trained`, 'E_DAMAGED');
  }
  const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { weightsManifest?: { paths: string[]; weights: ManifestEntry[] }[] };
  const groups = model.weightsManifest ?? [];
  const bin = concat(groups.flatMap((g) => g.paths.map((p) => readFileSync(join(runDir, 'final', p)))));
  const entries = groups.flatMap((g) => g.weights);
  return { graphName: result.document?.name ?? 'model', lowered: result.lowered, tensors: splitWeights(result.lowered, entries, bin) };
}

/** Cuts `weights.bin` into tensors and attributes each to its node (`conv1/kernel` → conv1, kernel). */
export function splitWeights(lowered: LoweredModel, entries: readonly ManifestEntry[], bin: Uint8Array): WeightTensor[] {
  const byLayer = new Map(lowered.nodes.map((n) => [layerName(n.id), n.id]));
  let offset = 0;
  return entries.map((e) => {
    if (e.quantization) throw new ExportError(`weight ${e.name} is quantized; export reads float32 weights only`, 'E_DAMAGED');
    if (e.dtype !== 'float32' && e.dtype !== 'int32') throw new ExportError(`weight ${e.name} has dtype ${e.dtype}; export reads float32 and int32 weights`, 'E_DAMAGED');
    const slash = e.name.indexOf('/');
    const nodeId = byLayer.get(e.name.slice(0, slash));
    if (slash < 0 || nodeId === undefined) throw new ExportError(`weight ${e.name} belongs to no node of the graph; was the run's graph edited after training?`, 'E_DAMAGED');
    const size = 4 * e.shape.reduce((a, b) => a * b, 1);
    if (offset + size > bin.byteLength) throw new ExportError(`weights.bin is shorter than model.json says (at ${e.name}); the run's final weights are damaged`, 'E_DAMAGED');
    const bytes = bin.slice(offset, offset + size);
    offset += size;
    return { nodeId, weight: e.name.slice(slash + 1), shape: [...e.shape], dtype: e.dtype, bytes };
  });
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The weights of `node` by their in-layer name, in `weights.bin` order. */
export function weightsOf(run: RunWeights, node: LoweredNode): Map<string, WeightTensor> {
  return new Map(run.tensors.filter((t) => t.nodeId === node.id).map((t) => [t.weight, t]));
}

/** Per-node input shapes (batch excluded), from the producers' output shapes. */
export function inputShapes(lowered: LoweredModel, node: LoweredNode): (readonly number[])[] {
  const byId = new Map(lowered.nodes.map((n) => [n.id, n]));
  return node.inputs.map((i) => byId.get(i)!.outputShape);
}
