/**
 * Training speed of d2l's LeNet, a ResNet-18 (width 16, 32x32x3) in two stems and a ViT-tiny
 * (32x32x3, patch 4, dim 64, 2 blocks, 4 heads) on each TF.js backend we can run, against the same
 * architectures in PyTorch (bench/pytorch_train.py), at each thread count in THREADS (1 and
 * every core), tfjs and PyTorch on the same number of threads.
 *
 * The WASM backend's thread count is fixed once it has started in a process, so the bench
 * re-spawns itself (same Node, same tsx loader) once per thread count with `--child <n>`: the
 * child selects the backends on n threads (at n > 1 tfjs runs its threaded SIMD build, see
 * runtime/wasmThreads.ts) and prints its rows as JSON on its last stdout line. The pure-JS
 * CPU backend is single-threaded and only measured at 1 thread. PyTorch runs once per thread
 * count with torch.set_num_threads(n), OMP_NUM_THREADS=n and OPENBLAS_NUM_THREADS=1.
 *
 * Models come from the app's own path: templates → compile() → materialize(), with the
 * input shape and widths edited in memory where the brief's variant differs from the
 * template. Data is synthetic (speed does not depend on it); the optimizer is plain SGD, the
 * product's own (runtime/train/optimizers.ts).
 * BENCH_STEPS_SCALE scales the timed steps; BENCH_MODELS (say lenet,resnet18) picks models. BENCH_ROUNDS (default 1) repeats the whole
 * measurement, tfjs and PyTorch alternating per thread count, and reports each side's median
 * ex/s and the median and range of the rounds' own ratios: this shared VM's speed drifts by ~10% over
 * minutes, on both sides. Prints a table on stderr and one JSON object on the last stdout line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { compile } from '../graph-compiler/index.js';
import { selectBackend } from '../runtime/backend.js';
import { materialize } from '../runtime/materialize.js';
import { makeOptimizer } from '../runtime/train/optimizers.js';
import { losses } from '../runtime/train/losses.js';

/** Thread counts to measure: one, and every core. */
const THREADS = [...new Set([1, os.availableParallelism()])];
const STEPS_SCALE = Number(process.env.BENCH_STEPS_SCALE ?? 1);

interface Run {
  readonly model: 'lenet' | 'resnet18' | 'resnet18-cifar' | 'vit-tiny';
  readonly batch: number;
  readonly warmup: number;
  readonly steps: number;
  readonly backends: readonly ('wasm' | 'cpu')[];
}

/**
 * Warm-up until steady state: at least `warmup` steps and WARMUP_SECONDS, for tfjs and PyTorch
 * alike. tfjs's first steps run slower, on two threads for a few seconds: ResNet-18 from 30 ms
 * a step to 21 ms after ~120 steps (2.5-4 s), LeNet from 15.5 to 12.5 (on one thread ~40
 * steps, ~10%).
 * Training runs for thousands of steps, so the bench reports the steady state.
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_S ?? 5);
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 1)) || 1);
const allRuns: readonly Run[] = [
  { model: 'lenet', batch: 256, warmup: 20, steps: 20, backends: ['wasm', 'cpu'] },
  { model: 'resnet18', batch: 128, warmup: 20, steps: 15, backends: ['wasm'] },
  // The CIFAR form of the same network (3x3 stride-1 stem, no max-pool): 10x the arithmetic,
  // on 32x32..4x4 maps instead of 8x8..1x1. PyTorch trains it at ~450-550 ex/s on one thread
  // here, the "about 200-490" the issue measured for "a small ResNet-18 (width 16, 32x32x3)".
  { model: 'resnet18-cifar', batch: 128, warmup: 4, steps: 4, backends: ['wasm'] },
  { model: 'vit-tiny', batch: 128, warmup: 10, steps: 8, backends: ['wasm'] },
];
/** BENCH_MODELS (comma-separated, e.g. lenet,resnet18) measures only those models; all by default. */
const only = process.env.BENCH_MODELS?.split(',').map((m) => m.trim()).filter(Boolean);
const unknown = only?.filter((m) => !allRuns.some((r) => r.model === m)) ?? [];
if (unknown.length > 0) throw new Error(`BENCH_MODELS: unknown model ${unknown.join(', ')} (known: ${allRuns.map((r) => r.model).join(', ')})`);
const runs = only ? allRuns.filter((r) => only.includes(r.model)) : allRuns;

type Doc = {
  nodes: { id: string; type: string; params?: Record<string, unknown> }[];
  edges: { source: string; target: string }[];
  blocks?: Record<string, { params: Record<string, unknown> }>;
};

