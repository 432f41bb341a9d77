/** Test images the model got wrong for one confusion cell, each with what it predicted and how sure it was. */
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../transport/context.js';
import { fromBase64 } from './download.js';

export interface Misclassified {
  readonly index: number;
  readonly probabilities: readonly number[];
}

/** Paints raw uint8 pixels ([h, w, c], c = 1 or 3) onto a canvas. */
function Pixels({ shape, bytes }: { shape: readonly number[]; bytes: Uint8Array }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h = 0, w = 0, c = 1] = shape;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || !h || !w) return;
    const img = ctx.createImageData(w, h);
    for (let p = 0; p < h * w; p++) {
      const r = bytes[p * c] ?? 0;
      img.data[p * 4] = r;
      img.data[p * 4 + 1] = c === 3 ? (bytes[p * c + 1] ?? 0) : r;
      img.data[p * 4 + 2] = c === 3 ? (bytes[p * c + 2] ?? 0) : r;
      img.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [bytes, h, w, c]);
  return <canvas ref={ref} width={w} height={h} className="example-pixels" />;
}

export function ExampleImages(props: { dataset: string; actual: string; predicted: string; predictedIndex: number; examples: readonly Misclassified[] }) {
  const api = useApi();
  const [images, setImages] = useState<{ shape: number[]; bytes: Uint8Array[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { dataset, examples } = props;
  useEffect(() => {
    let live = true;
    setImages(null);
    api.invoke('datasets.images', { dataset, split: 'test', indices: examples.map((e) => e.index) }).then(
      (r) => live && setImages({ shape: r.shape, bytes: r.images.map(fromBase64) }),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [api, dataset, examples]);

  return (
    <div className="examples" data-testid="misclassified">
      <p className="hint">
        {props.actual} taken for {props.predicted}:
      </p>
      {error && <p className="error-text">{error}</p>}
      <div className="example-strip">
        {images?.bytes.map((b, k) => (
          <figure key={examples[k]!.index} title={`test example ${examples[k]!.index}`}>
            <Pixels shape={images.shape} bytes={b} />
            <figcaption>{((examples[k]!.probabilities[props.predictedIndex] ?? 0) * 100).toFixed(0)}%</figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}
