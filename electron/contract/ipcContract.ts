/**
 * The one IPC contract between the renderer and the app: method names, request/response schemas,
 * error codes and the result envelope. Electron IPC, the loopback host and the renderer's client all
 * derive from this module, so a call is validated identically whichever way it arrives.
 *
 * Imports nothing of ours (see ARCHITECTURE.md); the renderer imports it for types only.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Envelope and error codes

export const errorCodes = [
  'VALIDATION_FAILED',
  'VALUE_OUT_OF_RANGE',
  'WRONG_PASSPHRASE',
  'LOCKED',
  'NOT_INITIALISED',
  'ALREADY_INITIALISED',
  'KEYRING_MISSING',
  'DATABASE_CORRUPT',
  'DATABASE_TOO_NEW',
  'MIGRATION_FAILED',
  'MODEL_INTEGRITY',
  'NOT_FOUND',
  'UNKNOWN_METHOD',
  'FORBIDDEN',
  'STORAGE_FAILED',
  'IMAGE_UNREADABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** The request field the error is about, as a dotted path, where there is one. */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

// ---------------------------------------------------------------------------------------------
// Shared value schemas

/** Untrusted strings are bounded everywhere: a 10 MB paste must not reach SQLite unchecked. */
const boundedText = (max: number) => z.string().max(max);
export const IdSchema = z.string().uuid();
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'not a real calendar date');

export const SexSchema = z.enum(['female', 'male', 'other', 'unknown']);
export type Sex = z.infer<typeof SexSchema>;

export const FindingStateSchema = z.enum(['present', 'absent', 'unknown']);
export type FindingState = z.infer<typeof FindingStateSchema>;

/** Feature names are the model's own (`skin_rash`, `spotting_ urination` trimmed): plain identifiers. */
export const FeatureNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9_() .-]+$/i, 'not a feature name')
  // Keys that would reach Object.prototype if ever copied with plain assignment.
  .refine((k) => !['__proto__', 'constructor', 'prototype'].includes(k), 'reserved name');
export const FindingsSchema = z.record(FeatureNameSchema, FindingStateSchema).refine(
  (r) => Object.keys(r).length <= 500,
  'too many findings',
);

export const vitalCodes = [
  'temperature',
  'heartRate',
  'respiratoryRate',
  'systolicBp',
  'diastolicBp',
  'spo2',
  'weight',
] as const;
export const VitalCodeSchema = z.enum(vitalCodes);
export type VitalCode = z.infer<typeof VitalCodeSchema>;

const finiteNumber = z.number().finite();
export const VitalInputSchema = z.strictObject({ code: VitalCodeSchema, value: finiteNumber });
export const LoincSchema = z.string().regex(/^\d{1,8}-\d$/, 'not a LOINC code');
export const LabInputSchema = z.strictObject({ loinc: LoincSchema, value: finiteNumber });

/** Model ids are kebab-case everywhere: manifest, CLI, database rows, model card file names. */
export const ModelIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'not a model id').max(60);
const InputNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/i, 'not an input name')
  .max(60)
  .refine((k) => !['__proto__', 'constructor', 'prototype'].includes(k), 'reserved name');
/** A risk model's input as entered: numbers for numeric inputs, the manifest's strings for nominal ones. */
export const ModelInputValueSchema = z.union([z.number().finite(), z.string().max(40)]);
export const ModelInputsSchema = z
  .record(ModelIdSchema, z.record(InputNameSchema, ModelInputValueSchema))
  .refine((r) => Object.keys(r).length <= 20, 'too many models');

export const CaseInputSchema = z.strictObject({
  findings: FindingsSchema,
  /** Inputs of the risk models (heart-disease, chronic-kidney-disease, diabetes-onset), by model id. */
  modelInputs: ModelInputsSchema.default({}),
  vitals: z.array(VitalInputSchema).max(vitalCodes.length),
  labs: z.array(LabInputSchema).max(200),
  note: boundedText(1_000_000),
});
export type CaseInput = z.infer<typeof CaseInputSchema>;

export const PatientInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'a name is required').max(200),
  birthDate: IsoDateSchema,
  sex: SexSchema,
});
export type PatientInput = z.infer<typeof PatientInputSchema>;

// ---------------------------------------------------------------------------------------------
// Response shapes (plain TypeScript: the app produces them, so they need no runtime check)

export type Role = 'clinician' | 'auditor' | 'admin';
export interface UserSummary {
  id: string;
  displayName: string;
  role: Role;
}
export type SessionStatus =
  | { state: 'uninitialised' }
  | { state: 'locked' }
  | { state: 'unlocked'; user: UserSummary };

export interface Patient {
  id: string;
  name: string;
  birthDate: string;
  sex: Sex;
  createdAt: string;
}

export type RangeFlag = 'normal' | 'low' | 'high' | 'critical-low' | 'critical-high';

