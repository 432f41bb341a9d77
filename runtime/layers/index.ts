/**
 * Custom TF.js layers for the layer kinds TF.js lacks. Importing this module registers
 * them with TF.js's serialization map, so lowered models build and saved models load.
 */
import { ClassToken } from './ClassToken.js';
import { LayerlabBidirectional } from './LayerlabBidirectional.js';
import { MultiHeadAttention } from './MultiHeadAttention.js';
import { PatchEmbedding } from './PatchEmbedding.js';
import { PositionEmbedding } from './PositionEmbedding.js';
import { TokenSelect } from './TokenSelect.js';

export { ClassToken, LayerlabBidirectional, MultiHeadAttention, PatchEmbedding, PositionEmbedding, TokenSelect };

export const customLayers = [ClassToken, LayerlabBidirectional, MultiHeadAttention, PatchEmbedding, PositionEmbedding, TokenSelect] as const;

/**
 * Registration happens when the module loads; calling this names the dependency at the
 * call site (so bundlers keep the module) and returns the class names now available.
 */
export function registerCustomLayers(): readonly string[] {
  return customLayers.map((c) => c.className);
}
