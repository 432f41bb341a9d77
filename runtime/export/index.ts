/**
 * `layerlab export`: a finished run's weights in another format. Each format has its own file;
 * every exporter reads the run the same way (runWeights.ts) and fails with an ExportError,
 * before writing anything, when the graph holds a layer it cannot translate.
 */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_FORMATS, type ExportFormat } from '../../contracts/index.js';
import { writeKeras } from './keras.js';
import { writePytorch } from './pytorch.js';
import { ExportError, readRun } from './runWeights.js';
import { writeSafetensors } from './safetensors.js';

export { ExportError } from './runWeights.js';

export { EXPORT_FORMATS as exportFormats, type ExportFormat } from '../../contracts/index.js';

export const isExportFormat = (s: string): s is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(s);

export interface ExportResult {
  /** Absolute or caller-relative paths of the files written. */
  readonly files: readonly string[];
  /** One line on how to load them. */
  readonly howToLoad: string;
}

/** Exports `runDir`'s final weights as `format` into `outDir` (created if missing). */
export function exportRun(runDir: string, format: ExportFormat, outDir: string): ExportResult {
  if (format === 'tfjs') {
    const src = join(runDir, 'final');
    if (!existsSync(join(src, 'model.json'))) throw new ExportError(`${runDir} has no trained weights (${src}/model.json); pass a finished run directory`, 'E_NOT_A_RUN');
    mkdirSync(outDir, { recursive: true });
    cpSync(src, outDir, { recursive: true });
    return { files: [join(outDir, 'model.json'), join(outDir, 'weights.bin')], howToLoad: 'tf.loadLayersModel(\'file://.../model.json\') (custom layers: import runtime/layers first)' };
  }
  // Read and translate first, so an unsupported graph leaves no half-written folder behind.
  const run = readRun(runDir);
  switch (format) {
    case 'safetensors': {
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, 'model.safetensors');
      writeSafetensors(run, file);
      return {
        files: [file],
        howToLoad: 'safetensors.numpy.load_file(path); names are <nodeId>.<weight> in TF.js layout (Dense [in, out], Conv2D [h, w, in, out])',
      };
    }
    case 'pytorch':
      return { files: writePytorch(run, outDir), howToLoad: `python3 -c "import sys; sys.path.insert(0, '${outDir}'); from model import load; print(load())"` };
    case 'keras':
      return { files: writeKeras(run, outDir), howToLoad: `from model import load; model = load()  (needs tensorflow; run from ${outDir})` };
  }
}

