/**
 * One training run from a graph document: compile → pick backend → load data → check the data
 * fits the graph → materialize → train → write the run directory. Every failure a user can fix
 * becomes an `error` event whose message says how.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainConfig, type DoneEvent, type EvaluationEvent, type GraphDocument, type TrainConfig, type TrainConfigInput, type TrainEvent } from '../../contracts/index.js';
import { compile, type CompileResult } from '../../graph-compiler/index.js';
import { selectBackend } from '../backend.js';
import { limitSplit, type Dataset } from '../datasets/dataset.js';
import { loadDataset } from '../datasets/load.js';
import { layerName, materialize } from '../materialize.js';
import { hasCheckpoint, restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import { evaluate, precisionRecall } from './evaluate.js';
import { RunDir } from './runDir.js';
import { trainModel, type TrainControl, type TrainHooks } from './trainer.js';

export interface RunRequest {
  readonly document: unknown;
  readonly config: TrainConfigInput;
  readonly dataDir: string;
  /** Where to write the run; omitted means nothing is written. */
  readonly runDir?: string;
  /** Continue the run in `runDir` from its last checkpoint (its graph and config are used). */
  readonly resume?: boolean;
}

/** The document's training section first, then what the caller set explicitly. */
export function resolveConfig(doc: GraphDocument, explicit: TrainConfigInput): TrainConfig {
  const t = doc.training ?? {};
  const fromDoc: TrainConfigInput = {
    ...(t.dataset ? { dataset: t.dataset } : {}),
    ...(t.epochs ? { epochs: t.epochs } : {}),
    ...(t.batchSize ? { batchSize: t.batchSize } : {}),
    ...(t.loss ? { loss: t.loss } : {}),
    ...(t.seed !== undefined ? { seed: t.seed } : {}),
  };
  const optimizer = { type: 'sgd' as const, learningRate: 0.1, ...t.optimizer, ...explicit.optimizer };
  return trainConfig.parse({ ...fromDoc, ...explicit, optimizer });
}

export class RunError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Checks that the dataset's examples fit the graph's input (resizing images when only height
 * and width differ and `resize` is on) and its labels the output; returns the dataset to train on.
 */
export function checkFit(result: CompileResult, data: Dataset, resize = true): Dataset {
  const lowered = result.lowered!;
  if (lowered.inputs.length !== 1) throw new RunError(`This graph has ${lowered.inputs.length} inputs; these datasets feed exactly one Input node`, 'E_DATA_FIT');
  const input = lowered.nodes.find((n) => n.id === lowered.inputs[0])!;
  const want = input.outputShape;
  const have = data.inputShape;
  let fitted = data;
  if (want.join('×') !== have.join('×')) {
    const sameChannels = want.length === 3 && have.length === 3 && want[2] === have[2];
    if (!sameChannels || !resize)
      throw new RunError(
        `The Input node "${input.id}" expects ${want.join('×')} examples but ${data.name} has ${have.join('×')} ${have.length === 3 ? 'images' : 'features'}; ` +
          (sameChannels ? 'turn on resizing or ' : '') +
          `set the Input shape to [${have.join(', ')}]` +
          (want.length === 3 && have.length === 3 && want[2] !== have[2] ? ` (the channel counts ${want[2]} and ${have[2]} differ)` : ''),
        'E_DATA_FIT',
      );
    fitted = { ...data, resizeTo: [want[0]!, want[1]!] };
  }
  if (lowered.outputs.length !== 1) throw new RunError(`This graph has ${lowered.outputs.length} outputs; a classifier needs exactly one`, 'E_DATA_FIT');
  const out = lowered.nodes.find((n) => n.id === lowered.outputs[0])!;
  if (out.outputShape.length !== 1 || out.outputShape[0] !== data.classes)
    throw new RunError(
      `The output node "${out.id}" produces [${out.outputShape.join(', ')}] but ${data.name} has ${data.classes} classes; end the graph with a Dense layer of ${data.classes} units`,
      'E_DATA_FIT',
    );
  return fitted;
}

