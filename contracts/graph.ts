/**
 * The graph document: the file users save, share and put in git (`.layerlab.json`).
 * See docs/graph-format.md. The schema is deliberately loose about `params` (each
 * layer's own schema in graph-compiler validates them) and keeps unknown top-level keys.
 */
import { z } from 'zod';

/** Branded node id: `[A-Za-z_][A-Za-z0-9_.-]*`, unique within its graph. */
export type NodeId = string & { readonly __brand: 'NodeId' };

export const GRAPH_FORMAT = 'layerlab-graph';
export const GRAPH_VERSION = 1;

export const nodeIdPattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A parameter value as written in a file: JSON scalars, arrays, or `"$name"` block references. */
export const paramValue: z.ZodType<ParamValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(paramValue)]),
);
export type ParamValue = string | number | boolean | null | ParamValue[];

export const position = z.object({ x: z.number(), y: z.number() });

export const graphNode = z.object({
  id: z.string().regex(nodeIdPattern, 'ids start with a letter or _ and use only letters, digits, _ . -'),
  type: z.string().min(1),
  params: z.record(z.string(), paramValue).optional(),
  position: position.optional(),
  /** Free-form label shown on the canvas instead of the id. */
  label: z.string().optional(),
});
export type GraphNode = z.infer<typeof graphNode>;

export const graphEdge = z.object({
  source: z.string(),
  target: z.string(),
  targetPort: z.number().int().nonnegative().optional(),
});
export type GraphEdge = z.infer<typeof graphEdge>;

export const blockDef = z.object({
  params: z.record(z.string(), paramValue).optional(),
  inputs: z.array(z.string()).min(1),
  outputs: z.array(z.string()).min(1),
  nodes: z.array(graphNode),
  edges: z.array(graphEdge),
  description: z.string().optional(),
});
export type BlockDef = z.infer<typeof blockDef>;

export const optimizerConfig = z.object({
  type: z.enum(['sgd', 'momentum', 'adam', 'adamw', 'rmsprop']).default('sgd'),
  learningRate: z.number().positive().default(0.1),
  momentum: z.number().min(0).max(1).optional(),
  weightDecay: z.number().min(0).optional(),
});
export type OptimizerConfig = z.infer<typeof optimizerConfig>;

export const lossName = z.enum(['softmaxCrossEntropy', 'binaryCrossEntropy', 'mse', 'huber']);
export type LossName = z.infer<typeof lossName>;

export const trainingSection = z.looseObject({
  dataset: z.string().optional(),
  epochs: z.number().int().positive().optional(),
  batchSize: z.number().int().positive().optional(),
  optimizer: optimizerConfig.partial().optional(),
  loss: lossName.optional(),
  seed: z.number().int().optional(),
});
export type TrainingSection = z.infer<typeof trainingSection>;

export const graphDocument = z.looseObject({
  format: z.literal(GRAPH_FORMAT),
  version: z.number().int().positive(),
  name: z.string().default('Untitled'),
  description: z.string().optional(),
  nodes: z.array(graphNode),
  edges: z.array(graphEdge),
  blocks: z.record(z.string(), blockDef).optional(),
  outputs: z.array(z.string()).optional(),
  training: trainingSection.optional(),
});
export type GraphDocument = z.infer<typeof graphDocument>;

/** Shapes exclude the batch dimension, channels-last. */
export type Shape = readonly number[];
