/**
 * Export fixtures: a run directory built in-process (compile → materialize → random weights →
 * RunDir.saveModel), much faster than training, plus the TF.js model's outputs on a seeded
 * random input for comparison with the exported code.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { compile } from '../../../../graph-compiler/index.js';
import { registerCustomLayers } from '../../../../runtime/layers/index.js';
import { materialize } from '../../../../runtime/materialize.js';
import { RunDir } from '../../../../runtime/train/runDir.js';

export type Doc = Record<string, unknown> & { nodes: { id: string; type: string; params?: Record<string, unknown> }[] };

export const template = (name: string): Doc => JSON.parse(readFileSync(`templates/${name}.layerlab.json`, 'utf8')) as Doc;

export interface FixtureRun {
  readonly dir: string;
  /** Seeded random input, [batch, ...inputShape], float32. */
  readonly input: Float32Array;
  readonly inputShape: readonly number[];
  /** The TF.js model's output on `input` (inference mode). */
  readonly output: Float32Array;
  readonly outputShape: readonly number[];
}

/**
 * Builds and saves a run of `doc` and computes its output (`forward`: inference, or training
 * mode for graphs whose TF.js inference fails). Biases and BatchNormalization statistics are randomised too:
 * left at their initial zeros and ones they would hide a wrong mapping of those tensors.
 */
export async function fixtureRun(
  doc: Doc,
  seed: number,
  batch = 3,
  forward: 'inference' | 'training' = 'inference',
  makeInput: (shape: number[], seed: number) => tf.Tensor = (shape, s) => tf.randomNormal(shape, 0, 1, 'float32', s),
): Promise<FixtureRun> {
  await tf.setBackend('cpu');
  // A copy: TF.js's Reshape rewrites its targetShape array in place (-1 → null), and the
  // lowered config shares arrays with the document, so the caller's doc would change.
  const result = compile(structuredClone(doc));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`fixture graph does not compile: ${errors.map((e) => e.message).join('; ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'll-export-'));
  const run = new RunDir(dir);
  // Written before materialize, as runtime/train/run.ts does.
  run.writeJson('graph.layerlab.json', result.document);
  // Every weight is drawn here from `seed` (kernels Glorot-uniform), not by materialize's
  // seeding, which gives SeparableConv2D a kernelInitializer TF.js rejects.
  const model = materialize(result.lowered!);
  const s = seed * 1000;
  const values = model.weights.map((w, i) => {
    const shape = w.shape as number[];
    const name = w.originalName;
    if (name.endsWith('moving_variance')) return tf.randomUniform(shape, 0.5, 2, 'float32', s + i);
    if (name.endsWith('gamma')) return tf.randomUniform(shape, 0.5, 1.5, 'float32', s + i);
    if (name.endsWith('kernel') && shape.length >= 2) {
      const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
      const limit = Math.sqrt(6 / (receptive * (shape.at(-2)! + shape.at(-1)!)));
      return tf.randomUniform(shape, -limit, limit, 'float32', s + i);
    }
    return tf.randomNormal(shape, 0, 0.3, 'float32', s + i);
  });
  model.setWeights(values);
  tf.dispose(values);
  await run.saveModel(model, 'final');
  const inputShape = [batch, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const x = makeInput(inputShape, seed + 7);
  // 'training' is for graphs TF.js cannot run in inference mode (see the Transformer test);
  // it equals inference only without dropout and BatchNormalization.
  const y = model.apply(x, { training: forward === 'training' }) as tf.Tensor;
  const fixture = { dir, input: x.dataSync() as Float32Array, inputShape, output: y.dataSync() as Float32Array, outputShape: y.shape };
  tf.dispose([x, y]);
  model.dispose();
  return fixture;
}

/** The run's saved TF.js model (`final/`), loaded back as a user would, on `input`. */
export async function savedModelOutput(runDir: string, input: Float32Array, inputShape: readonly number[]): Promise<Float32Array> {
  await tf.setBackend('cpu');
  registerCustomLayers();
  const json = JSON.parse(readFileSync(join(runDir, 'final', 'model.json'), 'utf8'));
  const bin = readFileSync(join(runDir, 'final', 'weights.bin'));
  const model = await tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(bin).buffer }),
  );
  const x = tf.tensor(input, [...inputShape]);
  const y = model.predict(x) as tf.Tensor;
  const out = y.dataSync() as Float32Array;
  tf.dispose([x, y]);
  model.dispose();
  return out;
}

/** `/usr/bin/python3` with the given modules importable, or why not (for test names). */
export function pythonWith(modules: string): { ok: true } | { ok: false; why: string } {
  const python = '/usr/bin/python3';
  const r = spawnSync(python, ['-c', `import ${modules}`], { encoding: 'utf8' });
  if (r.error) return { ok: false, why: `${python} is missing (apt-get install python3-torch)` };
  if (r.status !== 0) return { ok: false, why: `${python} cannot import ${modules} (apt-get install python3-torch libopenblas0-pthread)` };
  return { ok: true };
}

export function python(code: string, cwd?: string): { status: number | null; stdout: string; stderr: string } {
  // No __pycache__ next to the checked-in Keras stand-in or the exported modules.
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  const r = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', cwd, env, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const maxAbsDiff = (a: Float32Array, b: Float32Array): number => {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
