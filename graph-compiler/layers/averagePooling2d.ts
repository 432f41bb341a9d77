import { pooling2d } from './pooling2d.js';

export const AveragePooling2D = pooling2d('AveragePooling2D', 'Averages each poolSize window (default 2x2, stride = poolSize).');
