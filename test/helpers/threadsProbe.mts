/**
 * Run as its own process (the WASM thread count is fixed once it starts): selects the wasm
 * backend on two threads as the product does and prints who got them, for wasmThreads.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../runtime/backend.js';
import { simdKernels, simdModuleBuilt, simdPool } from '../../runtime/kernels/simdModule.js';
import type { WasmBackend } from '../../runtime/kernels/wasmBackend.js';

const choice = await selectBackend('wasm', 2);
const backend = tf.findBackend('wasm') as WasmBackend;
console.log(JSON.stringify({ threads: choice.threads, xnnpack: getThreadsCount(), built: simdModuleBuilt(), pool: simdKernels(backend) ? simdPool(backend).size : 0 }));
