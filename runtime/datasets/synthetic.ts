/**
 * "synthetic-shapes": a small dataset the project generates itself, deterministic and with no
 * download, so the app's main job works on a fresh machine with no network. 28×28 grayscale
 * images of ten simple shapes at random positions and sizes, with noise.
 */
import type { Dataset, Split } from './dataset.js';

export const SYNTHETIC_CLASSES = [
  'horizontal bar',
  'vertical bar',
  'diagonal',
  'anti-diagonal',
  'square outline',
  'filled square',
  'circle',
  'plus',
  'x',
  'dot',
] as const;

const SIZE = 28;

/** mulberry32: a tiny, good-enough seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw(img: Uint8Array, off: number, cls: number, rnd: () => number): void {
  const r = 5 + Math.floor(rnd() * 6); // half-size 5..10
  const cx = r + 1 + Math.floor(rnd() * (SIZE - 2 * r - 2));
  const cy = r + 1 + Math.floor(rnd() * (SIZE - 2 * r - 2));
  const t = 1 + Math.floor(rnd() * 2); // stroke half-width
  const ink = 170 + Math.floor(rnd() * 85);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const inBox = Math.abs(dx) <= r && Math.abs(dy) <= r;
      let on = false;
      switch (cls) {
        case 0: on = Math.abs(dy) < t && Math.abs(dx) <= r; break;
        case 1: on = Math.abs(dx) < t && Math.abs(dy) <= r; break;
        case 2: on = inBox && Math.abs(dx - dy) < t + 0.5; break;
        case 3: on = inBox && Math.abs(dx + dy) < t + 0.5; break;
        case 4: on = inBox && (r - Math.abs(dx) < t || r - Math.abs(dy) < t); break;
        case 5: on = inBox; break;
        case 6: on = Math.abs(Math.hypot(dx, dy) - r) < t; break;
        case 7: on = inBox && (Math.abs(dx) < t || Math.abs(dy) < t); break;
        case 8: on = inBox && (Math.abs(dx - dy) < t + 0.5 || Math.abs(dx + dy) < t + 0.5); break;
        default: on = Math.hypot(dx, dy) < Math.max(2, r / 2.5);
      }
      const noise = Math.floor(rnd() * 40);
      img[off + y * SIZE + x] = Math.min(255, (on ? ink : 0) + noise);
    }
  }
}

function split(count: number, seed: number): Split {
  const rnd = prng(seed);
  const images = new Uint8Array(count * SIZE * SIZE);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const cls = i % SYNTHETIC_CLASSES.length;
    labels[i] = cls;
    draw(images, i * SIZE * SIZE, cls, rnd);
  }
  return { images, labels, count };
}

export function syntheticShapes(trainCount = 6000, testCount = 1000): Dataset {
  return {
    name: 'synthetic-shapes',
    inputShape: [SIZE, SIZE, 1],
    classes: SYNTHETIC_CLASSES.length,
    classNames: SYNTHETIC_CLASSES,
    scale: 1 / 255,
    train: split(trainCount, 1),
    test: split(testCount, 2),
  };
}
