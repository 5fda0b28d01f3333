/**
 * Whether an imaging model may answer for an image: the input rules first (what the file says,
 * shape, patient age), then the learned out-of-distribution check. Callers run the model only when
 * `abstained` is null; otherwise they show "not analysable: <message>" and store nothing.
 */
import type { DecodedImage } from './decodedImage';
import { checkImageDistribution } from './imageOod';
import { PNEUMONIA_MODEL_ID } from './imagingModels';
import { meanSaturation, qualifyImageInput, type ImagingAbstention, type ImagingPatient } from './inputQualification';

export interface ImageAssessment {
  /** null: the model may run on the image. */
  abstained: ImagingAbstention | null;
  /** The OOD distance and its threshold, when the check ran (the rules passed). */
  distance?: number;
  threshold?: number;
}

export interface ImageContext {
  /** DICOM header by keyword, when the image came from a DICOM file. */
  dicom?: Readonly<Record<string, string>>;
  patient?: ImagingPatient;
}

function oodMessage(modelId: string): string {
  return modelId === PNEUMONIA_MODEL_ID
    ? 'The image does not look like the chest X-rays the pneumonia model was trained on (its features are farther from them than those of 99 % of validation X-rays); the model was not run. Check that this is a frontal chest X-ray and read it yourself.'
    : 'The image does not look like the fundus photographs the vessel model was trained on (its features are farther from them than those of the validation photographs); the model was not run. Check that this is a colour fundus photograph at about 565×584 pixels.';
}

export async function assessImage(modelId: string, image: DecodedImage, context: ImageContext = {}, modelsDir?: string): Promise<ImageAssessment> {
  const rule = qualifyImageInput(
    modelId,
    {
      width: image.width,
      height: image.height,
      channels: image.channels,
      meanSaturation: meanSaturation(image),
      ...(context.dicom ? { dicom: context.dicom } : {}),
    },
    context.patient,
  );
  if (rule !== null) return { abstained: rule };
  const check = await checkImageDistribution(modelId, image, modelsDir);
  return {
    abstained: check.inDistribution ? null : { code: 'OUT_OF_DISTRIBUTION', message: oodMessage(modelId) },
    distance: check.distance,
    threshold: check.threshold,
  };
}
