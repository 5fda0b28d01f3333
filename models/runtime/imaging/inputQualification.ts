/**
 * Input qualification for the imaging models: pure rules on what the file says about itself (DICOM
 * tags) and on its shape (channels, colour, size, aspect), plus the patient's age where the
 * training population requires it. They run before the learned out-of-distribution check
 * (imageOod.ts) and before the model. A failed rule is an `OUT_OF_SCOPE` abstention whose message
 * says what the image is and what the model reads. Node built-ins only.
 */
import { PNEUMONIA_MODEL_ID, RETINA_MODEL_ID } from './imagingModels';
import type { Abstention, AbstentionCode, PatientContext } from '../scope';

/** An image is refused for what it is (scope) or for how unlike the training images it looks. */
export type ImagingAbstentionCode = Extract<AbstentionCode, 'OUT_OF_SCOPE' | 'OUT_OF_DISTRIBUTION'>;

export interface ImagingAbstention extends Abstention {
  code: ImagingAbstentionCode;
}

export type ImagingPatient = PatientContext;

/** What is known about an image before any model runs. */
export interface ImageFacts {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Mean over pixels of max(R,G,B) - min(R,G,B), in [0,1]; 0 for grey images. */
  meanSaturation: number;
  /** DICOM header by keyword (Modality, BodyPartExamined, ViewPosition, PhotometricInterpretation, PatientAge ...); absent for photographs. */
  dicom?: Readonly<Record<string, string>>;
}

/** The scope each imaging model declares (shape of models/runtime/scope.ts's ModelScope). */
export interface ImagingScope {
  population: string;
  ageYears?: { min?: number; max?: number };
  inputKind: 'chest-xray' | 'fundus-photo';
  notes: string;
}

export const imagingScopes: Readonly<Record<string, ImagingScope>> = {
  [PNEUMONIA_MODEL_ID]: {
    population: 'PneumoniaMNIST: frontal (AP) chest X-rays of children aged 1 to 5 years, Guangzhou Women and Children’s Medical Center, China',
    ageYears: { min: 1, max: 5 },
    inputKind: 'chest-xray',
    notes:
      'Refuses images of patients known to be younger than 1 or 6 years and older (no validation data; adult chest anatomy, views and pathogens differ); an unknown age is answered with the population shown beside the number.',
  },
  [RETINA_MODEL_ID]: {
    population: 'DRIVE: colour fundus photographs (Canon CR5, 45° field, 565×584 px) of adults in a Dutch diabetic retinopathy screening programme',
    inputKind: 'fundus-photo',
    notes: 'Refuses non-fundus DICOM modalities, grey images and images far from DRIVE’s scale (the network is not scale invariant).',
  },
};

/** Modalities that are chest radiographs (DR is not a standard code but some devices write it). */
export const CHEST_XRAY_MODALITIES = ['CR', 'DX', 'DR'] as const;
/** Ophthalmic photography (OP) and external-camera photography (XC). */
export const FUNDUS_MODALITIES = ['OP', 'XC'] as const;
export const CHEST_XRAY_VIEWS = ['PA', 'AP'] as const;
/** Mean saturation above which an image is a colour picture rather than a grey radiograph stored as RGB. */
export const MAX_XRAY_SATURATION = 0.05;
/** Below this a "colour" image is grey in all but name: not a fundus photograph. */
export const MIN_FUNDUS_SATURATION = 0.05;
/** Long side / short side beyond which the centre square would cut away too much of a chest film. */
export const MAX_XRAY_ASPECT = 1.6;
/** The pneumonia model's input side: smaller images would be upsampled from less than it was trained on. */
export const MIN_XRAY_SIDE = 28;
/** Fundus short side accepted (DRIVE is 565 x 584: field of view ~540 px); the U-Net does not resize. */
export const FUNDUS_SIDE_RANGE = [400, 900] as const;
export const MAX_FUNDUS_ASPECT = 1.4;

const norm = (v: string | undefined): string => (v ?? '').trim().toUpperCase();

