/** The `layerlab` command line; see docs/cli.md. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_VERSION, backendName, lossName, type TrainConfigInput } from '../contracts/index.js';
import { defaultDataDir } from '../runtime/datasets/dataDir.js';
import { ExportError, exportFormats, exportRun, isExportFormat } from '../runtime/export/index.js';
import { createService } from '../runtime/service.js';
import { check } from './check.js';
import { rendererDir, templatesDir } from './paths.js';
import { serve } from './serve.js';
import { train } from './train.js';

const USAGE = `layerlab ${APP_VERSION}: design neural networks, check their shapes, train them.

Usage:
  layerlab check FILE [--json]           validate a graph and infer every shape
  layerlab train FILE [options]          train a graph (see below)
  layerlab export RUN_DIR --format F [--out DIR]
                                         F: tfjs|safetensors|pytorch|keras (default out RUN_DIR/export-F)
  layerlab serve [--port N]              the app in your browser
  layerlab templates                     list the bundled templates

Train options:
  --dataset NAME        synthetic-shapes (bundled), fashion-mnist, mnist
  --epochs N  --batch-size N  --lr X  --optimizer sgd|momentum|adam|adamw|rmsprop
  --loss softmaxCrossEntropy|binaryCrossEntropy|mse|huber
  --backend auto|node-gpu|node|wasm|cpu  --seed N
  --threads N           CPU threads for the wasm backend (default: every core, at most 8;
                        also LAYERLAB_THREADS)
  --limit-train N  --limit-test N        use the first N examples
  --out DIR                              run directory (default runs/<time>-<name>)
  --resume RUN_DIR                       continue a run from its last checkpoint (end of an epoch)
  --json                                 one JSON event per line on stdout

Datasets are cached in ${defaultDataDir()} (set LAYERLAB_DATA_DIR to use another folder).`;

class UsageError extends Error {}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} takes a positive whole number (got "${v}")`);
  return n;
}

function trainConfigFrom(values: Record<string, string | boolean | undefined>): TrainConfigInput {
  const str = (k: string) => values[k] as string | undefined;
  const lr = str('lr') === undefined ? undefined : Number(str('lr'));
  if (lr !== undefined && !(lr > 0)) throw new UsageError(`--lr takes a positive number (got "${str('lr')}")`);
  const optimizer = str('optimizer');
  if (optimizer && !['sgd', 'momentum', 'adam', 'adamw', 'rmsprop'].includes(optimizer)) throw new UsageError(`--optimizer must be sgd, momentum, adam, adamw or rmsprop`);
  const backend = str('backend');
  if (backend && !backendName.safeParse(backend).success) throw new UsageError(`--backend must be one of ${backendName.options.join(', ')}`);
  const loss = str('loss');
  if (loss && !lossName.safeParse(loss).success) throw new UsageError(`--loss must be one of ${lossName.options.join(', ')}`);
  const config: Record<string, unknown> = {
    dataset: str('dataset'),
    epochs: int('epochs', str('epochs')),
    batchSize: int('batch-size', str('batch-size')),
    backend,
    loss,
    seed: str('seed') === undefined ? undefined : Number(str('seed')),
    limitTrain: int('limit-train', str('limit-train')),
    limitTest: int('limit-test', str('limit-test')),
  };
  if (lr !== undefined || optimizer) config.optimizer = { ...(optimizer ? { type: optimizer } : {}), ...(lr !== undefined ? { learningRate: lr } : {}) };
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as TrainConfigInput;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      dataset: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      optimizer: { type: 'string' },
      loss: { type: 'string' },
      backend: { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      'limit-train': { type: 'string' },
      'limit-test': { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'string' },
      format: { type: 'string' },
    },
  });
  const [command, file] = positionals;
  if (values.version) {
    process.stdout.write(APP_VERSION + '\n');
    return 0;
  }
  if (values.help || !command) {
    process.stderr.write(USAGE + '\n');
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'check':
      if (!file) throw new UsageError('layerlab check needs a FILE');
      return check(file, Boolean(values.json));
    case 'train':
      if (!file && !values.resume) throw new UsageError('layerlab train needs a FILE (e.g. templates/lenet.layerlab.json) or --resume RUN_DIR');
      // The training worker inherits the environment; the backend reads it when WASM starts.
      if (values.threads !== undefined) process.env.LAYERLAB_THREADS = String(int('threads', values.threads));
      return train(file, { config: trainConfigFrom(values), json: Boolean(values.json), ...(values.out ? { out: values.out } : {}), ...(values.resume ? { resume: values.resume } : {}) });
    case 'serve': {
      const port = values.port === undefined ? 5917 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a port number (0 picks a free one)');
      const service = createService({ templatesDir: templatesDir(), runsDir: resolve('runs'), dataDir: defaultDataDir() });
      const served = await serve(service, rendererDir(), port, values.host ?? '127.0.0.1');
      process.stderr.write(`Layerlab is running at ${served.url}\n`);
      await new Promise<void>((r) => {
        process.once('SIGINT', r);
        process.once('SIGTERM', r);
      });
      await served.close();
      return 0;
    }
    case 'templates':
      for (const f of readdirSync(templatesDir()).filter((f) => f.endsWith('.layerlab.json')).sort()) {
        const doc = JSON.parse(readFileSync(join(templatesDir(), f), 'utf8'));
        process.stdout.write(`${f.replace('.layerlab.json', '').padEnd(24)} ${doc.name}\n`);
      }
      return 0;
    case 'export': {
      if (!file) throw new UsageError('layerlab export needs a RUN_DIR');
      const format = values.format ?? 'tfjs';
      if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${exportFormats.join(', ')} (got "${format}")`);
      const out = resolve(values.out ?? join(file, `export-${format}`));
      try {
        const result = exportRun(file, format, out);
        process.stderr.write(`Wrote ${result.files.join(', ')}\nLoad with: ${result.howToLoad}\n`);
      } catch (e) {
        // Not a run folder is a usage mistake (exit 2); an untranslatable graph is a failure (exit 1).
        if (e instanceof ExportError && e.code === 'E_NOT_A_RUN') throw new UsageError(e.message);
        throw e;
      }
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${command}"; run layerlab --help`);
  }
}

export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`layerlab: ${(e as Error).message}\n`);
    process.exitCode = usage ? 2 : 1;
  }
}
