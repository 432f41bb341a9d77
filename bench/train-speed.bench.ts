/**
 * Training speed of d2l's LeNet, a ResNet-18 (width 16, 32x32x3) and a ViT-tiny (32x32x3,
 * patch 4, dim 64, 2 blocks, 4 heads) on each TF.js backend we can run, against the same
 * architectures in PyTorch (bench/pytorch_train.py) on the same number of threads.
 *
 * Models come from the app's own path: templates → compile() → materialize(), with the
 * input shape and widths edited in memory where the brief's variant differs from the
 * template. Data is synthetic (speed does not depend on it); the optimizer is plain SGD.
 * Prints a table on stderr and one JSON object on the last stdout line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { compile } from '../graph-compiler/index.js';
import { selectBackend } from '../runtime/backend.js';
import { materialize } from '../runtime/materialize.js';

/** tfjs-backend-wasm uses one thread under Node (its threaded build is browser-only), so PyTorch gets one too. */
const THREADS = 1;
const STEPS_SCALE = Number(process.env.BENCH_STEPS_SCALE ?? 1);

interface Run {
  readonly model: 'lenet' | 'resnet18' | 'vit-tiny';
  readonly batch: number;
  readonly warmup: number;
  readonly steps: number;
  readonly backends: readonly ('wasm' | 'cpu')[];
}

const runs: readonly Run[] = [
  { model: 'lenet', batch: 256, warmup: 2, steps: 10, backends: ['wasm', 'cpu'] },
  { model: 'resnet18', batch: 128, warmup: 2, steps: 6, backends: ['wasm'] },
  { model: 'vit-tiny', batch: 128, warmup: 2, steps: 6, backends: ['wasm'] },
];

type Doc = { nodes: { id: string; type: string; params?: Record<string, unknown> }[]; blocks?: Record<string, { params: Record<string, unknown> }> };

/** The template for `model`, edited to the benchmarked variant. */
function document(model: Run['model']): Doc {
  const doc = JSON.parse(readFileSync(new URL(`../templates/${model}.layerlab.json`, import.meta.url), 'utf8')) as Doc;
  if (model === 'resnet18') {
    // d2l's ResNet-18 is 96x96x1 with 64..512 channels; the benchmark is 32x32x3 at width 16.
    const narrow = (p?: Record<string, unknown>) => {
      if (p && typeof p.filters === 'number') p.filters = p.filters / 4;
    };
    for (const n of doc.nodes) {
      if (n.type === 'Input') n.params = { ...n.params, shape: [32, 32, 3] };
      narrow(n.params);
    }
    for (const b of Object.values(doc.blocks ?? {})) narrow(b.params);
  }
  return doc;
}

function build(model: Run['model']): tfl.LayersModel {
  const result = compile(document(model));
  if (!result.lowered) throw new Error(`${model}: the template does not compile: ${JSON.stringify(result.report).slice(0, 500)}`);
  return materialize(result.lowered, { seed: 1 });
}

function params(m: tfl.LayersModel): number {
  return m.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}

/** Milliseconds per SGD step of `model` on one synthetic batch. */
function timeSteps(model: tfl.LayersModel, r: Run): { msPerStep: number; cpuMsPerStep: number; leakedTensors: number } {
  const inShape = model.inputs[0]!.shape.slice(1) as number[];
  const x = tf.randomNormal([r.batch, ...inShape]);
  const y = tf.oneHot(tf.randomUniform([r.batch], 0, 10, 'int32'), 10);
  const opt = tf.train.sgd(0.05);
  const step = () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    loss.dataSync();
    loss.dispose();
  };
  for (let i = 0; i < r.warmup; i++) step();
  const before = tf.memory().numTensors;
  const steps = Math.max(1, Math.round(r.steps * STEPS_SCALE));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - t0) / steps;
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000 / steps;
  const leakedTensors = tf.memory().numTensors - before;
  tf.dispose([x, y]);
  opt.dispose();
  return { msPerStep: ms, cpuMsPerStep: cpuMs, leakedTensors };
}

interface Row {
  model: string;
  backend: string;
  batch: number;
  steps: number;
  params: number;
  msPerStep: number;
  examplesPerSec: number;
  pytorchExamplesPerSec: number | null;
  tfjsOverPytorch: number | null;
  /** The same on process CPU time: steadier than wall time on a shared, loaded machine. */
  cpuMsPerStep: number;
  pytorchCpuMsPerStep: number | null;
  tfjsOverPytorchCpu: number | null;
}

