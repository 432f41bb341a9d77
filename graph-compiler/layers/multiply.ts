import { elementwiseMerge } from './merge.js';

export const Multiply = elementwiseMerge(
  'Multiply',
  'Multiplies its inputs element-wise; all must have the same shape (gates).',
  'make the shapes equal before multiplying',
);
