/**
 * Images for the printed report: the stored image as the viewer shows it (display values, DICOM
 * windowed), scaled down to print size, as PNG; and, for each image-model run, the overlay drawn on
 * it. A run stores the overlay's sha256, not the overlay, so the model is re-run here (same code as
 * the app, nothing recorded) and the overlay is drawn only when the re-run reproduces that hash with
 * the same model artefact; otherwise the report says why it is missing.
 */
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import type { CaseStore } from '../../../db/caseStore';
import { decodeImageFile } from '../imaging/imageDecode';
import type { DecodedImage } from '../imaging/imageDecode';
import { computeImageModel } from '../imaging/imagingService';
import type { ExportedImage, ExportedImageRun } from './caseExportSnapshot';

/** Longest side of a printed image, in pixels (about 200 dpi at the width it is printed). */
export const reportImageMaxSide = 800;

export type OverlayStatus = 'verified' | 'model-changed' | 'not-reproduced' | 'failed';

export interface ReportOverlay {
  run: ExportedImageRun;
  status: OverlayStatus;
  /** The image with the overlay drawn on it; only when `verified`. */
  png: Buffer | null;
  message: string;
}

export interface ReportImage {
  image: ExportedImage;
  /** The image alone; null when it could not be decoded (the message says why). */
  png: Buffer | null;
  width: number;
  height: number;
  message: string | null;
  overlays: ReportOverlay[];
}

interface Rgb {
  width: number;
  height: number;
  /** RGB, 0..1, interleaved. */
  data: Float32Array;
}

/** Box-filter downscale by an integer factor (keeps the image's proportions). */
function downscale(
  src: { width: number; height: number; channels: number; data: ArrayLike<number> },
  factor: number,
): { width: number; height: number; data: Float32Array } {
  const { channels } = src;
  const width = Math.max(1, Math.floor(src.width / factor));
  const height = Math.max(1, Math.floor(src.height / factor));
  const out = new Float32Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        let n = 0;
        for (let dy = 0; dy < factor; dy++) {
          const sy = y * factor + dy;
          if (sy >= src.height) break;
          for (let dx = 0; dx < factor; dx++) {
            const sx = x * factor + dx;
            if (sx >= src.width) break;
            sum += src.data[(sy * src.width + sx) * channels + c]!;
            n += 1;
          }
        }
        out[(y * width + x) * channels + c] = sum / n;
      }
    }
  }
  return { width, height, data: out };
}

export function printScale(width: number, height: number): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / reportImageMaxSide));
}

function toRgb(image: DecodedImage, factor: number): Rgb {
  const small = downscale(image, factor);
  if (image.channels === 3) return small;
  const data = new Float32Array(small.width * small.height * 3);
  for (let i = 0; i < small.width * small.height; i++) data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = small.data[i]!;
  return { width: small.width, height: small.height, data };
}

function encodePng(rgb: Rgb): Buffer {
  const png = new PNG({ width: rgb.width, height: rgb.height, colorType: 2, inputHasAlpha: true });
  for (let i = 0; i < rgb.width * rgb.height; i++) {
    for (let c = 0; c < 3; c++) png.data[i * 4 + c] = Math.round(Math.min(1, Math.max(0, rgb.data[i * 3 + c]!)) * 255);
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 2 });
}

/** Overlay tints: saliency in red, vessel probability in cyan; opacity follows the overlay value. */
const tints: Record<ExportedImageRun['overlayMeaning'], { rgb: [number, number, number]; maxAlpha: number }> = {
  saliency: { rgb: [1, 0.1, 0], maxAlpha: 0.6 },
  'vessel-probability': { rgb: [0, 1, 1], maxAlpha: 0.75 },
};

function drawOverlay(
  base: Rgb,
  overlay: Uint8Array,
  full: { width: number; height: number },
  factor: number,
  meaning: ExportedImageRun['overlayMeaning'],
): Rgb {
  const small = downscale({ width: full.width, height: full.height, channels: 1, data: overlay }, factor);
  const { rgb, maxAlpha } = tints[meaning];
  const data = Float32Array.from(base.data);
  for (let i = 0; i < base.width * base.height; i++) {
    const a = (small.data[i]! / 255) * maxAlpha;
    for (let c = 0; c < 3; c++) data[i * 3 + c] = data[i * 3 + c]! * (1 - a) + rgb[c]! * a;
  }
  return { width: base.width, height: base.height, data };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function overlayFor(store: CaseStore, imageId: string, run: ExportedImageRun, base: Rgb, factor: number): Promise<ReportOverlay> {
  try {
    const result = await computeImageModel(store, imageId, run.modelId);
    if (result.model.sha256 !== run.modelSha256) {
      return {
        run,
        status: 'model-changed',
        png: null,
        message: `Overlay not shown: the run used ${run.modelId} ${run.modelVersion} (sha256 ${run.modelSha256.slice(0, 12)}…); this app has ${result.model.version} (sha256 ${result.model.sha256.slice(0, 12)}…), so the overlay cannot be redrawn as it was.`,
      };
    }
    const got = sha256(result.overlay);
    if (got !== run.overlaySha256) {
      return {
        run,
        status: 'not-reproduced',
        png: null,
        message: `Overlay not shown: re-running the model gave an overlay with sha256 ${got.slice(0, 12)}…, not the stored ${run.overlaySha256.slice(0, 12)}….`,
      };
    }
    const png = encodePng(drawOverlay(base, result.overlay, result.image, factor, run.overlayMeaning));
    return {
      run,
      status: 'verified',
      png,
      message: `Overlay re-computed by re-running the model; its sha256 matches the stored run (${run.overlaySha256.slice(0, 12)}…).`,
    };
  } catch (err) {
    return { run, status: 'failed', png: null, message: `Overlay not shown: re-running the model failed (${(err as Error).message}).` };
  }
}

export async function renderReportImages(store: CaseStore, images: ExportedImage[]): Promise<ReportImage[]> {
  const out: ReportImage[] = [];
  for (const image of images) {
    const bytes = store.images.content(image.summary.id);
    let decoded: DecodedImage;
    try {
      if (!bytes) throw new Error('its bytes are missing from the database');
      decoded = await decodeImageFile(bytes, image.summary.fileName);
    } catch (err) {
      const message = `Image not shown: it could not be decoded (${(err as Error).message}).`;
      out.push({
        image,
        png: null,
        width: 0,
        height: 0,
        message,
        overlays: image.runs.map((run) => ({ run, status: 'failed', png: null, message: 'Overlay not shown: the image could not be decoded.' })),
      });
      continue;
    }
    const factor = printScale(decoded.width, decoded.height);
    const base = toRgb(decoded, factor);
    const overlays: ReportOverlay[] = [];
    for (const run of image.runs) overlays.push(await overlayFor(store, image.summary.id, run, base, factor));
    out.push({
      image,
      png: encodePng(base),
      width: base.width,
      height: base.height,
      message: image.summary.frames > 1 ? `First of ${image.summary.frames} frames.` : null,
      overlays,
    });
  }
  return out;
}
