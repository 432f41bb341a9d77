/** `layerlab train FILE [options]`: trains in a worker thread, progress on stderr, `--json` events on stdout. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TrainConfigInput, TrainEvent } from '../contracts/index.js';
import { parseDocument } from '../graph-compiler/index.js';
import { defaultDataDir } from '../runtime/datasets/dataDir.js';
import { startTraining } from '../runtime/host.js';
import { defaultRunDir, type RunRequest } from '../runtime/train/run.js';
import { ProgressBar } from './progress.js';

export interface TrainOptions {
  readonly config: TrainConfigInput;
  readonly out?: string;
  readonly json: boolean;
  /** A run directory to continue from its last checkpoint. */
  readonly resume?: string;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export async function train(file: string | undefined, opts: TrainOptions): Promise<number> {
  let request: RunRequest;
  let name: string;
  if (opts.resume) {
    const runDir = resolve(opts.resume);
    request = { document: null, config: opts.config, dataDir: defaultDataDir(), runDir, resume: true };
    name = runDir;
  } else {
    let text: string;
    try {
      text = readFileSync(file!, 'utf8');
    } catch (e) {
      process.stderr.write(`Cannot read ${file}: ${(e as Error).message}\n`);
      return 2;
    }
    const parsed = parseDocument(text);
    if (!parsed.ok) {
      for (const d of parsed.diagnostics) process.stderr.write(`${file}: ${d.message}\n`);
      return 2;
    }
    name = parsed.document.name;
    request = { document: parsed.document, config: opts.config, dataDir: defaultDataDir(), runDir: resolve(opts.out ?? defaultRunDir('runs', name)) };
  }
  const runDir = request.runDir!;
  const handle = startTraining(request);
  const bar = new ProgressBar();
  /** Warnings printed this epoch, by kind (their text without its figures). */
  const warned = new Set<string>();
  let failed = false;
  let interrupted = 0;
  const onSigint = () => {
    if (++interrupted > 1) process.exit(130);
    process.stderr.write('\nStopping after this batch (Ctrl-C again to quit now)…\n');
    handle.stop();
  };
  process.on('SIGINT', onSigint);
  handle.onEvent((e: TrainEvent) => {
    if (opts.json) process.stdout.write(JSON.stringify(e) + '\n');
    switch (e.type) {
      case 'start':
        process.stderr.write(`Training "${name}" on ${e.dataset} (${e.trainExamples} train / ${e.testExamples} test) with backend ${e.backend} (${e.threads} thread${e.threads === 1 ? '' : 's'}); run dir ${runDir}\n`);
        break;
      case 'batch':
        bar.update(e.batch / e.batchesPerEpoch, `epoch ${e.epoch} batch ${e.batch}/${e.batchesPerEpoch} loss ${e.loss.toFixed(4)} ${Math.round(e.examplesPerSecond)} ex/s`);
        break;
      case 'epoch':
        bar.done();
        warned.clear();
        process.stderr.write(
          `epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, train acc ${pct(e.trainAccuracy)}, test acc ${pct(e.testAccuracy)}, ${Math.round(e.examplesPerSecond)} examples/sec\n`,
        );
        break;
      case 'done':
        process.stderr.write(
          `${e.stopped ? 'Stopped' : 'Done'} after ${e.epochs} epoch(s) in ${e.seconds.toFixed(1)} s: test accuracy ${pct(e.testAccuracy)}; weights in ${e.runDir ?? runDir}/final\n`,
        );
        break;
      case 'error':
        failed = true;
        bar.done();
        process.stderr.write(`error: ${e.message}\n`);
        break;
      case 'log':
        process.stderr.write(`${e.message}\n`);
        break;
      case 'health':
        // Each warning once an epoch (its figures change from batch to batch); --json has every one.
        for (const w of e.warnings) {
          const kind = w.replace(/\d+(\.\d+)?(e[-+]?\d+)?/g, '#');
          if (warned.has(kind)) continue;
          warned.add(kind);
          process.stderr.write(`warning: ${w}\n`);
        }
        break;
      case 'evaluation':
        process.stderr.write(`test accuracy ${pct(e.accuracy)}, top-5 ${pct(e.top5Accuracy)}; per-class recall ${e.recall.map((r) => Math.round(100 * r)).join(' ')}\n`);
        break;
      case 'state':
        break;
    }
  });
  const done = await handle.finished;
  process.off('SIGINT', onSigint);
  return failed || !done ? 1 : 0;
}
