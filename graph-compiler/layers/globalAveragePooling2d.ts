import { globalPooling2d } from './globalPooling2d.js';

export const GlobalAveragePooling2D = globalPooling2d(
  'GlobalAveragePooling2D',
  'Averages each channel over height and width: [h, w, c] to [c] (NiN, ResNet heads).',
);
