/**
 * Custom TF.js layers for the layer kinds TF.js lacks. Importing this module registers
 * them with TF.js's serialization map, so lowered models build and saved models load.
 */
// TF.js's orthogonal initializer (every RNN's recurrent kernel) calls chained tensor methods,
// which tfjs-core alone does not install; the @tensorflow/tfjs union package installs them
// on the one shared tfjs-core (and, unlike tfjs-core's deep ESM paths, loads in plain Node).
import '@tensorflow/tfjs';
// Replace tfjs-layers' classes of the same name: a fused training step on wasm (with the ReLU
// after batch norm or Add, when the compiler fused one), stock otherwise.
import { Activation } from './Activation.js';
import { Add } from './Add.js';
import { BatchNormalization } from './BatchNormalization.js';
// Replaces tfjs-layers' 'gelu' activation: one kernel and one gradient on wasm.
import { Gelu } from './activations.js';
import { ClassToken } from './ClassToken.js';
// Replaces tfjs-layers' Dropout: one-pass masks on wasm, a new seeded mask on every call.
import { Dropout } from './Dropout.js';
// Replaces tfjs-layers' LayerNormalization: one kernel and one gradient on wasm.
import { LayerNormalization } from './LayerNormalization.js';
import { LayerlabBidirectional } from './LayerlabBidirectional.js';
import { MultiHeadAttention } from './MultiHeadAttention.js';
import { PatchEmbedding } from './PatchEmbedding.js';
import { PositionEmbedding } from './PositionEmbedding.js';
import { TokenSelect } from './TokenSelect.js';

export { Activation, Add, BatchNormalization, ClassToken, Dropout, Gelu, LayerNormalization, LayerlabBidirectional, MultiHeadAttention, PatchEmbedding, PositionEmbedding, TokenSelect };

export const customLayers = [ClassToken, LayerlabBidirectional, MultiHeadAttention, PatchEmbedding, PositionEmbedding, TokenSelect] as const;

/**
 * Registration happens when the module loads; calling this names the dependency at the
 * call site (so bundlers keep the module) and returns the class names now available.
 */
export function registerCustomLayers(): readonly string[] {
  return customLayers.map((c) => c.className);
}
