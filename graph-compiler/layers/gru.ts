import { recurrent } from './recurrent.js';

export const GRU = recurrent('GRU', 'Gated recurrent unit over [steps, features]: reset and update gates (d2l 10.2).');
