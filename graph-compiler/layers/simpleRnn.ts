import { recurrent } from './recurrent.js';

export const SimpleRNN = recurrent('SimpleRNN', 'Plain recurrent layer h_t = tanh(x_t W + h_{t-1} U + b) over [steps, features] (d2l 9.4).');