/** The template for `model`, edited to the benchmarked variant. */
function document(model: Run['model']): Doc {
  const template = model === 'resnet18-cifar' ? 'resnet18' : model;
  const doc = JSON.parse(readFileSync(new URL(`../templates/${template}.layerlab.json`, import.meta.url), 'utf8')) as Doc;
  if (template === 'resnet18') {
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
  if (model === 'resnet18-cifar') {
    // CIFAR's stem: one 3x3 stride-1 convolution, no max-pool (its input feeds the first block).
    const stem = doc.nodes.find((n) => n.id === 'b1_conv');
    if (!stem || !doc.nodes.some((n) => n.id === 'b1_pool')) throw new Error('resnet18-cifar: the template no longer has b1_conv and b1_pool');
    stem.params = { ...stem.params, kernelSize: 3, strides: 1 };
    doc.nodes = doc.nodes.filter((n) => n.id !== 'b1_pool');
    doc.edges = doc.edges.filter((e) => e.target !== 'b1_pool').map((e) => (e.source === 'b1_pool' ? { ...e, source: 'b1_relu' } : e));
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
function timeSteps(model: tfl.LayersModel, r: Run & { warmupSeconds: number }): { msPerStep: number; cpuMsPerStep: number; leakedTensors: number } {
  const inShape = model.inputs[0]!.shape.slice(1) as number[];
  const x = tf.randomNormal([r.batch, ...inShape]);
  const y = tf.randomUniform([r.batch], 0, 10, 'int32') as tf.Tensor1D;
  // The product's SGD and loss (runtime/train/optimizers.ts, losses.ts), as a training run builds them.
  const opt = makeOptimizer({ type: 'sgd', learningRate: 0.05 });
  const step = () => {
    const loss = opt.minimize(() => losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor2D, 10), true)!;
    loss.dataSync();
    loss.dispose();
  };
  const w0 = performance.now();
  for (let i = 0; i < r.warmup || performance.now() - w0 < r.warmupSeconds * 1000; i++) step();
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
  /** The threads the backend actually computed on. */
  threads: number;
  batch: number;
  steps: number;
  params: number;
  msPerStep: number;
  examplesPerSec: number;
  pytorchExamplesPerSec: number | null;
  tfjsOverPytorch: number | null;
  /** The same on process CPU time (all threads): steadier than wall time on a shared, loaded machine. */
  cpuMsPerStep: number;
  pytorchCpuMsPerStep: number | null;
  tfjsOverPytorchCpu: number | null;
  /** With BENCH_ROUNDS > 1: the lowest and highest of the rounds' own tfjs/PyTorch ratios. */
  tfjsOverPytorchRange?: [number, number];
}

/** What a `--child <threads>` process prints on its last stdout line. */
interface ChildResult {
  rows: Row[];
  notes: string[];
  /** A model failed to train (its note says why); the child exits with status 1. */
  failed: boolean;
}

/** Times every tfjs model at `threads` threads, in this process (which must not have started WASM yet). */
async function measure(threads: number): Promise<ChildResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  let failed = false;
  for (const r of runs) {
    for (const backend of r.backends) {
      // The pure-JS backend is single-threaded: another thread count would measure the same thing.
      if (backend === 'cpu' && threads !== 1) continue;
      try {
        rows.push(await measureOne(r, backend, threads, notes));
      } catch (e) {
        // Caught here, the error stays one line: uncaught, Emscripten's handler rethrows it and
        // Node prints the threaded build's whole minified source line with it.
        failed = true;
        const err = e as Error;
        const where = err.stack?.split('\n').find((l) => l.includes('    at ')) ?? '';
        notes.push(`${r.model} on ${backend} at ${threads} threads failed: ${err.message}${where ? ` (${where.trim()})` : ''}`);
        process.stderr.write(`  ${r.model} on ${backend}, ${threads} threads: FAILED\n${err.stack ?? err.message}\n`);
      }
    }
  }
  return { rows, notes, failed };
}

/** One model on one backend at `threads` threads: its row (notes go to `notes`). */
async function measureOne(r: Run, backend: Run['backends'][number], threads: number, notes: string[]): Promise<Row> {
  const choice = await selectBackend(backend, threads);
  if (choice.threads !== threads) notes.push(`${r.model} on ${backend}: asked for ${threads} threads, runs on ${choice.threads}`);
  const model = build(r.model);
  // The pure-JS backend takes ~10 s a LeNet step: two steps after one of warm-up.
  const steps = backend === 'cpu' ? 2 : r.steps;
  const t = timeSteps(model, { ...r, steps, ...(backend === 'cpu' ? { warmup: 1, warmupSeconds: 0 } : { warmupSeconds: WARMUP_SECONDS }) });
  if (t.leakedTensors !== 0) notes.push(`${r.model} on ${backend} (${choice.threads} threads): ${t.leakedTensors} tensors leaked over the timed steps`);
  const row: Row = {
    model: r.model,
    backend,
    threads: choice.threads,
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
  };
  model.dispose();
  process.stderr.write(`  ${r.model} on ${backend}, ${choice.threads} thread${choice.threads === 1 ? '' : 's'}: ${t.msPerStep.toFixed(1)} ms/step\n`);
  return row;
}

if (process.argv[2] === '--child') {
  const threads = Number(process.argv[3]);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--child needs a thread count, got ${process.argv[3]}`);
  const result = await measure(threads);
  console.log(JSON.stringify(result));
  if (result.failed) process.exitCode = 1;
} else {
  await main();
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const notes: string[] = [
    'models built through compile() + materialize() from templates/ (resnet18: input 32x32x3, widths /4 in memory; resnet18-cifar: the same with a 3x3 stride-1 stem and no max-pool; vit-tiny as in the template)',
    `warm-up: at least ${WARMUP_SECONDS} s and the run's warm-up steps before timing, tfjs and PyTorch alike (tfjs reaches its steady speed after a few seconds)`,
    `threads: ${THREADS.join(' and ')} (of ${os.availableParallelism()} cores), each tfjs thread count in its own process; at threads > 1 tfjs-backend-wasm runs its threaded SIMD build via runtime/wasmThreads.ts; the pure-JS cpu backend is single-threaded and measured at 1 only; PyTorch on the same count (torch.set_num_threads(n), OMP_NUM_THREADS=n, OPENBLAS_NUM_THREADS=1)`,
  ];
  let failed = false;

  /** tfjs at `threads` threads, in a child (the same Node and tsx loader this process runs under). */
  const tfjsAt = (threads: number): Row[] => {
    process.stderr.write(`tfjs, ${threads} thread${threads === 1 ? '' : 's'}:\n`);
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--child', String(threads)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    let result: ChildResult | null = null;
    try {
      result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as ChildResult;
    } catch {
      // reported below
    }
    // A child that ran but lost a model still reports the others (and a note on the failure).
    if (child.error || child.status !== 0 || !result) failed = true;
    if (!result) {
      notes.push(`tfjs at ${threads} threads failed: ${child.error?.message ?? (child.status !== 0 ? `exit ${child.status ?? child.signal}` : 'no JSON on its last stdout line')}`);
      return [];
    }
    for (const n of result.notes) if (!notes.includes(n)) notes.push(n);
    return result.rows;
  };

  // PyTorch, same architectures and batch sizes, on the same thread count.
  type TorchRun = { model: string; params: number; examplesPerSec: number; cpuMsPerStep: number };
  const pytorch: { torch?: string; blas?: string | null; missing?: boolean } = {};
  const spec = runs.map((r) => ({ model: r.model, batch: r.batch, warmup: r.warmup, warmupSeconds: WARMUP_SECONDS, steps: Math.max(3, Math.round(r.steps * STEPS_SCALE)) }));
  const pytorchAt = (threads: number): TorchRun[] => {
    if (pytorch.missing) return [];
    process.stderr.write(`PyTorch, ${threads} thread${threads === 1 ? '' : 's'}\n`);
    const py = spawnSync('/usr/bin/python3', [new URL('./pytorch_train.py', import.meta.url).pathname, JSON.stringify({ threads, runs: spec })], {
      encoding: 'utf8',
      // Project rule: OPENBLAS_NUM_THREADS=1 beside torch.set_num_threads(n) (the script sets the latter).
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(threads) },
    });
    if (py.error || py.status !== 0) {
      const why = py.error ? py.error.message : (py.stderr.trim().split('\n').at(-1) ?? `exit ${py.status}`);
      if (/No module named 'torch'/.test(why) || (py.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
        notes.push(`PyTorch is missing (${why}): apt-get install -y python3-torch libopenblas0-pthread`);
        pytorch.missing = true;
        return [];
      }
      notes.push(`PyTorch run at ${threads} threads failed: ${why}`);
      return [];
    }
    const out = JSON.parse(py.stdout.trim().split('\n').at(-1)!) as { torch: string; blas: string | null; threads: number; runs: TorchRun[] };
    if (out.threads !== threads) notes.push(`PyTorch: asked for ${threads} threads, ran on ${out.threads}`);
    if (!out.blas && !pytorch.torch) notes.push('OpenBLAS is missing: PyTorch ran on its generic BLAS (apt-get install -y libopenblas0-pthread)');
    pytorch.torch ??= out.torch;
    pytorch.blas ??= out.blas;
    return out.runs;
  };

  // Rounds, tfjs and PyTorch back to back per thread count, so that drift hits both alike.
  const measured: { rows: Row[]; torch: Map<number, TorchRun[]> }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (ROUNDS > 1) process.stderr.write(`round ${round + 1} of ${ROUNDS}\n`);
    const torch = new Map<number, TorchRun[]>();
    const roundRows: Row[] = [];
    for (const threads of THREADS) {
      roundRows.push(...tfjsAt(threads));
      torch.set(threads, pytorchAt(threads));
    }
    measured.push({ rows: roundRows, torch });
  }

  // Each row: the median over the rounds of each side, and the range of the rounds' ratios.
  const median = (xs: number[]) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[v.length >> 1]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  };
  const key = (r: Row) => `${r.model}|${r.backend}|${r.threads}`;
  for (const first of measured[0]?.rows ?? []) {
    const same = measured.map((m) => ({ row: m.rows.find((x) => key(x) === key(first)), ref: m.torch.get(first.threads)?.find((p) => p.model === first.model) }));
    const mine = same.flatMap((x) => (x.row ? [x.row] : []));
    const refs = same.flatMap((x) => (x.ref ? [x.ref] : []));
    const msPerStep = median(mine.map((x) => x.msPerStep));
    const row: Row = {
      ...first,
      msPerStep: +msPerStep.toFixed(1),
      examplesPerSec: +((first.batch * 1000) / msPerStep).toFixed(1),
      cpuMsPerStep: +median(mine.map((x) => x.cpuMsPerStep)).toFixed(1),
    };
    if (refs.length > 0) {
      // The same architecture on both sides has the same trainable parameters.
      if (refs[0]!.params !== row.params && !notes.some((n) => n.startsWith(`${row.model}: `))) notes.push(`${row.model}: ${row.params} trainable parameters in tfjs, ${refs[0]!.params} in PyTorch; the two models differ`);
      row.pytorchExamplesPerSec = +median(refs.map((p) => p.examplesPerSec)).toFixed(1);
      row.pytorchCpuMsPerStep = +median(refs.map((p) => p.cpuMsPerStep)).toFixed(2);
      row.tfjsOverPytorchCpu = +(row.pytorchCpuMsPerStep / row.cpuMsPerStep).toFixed(3);
      // The ratio: the median of the rounds' own ratios, each from a tfjs and a PyTorch run
      // measured back to back (one round: just that ratio).
      const ratios = same.flatMap((x) => (x.row && x.ref ? [x.row.examplesPerSec / x.ref.examplesPerSec] : []));
      row.tfjsOverPytorch = +median(ratios).toFixed(3);
      if (ratios.length > 1) row.tfjsOverPytorchRange = [+Math.min(...ratios).toFixed(3), +Math.max(...ratios).toFixed(3)];
    }
    rows.push(row);
  }
  if (ROUNDS > 1) notes.push(`${ROUNDS} rounds, tfjs and PyTorch alternating per thread count: each side's median ex/s; tfjs/PyTorch is the median of the rounds' own ratios, with their range`);

  // Each model's rows together: backend, then threads.
  const order = (r: Row) => [runs.findIndex((x) => x.model === r.model), r.backend === 'wasm' ? 0 : 1, r.threads];
  rows.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  });

  const ranged = ROUNDS > 1;
  const header = ['model', 'backend', 'threads', 'batch', 'ms/step', 'tfjs ex/s', 'PyTorch ex/s', 'tfjs/PyTorch', ...(ranged ? ['rounds\' range'] : []), 'CPU ms/step', 'PyTorch CPU ms', 'tfjs/PyTorch (CPU time)'];
  const table = rows.map((r) => [
    r.model,
    r.backend,
    String(r.threads),
    String(r.batch),
    String(r.msPerStep),
    String(r.examplesPerSec),
    String(r.pytorchExamplesPerSec ?? 'n/a'),
    String(r.tfjsOverPytorch ?? 'n/a'),
    ...(ranged ? [r.tfjsOverPytorchRange ? `${r.tfjsOverPytorchRange[0]}-${r.tfjsOverPytorchRange[1]}` : 'n/a'] : []),
    String(r.cpuMsPerStep),
    String(r.pytorchCpuMsPerStep ?? 'n/a'),
    String(r.tfjsOverPytorchCpu ?? 'n/a'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  process.stderr.write(`\ntraining speed (examples/sec; threads ${THREADS.join(', ')})\n${line(header)}\n${table.map(line).join('\n')}\n`);
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  if (pytorch.torch) process.stderr.write(`PyTorch ${pytorch.torch}, BLAS ${pytorch.blas ?? 'generic'}\n`);
  console.log(JSON.stringify({ bench: 'train-speed', threads: THREADS, rounds: ROUNDS, rows, pytorch: { version: pytorch.torch ?? null, blas: pytorch.blas ?? null }, notes }));
  // A tfjs thread count that failed still prints what was measured, but fails the bench.
  if (failed) process.exitCode = 1;
}