export async function runTraining(req: RunRequest, emit: (e: TrainEvent) => void, control: TrainControl): Promise<DoneEvent | null> {
  let document = req.document;
  let explicit = req.config;
  if (req.resume) {
    if (!req.runDir || !existsSync(join(req.runDir, 'graph.layerlab.json')) || !existsSync(join(req.runDir, 'config.json'))) {
      emit({ type: 'error', code: 'E_RESUME', message: `${req.runDir ?? 'The run directory'} is not a Layerlab run (graph.layerlab.json and config.json are missing); pass the folder a previous \`layerlab train\` wrote` });
      return null;
    }
    document = JSON.parse(readFileSync(join(req.runDir, 'graph.layerlab.json'), 'utf8'));
    explicit = { ...JSON.parse(readFileSync(join(req.runDir, 'config.json'), 'utf8')), ...(req.config.epochs ? { epochs: req.config.epochs } : {}) };
  }
  const result = compile(document);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.lowered || !result.document) {
    emit({ type: 'error', code: 'E_GRAPH', message: `The graph has ${errors.length} error(s); fix them first: ${errors.slice(0, 3).map((e) => e.message).join(' | ')}` });
    return null;
  }
  const dir = req.runDir ? new RunDir(req.runDir) : undefined;
  const record = (e: TrainEvent) => {
    dir?.appendMetric(e);
    emit(e);
  };
  try {
    const config = resolveConfig(result.document, explicit);
    const backend = await selectBackend(config.backend);
    if (backend.notes.length) emit({ type: 'log', message: `backend ${backend.name} (skipped ${backend.notes.join(', ')}; the README says how to enable GPU training)` });
    let lastPct = -1;
    const inputNode = result.lowered.nodes.find((n) => n.id === result.lowered!.inputs[0]);
    const loaded = await loadDataset(config.dataset, {
      dataDir: req.dataDir,
      seed: config.seed,
      ...(inputNode ? { shape: inputNode.outputShape } : {}),
      onProgress: (p) => {
        const pct = Math.floor((100 * p.received) / p.total);
        if (pct !== lastPct && pct % 5 === 0) emit({ type: 'log', message: `downloading ${p.file}: ${pct}%` });
        lastPct = pct;
      },
    });
    const data = checkFit(result, loaded, config.resize);
    if (data.resizeTo) emit({ type: 'log', message: `resizing ${loaded.name} images from ${loaded.inputShape.slice(0, 2).join('×')} to ${data.resizeTo.join('×')}` });
    const dim = data.inputShape.reduce((a, b) => a * b, 1);
    const train = limitSplit(data.train, config.limitTrain, dim);
    const test = limitSplit(data.test, config.limitTest, dim);
    if (dir && !req.resume) {
      dir.writeJson('graph.layerlab.json', result.document);
      dir.writeJson('config.json', config);
    }
    const model = materialize(result.lowered, { seed: config.seed });
    const ids = new Map(result.lowered.nodes.map((n) => [layerName(n.id), n.id]));
    record({
      type: 'start',
      backend: backend.name,
      threads: backend.threads,
      dataset: data.name,
      trainExamples: train.count,
      testExamples: test.count,
      batchesPerEpoch: Math.ceil(train.count / config.batchSize),
      config,
    });
    const hooks: TrainHooks = {
      nodeIdOf: (name) => ids.get(name) ?? name,
      ...(dir ? { checkpoint: (m, o, state) => saveCheckpoint(dir.path, m, o, state) } : {}),
      ...(dir && req.resume && hasCheckpoint(dir.path) ? { restore: (m, o) => restoreCheckpoint(dir.path, m, o) } : {}),
    };
    const done = await trainModel(model, data, train, test, config, backend.name, record, control, hooks);
    if (done.epochs > 0) {
      const ev = evaluate(model, data, test, config.loss, true);
      const evaluation: EvaluationEvent = { type: 'evaluation', classNames: data.classNames, confusion: ev.confusion, ...precisionRecall(ev.confusion), accuracy: ev.accuracy, top5Accuracy: ev.top5Accuracy, examples: ev.examples };
      dir?.writeJson('evaluation.json', evaluation);
      emit(evaluation);
    }
    const final = dir ? { ...done, runDir: dir.path } : done;
    if (dir) await dir.saveModel(model, 'final');
    model.dispose();
    record(final);
    return final;
  } catch (e) {
    const err = e as Error & { code?: string };
    if (process.env.LAYERLAB_DEBUG) console.error(err.stack);
    record({ type: 'error', code: err.code ?? 'E_TRAIN', message: err.message });
    return null;
  }
}

/** A new run folder name: time, graph name and a random suffix (also the run's id). */
export const newRunId = (name: string): string =>
  `${new Date().toISOString().replace(/[:.]/g, '-')}-${name.replace(/[^A-Za-z0-9_-]+/g, '-').toLowerCase().slice(0, 40)}-${Math.random().toString(36).slice(2, 6)}`;

export const defaultRunDir = (runsDir: string, name: string): string => join(runsDir, newRunId(name));
