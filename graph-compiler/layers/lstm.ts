import { recurrent } from './recurrent.js';

export const LSTM = recurrent('LSTM', 'Long short-term memory over [steps, features]: input, forget and output gates and a cell (d2l 10.1).');
