import { elementwiseMerge } from './merge.js';

export const Add = elementwiseMerge(
  'Add',
  'Adds its inputs element-wise; all must have the same shape (residual connections, d2l 8.6).',
  'make them equal, e.g. a 1x1 Conv2D with matching filters and strides on the shortcut',
);
