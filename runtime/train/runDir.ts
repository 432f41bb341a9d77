/**
 * A run directory: the graph, the resolved config, `metrics.jsonl` (appended as events happen,
 * so a crash loses nothing already reported) and the trained weights in TF.js format.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainEvent } from '../../contracts/index.js';
import { writeFileAtomic } from '../atomicWrite.js';

export class RunDir {
  constructor(readonly path: string) {
    mkdirSync(path, { recursive: true });
  }

  writeJson(name: string, value: unknown): void {
    writeFileAtomic(join(this.path, name), JSON.stringify(value, null, 2) + '\n');
  }

  appendMetric(event: TrainEvent): void {
    appendFileSync(join(this.path, 'metrics.jsonl'), JSON.stringify({ time: Date.now(), ...event }) + '\n');
  }

  /** Saves `model` as `<sub>/model.json` + `<sub>/weights.bin`, loadable with tf.loadLayersModel. */
  async saveModel(model: tfl.LayersModel, sub: string): Promise<string> {
    const dir = join(this.path, sub);
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weights = artifacts.weightData;
        const bytes = weights === undefined ? new Uint8Array() : new Uint8Array(Array.isArray(weights) ? tf.io.concatenateArrayBuffers(weights) : weights);
        writeFileAtomic(join(dir, 'weights.bin'), bytes);
        writeFileAtomic(
          join(dir, 'model.json'),
          JSON.stringify({
            format: artifacts.format ?? 'layers-model',
            generatedBy: artifacts.generatedBy,
            convertedBy: artifacts.convertedBy ?? null,
            modelTopology: artifacts.modelTopology,
            weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
          }),
        );
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
      }),
    );
    return dir;
  }
}