export interface VitalDefinition {
  code: VitalCode;
  loinc: string;
  unit: string;
  normalLow: number;
  normalHigh: number;
  criticalLow: number | null;
  criticalHigh: number | null;
  /** Physiological limits: a value outside them is a typing error, not a patient. */
  plausibleMin: number;
  plausibleMax: number;
}

export interface LabDefinition {
  loinc: string;
  name: string;
  unit: string;
  normalLow: number | null;
  normalHigh: number | null;
  criticalLow: number | null;
  criticalHigh: number | null;
  plausibleMin: number;
  plausibleMax: number;
}

export interface SymptomDefinition {
  code: string;
  label: string;
}

/** One input of a risk model, as its manifest declares it: the case form is generated from these. */
export interface ModelInputDefinition {
  name: string;
  label: string;
  unit: string | null;
  type: 'binary' | 'numeric' | 'nominal';
  /** Nominal inputs: the allowed values (UCI / ARFF codes). */
  values?: string[];
  /** Nominal inputs: clinician-facing meaning of each value, same order. */
  valueLabels?: string[];
  /** Physiological limits; a value outside them is an input error. */
  range?: { min: number; max: number };
  loinc?: string;
}

export interface RiskModelDefinition {
  id: string;
  version: string;
  /** Clinician-facing model name from the manifest. */
  title: string | null;
  /** The label whose probability is shown as "the risk" (e.g. `disease`, `ckd`, `diabetes`). */
  positiveLabel: string;
  labels: string[];
  inputs: ModelInputDefinition[];
  /** Present inputs needed before the model runs. */
  minInputs: number;
}

export interface Catalogue {
  symptoms: SymptomDefinition[];
  riskModels: RiskModelDefinition[];
  vitals: VitalDefinition[];
  labs: LabDefinition[];
}

export interface Contribution {
  feature: string;
  /** The finding's state as the model saw it. */
  state: FindingState;
  /** Change in this label's probability attributed to the finding (Saabas tree-path contribution). */
  weight: number;
}

export interface DifferentialItem {
  label: string;
  probability: number;
  contributions: Contribution[];
  /** Our own clinician-facing name and one-line summary (not dataset prose). */
  displayName: string;
  summary: string;
  icd10: { code: string; title: string } | null;
  /** 1 (mild) … 5 (life-threatening); from DDXPlus where the names match, else assigned by the team. */
  severity: number;
  /** A severe condition that must not be missed: shown first, whatever its rank. */
  cantMiss: boolean;
}

/** An unasked finding that would best separate the leading candidates. */
export interface AskNextItem {
  feature: string;
  /** Expected reduction of uncertainty (bits) over the leading candidates. */
  expectedInformationGain: number;
}

export interface RiskContribution {
  input: string;
  value: number | string | null;
  imputed: boolean;
  weight: number;
}

export type RiskAssessment =
  | {
      status: 'ran';
      modelId: string;
      modelVersion: string;
      modelSha256: string;
      positiveLabel: string;
      probability: number;
      probabilities: Record<string, number>;
      /** Inputs the case did not give, filled in by the model's imputation. */
      imputed: string[];
      contributions: RiskContribution[];
    }
  | {
      status: 'not-run';
      modelId: string;
      modelVersion: string;
      reason: string;
      /** Inputs still missing before the model can run. */
      missing: string[];
    };

export interface CriticalValue {
  kind: 'vital' | 'lab';
  code: string;
  value: number;
  unit: string;
  flag: RangeFlag;
}

export interface Differential {
  modelId: string;
  modelVersion: string;
  modelSha256: string;
  items: DifferentialItem[];
  /** Findings the model could use that the case leaves unknown. */
  unknownFindings: number;
  criticalValues: CriticalValue[];
  askNext: AskNextItem[];
  riskAssessments: RiskAssessment[];
}

export interface CaseSummary {
  id: string;
  patientId: string;
  createdAt: string;
  presentFindings: string[];
  topDiagnosis: string | null;
}

export interface RecordedVital {
  code: VitalCode;
  value: number;
  unit: string;
  flag: RangeFlag;
}

export interface RecordedLab {
  loinc: string;
  value: number;
  unit: string;
  flag: RangeFlag;
}

export interface CaseDetail {
  id: string;
  patientId: string;
  createdAt: string;
  findings: Record<string, FindingState>;
  vitals: RecordedVital[];
  labs: RecordedLab[];
  note: string;
  modelInputs: Record<string, Record<string, number | string>>;
  differential: Differential | null;
  images: ImageSummary[];
}

// ---------------------------------------------------------------------------------------------
// Images

export type ImageKind = 'dicom' | 'png' | 'jpeg' | 'tiff';

export interface ImageSummary {
  id: string;
  caseId: string;
  fileName: string;
  kind: ImageKind;
  sha256: string;
  width: number;
  height: number;
  frames: number;
  createdAt: string;
}

