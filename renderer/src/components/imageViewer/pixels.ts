/**
 * Pixel maths for the viewer, free of the DOM so it can be tested: decoding the app's base64
 * frames and applying a display window.
 */

export interface DisplayWindow {
  centre: number;
  width: number;
}

export interface ValueRange {
  min: number;
  max: number;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The frame's values: Float32, little endian, as the contract sends them. */
export function decodeFloat32(b64: string, expectedLength: number): Float32Array {
  const bytes = decodeBase64(b64);
  if (bytes.length !== expectedLength * 4) {
    throw new RangeError(`frame holds ${bytes.length} bytes, expected ${expectedLength * 4}`);
  }
  if (littleEndian) return new Float32Array(bytes.buffer, bytes.byteOffset, expectedLength);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(expectedLength);
  for (let i = 0; i < expectedLength; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function valueRange(values: Float32Array): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 0 };
  return { min, max };
}

/** Narrowest window worth having: a zero width would divide by zero. */
export function minimumWidth(range: ValueRange): number {
  return Math.max((range.max - range.min) * 1e-4, 1e-6);
}

/**
 * Writes RGBA for a window: values below centre − width/2 are black, above centre + width/2
 * white, linear between. Grey frames are replicated to R, G and B (`invert` for MONOCHROME1);
 * RGB frames are windowed per channel and never inverted.
 */
export function renderWindowed(values: Float32Array, channels: 1 | 3, window: DisplayWindow, invert: boolean, out: Uint8ClampedArray): void {
  const width = Math.max(window.width, 1e-12);
  const scale = 255 / width;
  const low = window.centre - width / 2;
  const pixels = out.length / 4;
  if (channels === 1) {
    for (let p = 0; p < pixels; p++) {
      let v = (values[p]! - low) * scale;
      v = v < 0 ? 0 : v > 255 ? 255 : v;
      if (invert) v = 255 - v;
      const j = p * 4;
      out[j] = v;
      out[j + 1] = v;
      out[j + 2] = v;
      out[j + 3] = 255;
    }
    return;
  }
  for (let p = 0; p < pixels; p++) {
    const i = p * 3;
    const j = p * 4;
    out[j] = (values[i]! - low) * scale;
    out[j + 1] = (values[i + 1]! - low) * scale;
    out[j + 2] = (values[i + 2]! - low) * scale;
    out[j + 3] = 255;
  }
}

/**
 * Mouse drag on the image: right widens the window, down raises its centre. The step per pixel
 * follows the window being adjusted (1/128 of its width, so a narrow brain window 40/80 moves by
 * well under 1 HU a pixel and a 200 px drag changes it by about its own width), bounded by the
 * image's value range: at most OHIF's dynamic range / 1024 (a full-range window never races) and
 * at least range / 16384 (a collapsed window can still be opened). Before this, every drag moved
 * by range / 256: a CT's 6,000 HU made 200 px turn 40/100 into −867/4637.
 */
export function dragStep(width: number, range: ValueRange): number {
  const span = range.max - range.min || Math.max(Math.abs(width), 1);
  return Math.min(span / 1024, Math.max(Math.abs(width) / 128, span / 16384));
}

export function dragWindow(start: DisplayWindow, dx: number, dy: number, range: ValueRange): DisplayWindow {
  const perPixel = dragStep(start.width, range);
  return {
    centre: start.centre + dy * perPixel,
    width: Math.max(minimumWidth(range), start.width + dx * perPixel),
  };
}