const rows: Row[] = [];
const notes: string[] = [
  'models built through compile() + materialize() from templates/ (resnet18: input 32x32x3, widths /4 in memory; vit-tiny as in the template)',
  `threads: ${THREADS} (tfjs-backend-wasm's threaded build does not run under Node; PyTorch set to the same)`,
];
for (const r of runs) {
  for (const backend of r.backends) {
    await selectBackend(backend);
    const model = build(r.model);
    const steps = backend === 'cpu' ? Math.max(1, Math.round(r.steps / 5)) : r.steps;
    const t = timeSteps(model, { ...r, steps, warmup: backend === 'cpu' ? 1 : r.warmup });
    if (t.leakedTensors !== 0) notes.push(`${r.model} on ${backend}: ${t.leakedTensors} tensors leaked over the timed steps`);
    rows.push({
      model: r.model,
      backend,
      batch: r.batch,
      steps: Math.max(1, Math.round(steps * STEPS_SCALE)),
      params: params(model),
      msPerStep: +t.msPerStep.toFixed(1),
      examplesPerSec: +((r.batch * 1000) / t.msPerStep).toFixed(1),
      pytorchExamplesPerSec: null,
      tfjsOverPytorch: null,
      cpuMsPerStep: +t.cpuMsPerStep.toFixed(1),
      pytorchCpuMsPerStep: null,
      tfjsOverPytorchCpu: null,
    });
    model.dispose();
    process.stderr.write(`  ${r.model} on ${backend}: ${t.msPerStep.toFixed(1)} ms/step\n`);
  }
}

// PyTorch, same architectures and batch sizes.
let pytorch: { torch?: string; blas?: string | null; runs?: { model: string; examplesPerSec: number; cpuMsPerStep: number }[] } = {};
const py = spawnSync('/usr/bin/python3', [new URL('./pytorch_train.py', import.meta.url).pathname, JSON.stringify({ threads: THREADS, runs: runs.map((r) => ({ model: r.model, batch: r.batch, warmup: r.warmup, steps: Math.max(3, Math.round(r.steps * STEPS_SCALE)) })) })], {
  encoding: 'utf8',
  env: { ...process.env, OPENBLAS_NUM_THREADS: String(THREADS), OMP_NUM_THREADS: String(THREADS) },
});
if (py.error || py.status !== 0) {
  const why = py.error ? py.error.message : (py.stderr.trim().split('\n').at(-1) ?? `exit ${py.status}`);
  notes.push(
    /No module named 'torch'/.test(why) || (py.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
      ? `PyTorch is missing (${why}): apt-get install -y python3-torch libopenblas0-pthread`
      : `PyTorch run failed: ${why}`,
  );
} else {
  pytorch = JSON.parse(py.stdout.trim().split('\n').at(-1)!);
  if (!pytorch.blas) notes.push('OpenBLAS is missing: PyTorch ran on its generic BLAS (apt-get install -y libopenblas0-pthread)');
  for (const row of rows) {
    const ref = pytorch.runs?.find((p) => p.model === row.model);
    if (!ref) continue;
    row.pytorchExamplesPerSec = ref.examplesPerSec;
    row.tfjsOverPytorch = +(row.examplesPerSec / ref.examplesPerSec).toFixed(3);
    row.pytorchCpuMsPerStep = ref.cpuMsPerStep;
    row.tfjsOverPytorchCpu = +(ref.cpuMsPerStep / row.cpuMsPerStep).toFixed(3);
  }
}

const header = ['model', 'backend', 'batch', 'ms/step', 'tfjs ex/s', 'PyTorch ex/s', 'tfjs/PyTorch', 'CPU ms/step', 'PyTorch CPU ms', 'tfjs/PyTorch (CPU time)'];
const table = rows.map((r) => [
  r.model,
  r.backend,
  String(r.batch),
  String(r.msPerStep),
  String(r.examplesPerSec),
  String(r.pytorchExamplesPerSec ?? 'n/a'),
  String(r.tfjsOverPytorch ?? 'n/a'),
  String(r.cpuMsPerStep),
  String(r.pytorchCpuMsPerStep ?? 'n/a'),
  String(r.tfjsOverPytorchCpu ?? 'n/a'),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
process.stderr.write(`\ntraining speed (examples/sec, ${THREADS} thread)\n${line(header)}\n${table.map(line).join('\n')}\n`);
for (const n of notes) process.stderr.write(`note: ${n}\n`);
if (pytorch.torch) process.stderr.write(`PyTorch ${pytorch.torch}, BLAS ${pytorch.blas ?? 'generic'}\n`);
console.log(JSON.stringify({ bench: 'train-speed', threads: THREADS, rows, pytorch: { version: pytorch.torch ?? null, blas: pytorch.blas ?? null }, notes }));
