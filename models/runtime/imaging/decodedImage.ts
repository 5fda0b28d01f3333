/**
 * The decoded-image type the imaging models take. Decoders (PNG/JPEG/DICOM, written elsewhere)
 * produce it; `models/runtime/imaging/preprocess.ts` turns it into model inputs.
 * Node built-ins only.
 */

export interface DecodedImage {
  /** Columns, > 0. */
  width: number;
  /** Rows, > 0. */
  height: number;
  /** 1 = grey, 3 = RGB. */
  channels: 1 | 3;
  /**
   * Pixel values in [0,1], row-major, channels interleaved: sample (x, y, c) is at
   * `(y * width + x) * channels + c`. Length `width * height * channels`.
   */
  data: Float32Array;
}

/** The image cannot be used as model input (wrong shape, length, or values). */
export class ImageInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageInputError';
  }
}

/** Largest image accepted (pixels); beyond it the caller should downscale first. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

/**
 * Checks dimensions, channel count, data length and that every value is finite and in [0,1].
 * Throws `ImageInputError`.
 */
export function validateDecodedImage(image: DecodedImage): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageInputError(`image size must be positive integers, got ${String(width)}x${String(height)}`);
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ImageInputError(`image ${width}x${height} is larger than ${MAX_IMAGE_PIXELS} pixels; downscale it first`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new ImageInputError(`channels must be 1 (grey) or 3 (RGB), got ${String(channels)}`);
  }
  if (!(data instanceof Float32Array)) {
    throw new ImageInputError('image data must be a Float32Array of values in [0,1]');
  }
  const expected = width * height * channels;
  if (data.length !== expected) {
    throw new ImageInputError(`image data has ${data.length} values, expected ${expected} (${width}x${height}x${channels})`);
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    // Written so that NaN fails too.
    if (!(v >= 0 && v <= 1)) {
      throw new ImageInputError(`image value ${v} at index ${i} is outside [0,1]`);
    }
  }
}

/**
 * Builds a `DecodedImage` from 8-bit (or 16-bit) samples: each value divided by 255 (65535).
 * Convenience for decoders and tests.
 */
export function decodedImageFromInts(width: number, height: number, channels: 1 | 3, samples: Uint8Array | Uint8ClampedArray | Uint16Array): DecodedImage {
  const scale = samples instanceof Uint16Array ? 65535 : 255;
  const data = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) data[i] = (samples[i] as number) / scale;
  const image: DecodedImage = { width, height, channels, data };
  validateDecodedImage(image);
  return image;
}