const MODALITY_WORDS: Readonly<Record<string, string>> = {
  CT: 'a CT image',
  MR: 'an MR image',
  NM: 'a nuclear medicine image',
  PT: 'a PET image',
  US: 'an ultrasound image',
  RTDOSE: 'a radiotherapy dose map',
  RTIMAGE: 'a radiotherapy portal image',
  RTSTRUCT: 'a radiotherapy structure set',
  RTPLAN: 'a radiotherapy plan',
  SEG: 'a segmentation object',
  SR: 'a structured report',
  ECG: 'an ECG waveform',
  MG: 'a mammogram',
  XA: 'an angiogram',
  OP: 'an ophthalmic photograph',
  XC: 'a photograph',
  OT: 'an image of unspecified type (Modality OT)',
  SC: 'a secondary capture',
  CR: 'a computed radiograph',
  DX: 'a digital radiograph',
  DR: 'a digital radiograph',
};

function describeModality(m: string): string {
  return MODALITY_WORDS[m] ?? `a DICOM image of modality ${m}`;
}

/** DICOM Age String (nnnD/W/M/Y) -> years; undefined when absent or malformed. */
export function dicomAgeYears(value: string | undefined): number | undefined {
  const m = /^\s*(\d{1,3})\s*([DWMY])\s*$/i.exec(value ?? '');
  if (m === null) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] as string).toUpperCase();
  return unit === 'Y' ? n : unit === 'M' ? n / 12 : unit === 'W' ? (n * 7) / 365.25 : n / 365.25;
}

const scope = (reason: string): ImagingAbstention => ({ code: 'OUT_OF_SCOPE', message: reason });

function formatAge(years: number): string {
  return years >= 2 ? `${Math.floor(years)} years` : `${Math.round(years * 12)} months`;
}

function qualifyChestXray(f: ImageFacts, patient: ImagingPatient | undefined): ImagingAbstention | null {
  const d = f.dicom;
  if (d !== undefined) {
    const modality = norm(d['Modality']);
    if (!(CHEST_XRAY_MODALITIES as readonly string[]).includes(modality)) {
      return scope(
        modality === ''
          ? 'The DICOM file does not say what kind of image it is (no Modality); the pneumonia model reads chest X-rays (Modality CR or DX) only. Read the image yourself.'
          : `This is ${describeModality(modality)} (DICOM Modality ${modality}); the pneumonia model reads chest X-rays (CR or DX) only. Read the image yourself.`,
      );
    }
    const part = norm(d['BodyPartExamined']);
    if (part !== '' && part !== 'CHEST') {
      return scope(`The radiograph is of the ${part.toLowerCase()} (BodyPartExamined ${part}), not the chest; the pneumonia model reads chest X-rays only.`);
    }
    const view = norm(d['ViewPosition']);
    if (view !== '' && !(CHEST_XRAY_VIEWS as readonly string[]).includes(view)) {
      return scope(`The view is ${view} (ViewPosition); the pneumonia model was trained on frontal (AP/PA) chest X-rays only. Use the frontal film.`);
    }
    const photometric = norm(d['PhotometricInterpretation']);
    if (photometric !== '' && photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2') {
      return scope(`The image is stored as ${photometric}; a chest X-ray is a greyscale (MONOCHROME1/2) image. The pneumonia model was not run.`);
    }
  }
  if (f.channels === 3 && f.meanSaturation > MAX_XRAY_SATURATION) {
    return scope('This is a colour picture; chest X-rays are greyscale. The pneumonia model reads chest X-rays only.');
  }
  const short = Math.min(f.width, f.height);
  const long = Math.max(f.width, f.height);
  if (short < MIN_XRAY_SIDE) {
    return scope(`The image is ${f.width}×${f.height} pixels; the pneumonia model needs at least ${MIN_XRAY_SIDE} pixels on each side.`);
  }
  if (long / short > MAX_XRAY_ASPECT) {
    return scope(
      `The image is ${f.width}×${f.height} pixels (aspect ${(long / short).toFixed(2)}); a chest film is close to square (at most ${MAX_XRAY_ASPECT}), and the model’s centre square would cut off part of the chest. Crop it to the chest.`,
    );
  }
  const age = patient?.ageYears ?? dicomAgeYears(d?.['PatientAge']);
  const range = imagingScopes[PNEUMONIA_MODEL_ID]!.ageYears!;
  if (age !== undefined && Number.isFinite(age) && (age < (range.min as number) || Math.floor(age) > (range.max as number))) {
    return scope(
      `The patient is ${formatAge(age)} old; the pneumonia model was trained and validated only on chest X-rays of children aged 1 to 5 years, and its output would not be a number we can stand behind. Read the image yourself.`,
    );
  }
  return null;
}

