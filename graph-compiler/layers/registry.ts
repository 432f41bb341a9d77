/** The table of every layer kind. Adding a layer = one file + one line here. */
import { Activation } from './activation.js';
import { Add } from './add.js';
import { AveragePooling2D } from './averagePooling2d.js';
import { BatchNormalization } from './batchNormalization.js';
import { Bidirectional } from './bidirectional.js';
import { ClassToken } from './classToken.js';
import { Concatenate } from './concatenate.js';
import { Conv1D } from './conv1d.js';
import { Conv2D } from './conv2d.js';
import { Conv2DTranspose } from './conv2dTranspose.js';
import type { AnyLayerDef } from './defineLayer.js';
import { Dense } from './dense.js';
import { DepthwiseConv2D } from './depthwiseConv2d.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { Flatten } from './flatten.js';
import { GlobalAveragePooling2D } from './globalAveragePooling2d.js';
import { GlobalMaxPooling2D } from './globalMaxPooling2d.js';
import { GRU } from './gru.js';
import { Input } from './input.js';
import { LayerNormalization } from './layerNormalization.js';
import { LSTM } from './lstm.js';
import { MaxPooling2D } from './maxPooling2d.js';
import { MultiHeadAttention } from './multiHeadAttention.js';
import { Multiply } from './multiply.js';
import { PatchEmbedding } from './patchEmbedding.js';
import { Permute } from './permute.js';
import { PositionEmbedding } from './positionEmbedding.js';
import { Reshape } from './reshape.js';
import { SeparableConv2D } from './separableConv2d.js';
import { SimpleRNN } from './simpleRnn.js';
import { TokenSelect } from './tokenSelect.js';
import { ZeroPadding2D } from './zeroPadding2d.js';

const all: readonly AnyLayerDef[] = [
  Input,
  Dense,
  Conv1D,
  Conv2D,
  DepthwiseConv2D,
  SeparableConv2D,
  Conv2DTranspose,
  MaxPooling2D,
  AveragePooling2D,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  ZeroPadding2D,
  Flatten,
  Reshape,
  Permute,
  Dropout,
  BatchNormalization,
  LayerNormalization,
  Activation,
  Add,
  Multiply,
  Concatenate,
  Embedding,
  SimpleRNN,
  GRU,
  LSTM,
  Bidirectional,
  MultiHeadAttention,
  PatchEmbedding,
  ClassToken,
  PositionEmbedding,
  TokenSelect,
];

export const layers: ReadonlyMap<string, AnyLayerDef> = new Map(all.map((l) => [l.type, l]));

export function getLayer(type: string): AnyLayerDef | undefined {
  return layers.get(type);
}

type ParamsResult = { readonly success: true; readonly data: unknown } | { readonly success: false; readonly error: { readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] } };
// Documents are immutable values (edits return the next document), so a params object always
// parses the same way: memoise by identity, shared by the rule that reports bad params, shape
// inference, and the next compile after an edit that left this node alone.
// A params object almost always meets one layer type, so one slot per object is enough.
const parsedParams = new WeakMap<object, { readonly type: string; readonly result: ParamsResult }>();

/** The layer's zod parse of a node's params (defaults applied), memoised by the params object. */
export function parseParams(def: AnyLayerDef, params: object): ParamsResult {
  const hit = parsedParams.get(params);
  if (hit?.type === def.type) return hit.result;
  const result = def.params.safeParse(params) as ParamsResult;
  parsedParams.set(params, { type: def.type, result });
  return result;
}
