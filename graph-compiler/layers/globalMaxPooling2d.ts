import { globalPooling2d } from './globalPooling2d.js';

export const GlobalMaxPooling2D = globalPooling2d('GlobalMaxPooling2D', 'Takes each channel\'s maximum over height and width: [h, w, c] to [c].');
