/**
 * What an imaging model run computes from a stored image's bytes, with no database: decode, the
 * model's input rules and distribution check, the model, and its overlay as bytes. Runs in the image
 * model worker (imageModelWorker.ts) so the main process keeps answering meanwhile.
 */
import type { ImageModelResult } from '../../contract/ipcContract';
import { decodeImageFile } from './imageDecode';
import type { DecodedImage } from './imageDecode';
import { classifyPneumonia, segmentVessels } from '../../../models/runtime/imaging/imagingModels';
import type { ModelRef } from '../../../models/runtime/imaging/imagingModels';
import { assessImage } from '../../../models/runtime/imaging/imageAssessment';
import type { ImageAssessment, ImageContext } from '../../../models/runtime/imaging/imageAssessment';

export type ImageModelId = 'pneumonia-xray' | 'retina-vessels';

export interface ImageModelJob {
  modelId: ImageModelId;
  bytes: Uint8Array;
  fileName: string;
  /** With a context the input rules and distribution check run first; without, the model runs as is (re-runs). */
  context: ImageContext | null;
}

export interface ImageModelComputed {
  model: ModelRef;
  probabilities: Record<string, number> | null;
  overlay: Uint8Array;
  meaning: ImageModelResult['overlay']['meaning'];
}

export interface ImageModelOutcome {
  image: DecodedImage;
  assessment: ImageAssessment | null;
  /** Null when the assessment abstained. */
  computed: ImageModelComputed | null;
}

function toBytes(map: Float32Array): Uint8Array {
  const out = new Uint8Array(map.length);
  for (let i = 0; i < map.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, map[i]!)) * 255);
  return out;
}

/** Overlays are laid over the image pixel for pixel; the models return maps at the image's size. */
function toOverlayBytes(map: { width: number; height: number; data: Float32Array }, image: { width: number; height: number }): Uint8Array {
  if (map.width !== image.width || map.height !== image.height || map.data.length !== image.width * image.height) {
    throw new Error(`overlay ${map.width}×${map.height} does not match image ${image.width}×${image.height}`);
  }
  return toBytes(map.data);
}

async function runModel(modelId: ImageModelId, image: DecodedImage): Promise<ImageModelComputed> {
  switch (modelId) {
    case 'pneumonia-xray': {
      const result = await classifyPneumonia(image);
      return { model: result.model, probabilities: { ...result.probabilities }, overlay: toOverlayBytes(result.saliency, image), meaning: 'saliency' };
    }
    case 'retina-vessels': {
      const result = await segmentVessels(image);
      return {
        model: result.model,
        probabilities: null,
        overlay: toOverlayBytes({ width: result.width, height: result.height, data: result.probability }, image),
        meaning: 'vessel-probability',
      };
    }
    default: {
      const unreachable: never = modelId;
      throw new Error(`unknown imaging model ${String(unreachable)}`);
    }
  }
}

export async function computeImageModelOutcome(job: ImageModelJob): Promise<ImageModelOutcome> {
  const image = await decodeImageFile(Buffer.from(job.bytes), job.fileName);
  const assessment = job.context === null ? null : await assessImage(job.modelId, image, job.context);
  if (assessment?.abstained) return { image, assessment, computed: null };
  return { image, assessment, computed: await runModel(job.modelId, image) };
}