function qualifyFundus(f: ImageFacts): ImagingAbstention | null {
  const d = f.dicom;
  if (d !== undefined) {
    const modality = norm(d['Modality']);
    if (!(FUNDUS_MODALITIES as readonly string[]).includes(modality)) {
      return scope(
        modality === ''
          ? 'The DICOM file does not say what kind of image it is (no Modality); the vessel model reads colour fundus photographs (Modality OP or XC) only.'
          : `This is ${describeModality(modality)} (DICOM Modality ${modality}); the vessel model reads colour fundus photographs (OP or XC) only.`,
      );
    }
    const part = norm(d['BodyPartExamined']);
    if (part !== '' && part !== 'EYE') {
      return scope(`The photograph is of the ${part.toLowerCase()} (BodyPartExamined ${part}), not the eye; the vessel model reads fundus photographs only.`);
    }
    const photometric = norm(d['PhotometricInterpretation']);
    if (photometric !== '' && photometric !== 'RGB' && !photometric.startsWith('YBR')) {
      return scope(`The image is stored as ${photometric}; a fundus photograph is a colour (RGB) image. The vessel model was not run.`);
    }
  }
  if (f.channels !== 3 || f.meanSaturation < MIN_FUNDUS_SATURATION) {
    return scope('This is a greyscale image; the vessel model reads colour fundus photographs only.');
  }
  const short = Math.min(f.width, f.height);
  const long = Math.max(f.width, f.height);
  const [lo, hi] = FUNDUS_SIDE_RANGE;
  if (short < lo || short > hi) {
    return scope(
      `The photograph is ${f.width}×${f.height} pixels; the vessel model works at the scale it was trained on (DRIVE, 565×584, field of view about 540 pixels across) and needs a short side of ${lo}–${hi} pixels. Resize it to that scale.`,
    );
  }
  if (long / short > MAX_FUNDUS_ASPECT) {
    return scope(
      `The photograph is ${f.width}×${f.height} pixels (aspect ${(long / short).toFixed(2)}); a fundus photograph is close to square (at most ${MAX_FUNDUS_ASPECT}). Crop it to the field of view.`,
    );
  }
  return null;
}

/**
 * Applies the model's rules to what is known about the image (and the patient: the case's age wins
 * over the DICOM PatientAge). Returns the abstention, or null when the image qualifies.
 */
export function qualifyImageInput(modelId: string, facts: ImageFacts, patient?: ImagingPatient): ImagingAbstention | null {
  if (modelId === PNEUMONIA_MODEL_ID) return qualifyChestXray(facts, patient);
  if (modelId === RETINA_MODEL_ID) return qualifyFundus(facts);
  throw new Error(`no input rules for imaging model "${modelId}"`);
}

/** Mean saturation of an RGB image (0 for grey), for `ImageFacts`. */
export function meanSaturation(image: { width: number; height: number; channels: 1 | 3; data: Float32Array }): number {
  if (image.channels === 1) return 0;
  const n = image.width * image.height;
  let s = 0;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = image.data[j] as number;
    const g = image.data[j + 1] as number;
    const b = image.data[j + 2] as number;
    s += Math.max(r, g, b) - Math.min(r, g, b);
  }
  return s / n;
}
