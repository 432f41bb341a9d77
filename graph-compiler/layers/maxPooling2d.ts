import { pooling2d } from './pooling2d.js';

export const MaxPooling2D = pooling2d('MaxPooling2D', 'Takes the maximum of each poolSize window (default 2x2, stride = poolSize).');
