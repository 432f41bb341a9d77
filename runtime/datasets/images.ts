/** Decoding PNG/JPEG files to pixels and resizing them (bilinear), in plain JavaScript. */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DatasetError } from './dataset.js';

export interface Rgba {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes. */
  readonly data: Uint8Array;
}

export function decodeImage(bytes: Uint8Array, file: string): Rgba {
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50) {
      const png = PNG.sync.read(Buffer.from(bytes));
      return { width: png.width, height: png.height, data: png.data };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    throw new DatasetError(`${file} is a damaged image (${(e as Error).message}); remove or replace it`, 'E_IMAGE');
  }
  throw new DatasetError(`${file} is neither a PNG nor a JPEG image; convert it or remove it from the folder`, 'E_IMAGE');
}

/** Resizes to height×width×channels (1: luminance, 3: RGB) into `out` at `offset`, bilinearly. */
export function resizeInto(img: Rgba, height: number, width: number, channels: 1 | 3, out: Uint8Array, offset: number): void {
  const sy = img.height / height;
  const sx = img.width / width;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, img.width - 1);
      const wx = fx - x0;
      const px = (c: number) => {
        const at = (yy: number, xx: number) => img.data[(yy * img.width + xx) * 4 + c]!;
        return (at(y0, x0) * (1 - wx) + at(y0, x1) * wx) * (1 - wy) + (at(y1, x0) * (1 - wx) + at(y1, x1) * wx) * wy;
      };
      const o = offset + (y * width + x) * channels;
      if (channels === 3) for (let c = 0; c < 3; c++) out[o + c] = Math.round(px(c));
      else out[o] = Math.round(0.299 * px(0) + 0.587 * px(1) + 0.114 * px(2));
    }
  }
}