/** One frame for the viewer: values after rescale (Float32, little endian, base64), row-major, interleaved. */
export interface ImageFrame {
  imageId: string;
  frame: number;
  frames: number;
  width: number;
  height: number;
  channels: 1 | 3;
  pixelsBase64: string;
  /** Display window from the file (DICOM), else the value range. */
  windowCenter: number;
  windowWidth: number;
  /** MONOCHROME1: higher values are darker. */
  invert: boolean;
  /** Patient/study/series fields from a DICOM header; empty for photographs. */
  header: Record<string, string>;
}

export interface ImageModelResult {
  suggestionId: string;
  imageId: string;
  imageSha256: string;
  modelId: string;
  modelVersion: string;
  modelSha256: string;
  /** Classification models; null for segmentation. */
  probabilities: Record<string, number> | null;
  /** Saliency or per-pixel probability, 0–255, same size as the image, base64 of one byte per pixel. */
  overlay: { width: number; height: number; dataBase64: string; meaning: 'saliency' | 'vessel-probability' };
}

export const imageModelIds = ['pneumonia-xray', 'retina-vessels'] as const;

// ---------------------------------------------------------------------------------------------
// Clinical notes

export type Assertion = 'present' | 'absent' | 'possible' | 'historical' | 'hypothetical' | 'other_experiencer';

export interface NoteEntity {
  start: number;
  end: number;
  label: string;
  text: string;
  assertion: Assertion;
}

export interface NoteFinding {
  feature: string;
  state: 'present' | 'absent';
  start: number;
  end: number;
  text: string;
  assertion: Assertion;
}

export interface NoteAnalysis {
  /** Offsets are into the analysed text (the chunk sent), shifted by `offset`. */
  offset: number;
  entities: NoteEntity[];
  findings: NoteFinding[];
  complaint: { label: string; probability: number }[];
}

// ---------------------------------------------------------------------------------------------
// The methods. Channel name = `lantern:<method>`; the loopback host path = `/api/<method>`.

const empty = z.strictObject({});

export const contract = {
  sessionStatus: { request: empty, response: {} as SessionStatus },
  setup: {
    request: z.strictObject({
      displayName: z.string().trim().min(1).max(200),
      passphrase: z.string().min(8, 'use at least 8 characters').max(1024),
    }),
    response: {} as SessionStatus,
  },
  unlock: {
    request: z.strictObject({ passphrase: z.string().min(1).max(1024) }),
    response: {} as SessionStatus,
  },
  lock: { request: empty, response: {} as SessionStatus },
  getCatalogue: { request: empty, response: {} as Catalogue },
  searchPatients: {
    request: z.strictObject({ query: z.string().max(200) }),
    response: [] as Patient[],
  },
  createPatient: { request: PatientInputSchema, response: {} as Patient },
  getPatient: { request: z.strictObject({ patientId: IdSchema }), response: {} as Patient },
  listCases: { request: z.strictObject({ patientId: IdSchema }), response: [] as CaseSummary[] },
  getCase: { request: z.strictObject({ caseId: IdSchema }), response: {} as CaseDetail },
  runDiagnosis: {
    /** With `patientId`, risk models can use the patient's age and sex. */
    request: CaseInputSchema.extend({ patientId: IdSchema.optional() }),
    response: {} as Differential,
  },
  saveCase: {
    request: z.strictObject({ patientId: IdSchema, case: CaseInputSchema }),
    response: {} as CaseDetail,
  },
  attachImage: {
    request: z.strictObject({
      caseId: IdSchema,
      fileName: z.string().min(1).max(255),
      /** The file's bytes, base64; bounded so one upload cannot exhaust memory. */
      dataBase64: z.string().max(64 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
    }),
    response: {} as ImageSummary,
  },
  getImageFrame: {
    request: z.strictObject({ imageId: IdSchema, frame: z.number().int().min(0).max(10_000) }),
    response: {} as ImageFrame,
  },
  runImageModel: {
    request: z.strictObject({ imageId: IdSchema, modelId: z.enum(imageModelIds) }),
    response: {} as ImageModelResult,
  },
  analyseNote: {
    /** Long notes are sent in chunks by the caller (progress is shown per chunk). */
    request: z.strictObject({ text: z.string().max(200_000), offset: z.number().int().min(0).max(50_000_000) }),
    response: {} as NoteAnalysis,
  },
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export const methodNames = Object.keys(contract) as MethodName[];

export type RequestOf<M extends MethodName> = z.input<Contract[M]['request']>;
export type ParsedRequestOf<M extends MethodName> = z.output<Contract[M]['request']>;
export type ResponseOf<M extends MethodName> = Contract[M]['response'];

/** What `window.lantern` is: one async method per contract entry, each returning an envelope. */
export type LanternApi = {
  [M in MethodName]: (request: RequestOf<M>) => Promise<Result<ResponseOf<M>>>;
};

export const channelOf = <M extends MethodName>(method: M): `lantern:${M}` => `lantern:${method}`;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Header the loopback host requires on every API call (per-launch secret). */
export const tokenHeader = 'x-lantern-token';
