/**
 * The one IPC contract between the renderer and the app: method names, request/response schemas,
 * error codes and the result envelope. Electron IPC, the loopback host and the renderer's client all
 * derive from this module, so a call is validated identically whichever way it arrives.
 *
 * Imports nothing of ours but the shared clinical vocabulary (models/runtime/vocab/clinicalTypes.ts, a leaf
 * that imports nothing), so vital codes, range flags and sex are declared once for every room. The
 * renderer imports this module for types only.
 */
import { z } from 'zod';
import {
  sexes,
  vitalCodes,
  type ClinicalNameTable,
  type LabDefinition,
  type RangeFlag,
  type Sex,
  type VitalCode,
  type VitalDefinition,
} from '../../models/runtime/vocab/clinicalTypes';
import type { RedFlagReason } from '../../models/runtime/rules/redFlagReason';

export type { ClinicalNameTable, LabDefinition, RangeFlag, Sex, VitalCode, VitalDefinition, RedFlagReason };

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
  'PATIENT_MISMATCH',
  'BACKUP_INVALID',
  'BACKUP_TRUNCATED',
  'BACKUP_CHECKSUM_MISMATCH',
  'BACKUP_WRONG_KEY',
  'BACKUP_CORRUPT',
  'BACKUP_CHAIN_BROKEN',
  'REMEMBER_UNAVAILABLE',
  'CONFIRMATION_REQUIRED',
  'DATABASE_IN_USE',
  'TOO_MANY_ATTEMPTS',
  'TIMED_OUT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** The request field the error is about, as a dotted path, where there is one. */
  field?: string;
  /** The model the error is about (MODEL_INTEGRITY), so the renderer never parses the message for it. */
  modelId?: string;
  /** The file's base name the error is about (a model artefact, an image), likewise. */
  file?: string;
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

export const SexSchema = z.enum(sexes);

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
export const FindingsSchema = z.record(FeatureNameSchema, FindingStateSchema).refine((r) => Object.keys(r).length <= 500, 'too many findings');

export const VitalCodeSchema = z.enum(vitalCodes);

const finiteNumber = z.number().finite();
export const VitalInputSchema = z.strictObject({ code: VitalCodeSchema, value: finiteNumber });
export const LoincSchema = z.string().regex(/^\d{1,8}-\d$/, 'not a LOINC code');
export const LabInputSchema = z.strictObject({ loinc: LoincSchema, value: finiteNumber });

/** Model ids are kebab-case everywhere: manifest, CLI, database rows, model card file names. */
export const ModelIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'not a model id')
  .max(60);
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

/** ACVPU, as NEWS2 and qSOFA read it (same list as models/runtime/rules/news2.ts). */
export const consciousnessLevels = ['alert', 'new-confusion', 'voice', 'pain', 'unresponsive'] as const;
/** What NEWS2 needs beyond the numeric vitals; absent = not recorded (NEWS2 then stays empty). */
export const CaseObservationsSchema = z.strictObject({
  consciousness: z.enum(consciousnessLevels).optional(),
  onSupplementalOxygen: z.boolean().optional(),
  /** SpO2 scale 2 (target 88–92 %): only where a clinician has documented hypercapnic respiratory failure. */
  hypercapnicRespiratoryFailure: z.boolean().optional(),
});
export type CaseObservations = z.infer<typeof CaseObservationsSchema>;

export const CaseInputSchema = z.strictObject({
  findings: FindingsSchema,
  /** Consciousness and oxygen for NEWS2/qSOFA (optional; not kept with the case record, only in the run's triage). */
  observations: CaseObservationsSchema.optional(),
  /** Inputs of the risk models (heart-disease, chronic-kidney-disease, diabetes-onset), by model id. */
  modelInputs: ModelInputsSchema.default({}),
  vitals: z.array(VitalInputSchema).max(vitalCodes.length),
  labs: z.array(LabInputSchema).max(200),
  // A NUL or a lone surrogate cannot be stored faithfully (C strings, UTF-8 exports): refused, not mangled.
  note: boundedText(1_000_000)
    .refine((t) => !t.includes('\u0000'), 'a note may not contain NUL characters')
    .refine(
      (t) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(t),
      'a note may not contain lone surrogate characters (broken text encoding)',
    ),
});
export type CaseInput = z.infer<typeof CaseInputSchema>;

/**
 * A person's name in any script (Arabic, Hebrew, CJK, combining marks, emoji), but no invisible
 * controls: control characters (NUL breaks exports), unpaired surrogates (SQLite would store U+FFFD,
 * not what was typed) and bidi embedding/override/isolate marks, which can make one patient's name
 * display as another's. Right-to-left names need none of them.
 */
export const PersonNameSchema = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(200)
  .refine((s) => !/\p{Cc}/u.test(s), 'control characters are not allowed in a name')
  .refine((s) => !/[\u202a-\u202e\u2066-\u2069]/.test(s), 'text-direction control characters are not allowed in a name')
  .refine((s) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s), 'the name contains an invalid character');

/** Optional free text on a patient (identifier, phone, address): trimmed, no control characters; blank is absent. */
const optionalPatientText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(s), 'control characters are not allowed')
    .optional()
    .transform((s) => (s === '' ? undefined : s));

export const PatientInputSchema = z.strictObject({
  name: PersonNameSchema,
  birthDate: IsoDateSchema,
  sex: SexSchema,
  /** MRN or national ID. */
  identifier: optionalPatientText(64),
  phone: optionalPatientText(40).refine((s) => s === undefined || /^[+()\d\s.-]{3,40}$/.test(s), 'a phone number has digits, spaces, +, (, ), . or - only'),
  /** Village or address. */
  address: optionalPatientText(300),
});
export type PatientInput = z.infer<typeof PatientInputSchema>;

/** One allergy or current medication: an ATC code from the catalogue's list, or free text (code null, marked uncoded). */
const PatientListEntryInputSchema = z
  .strictObject({
    code: z
      .string()
      .regex(/^[A-Z]\d{2}[A-Z0-9]{0,4}$/, 'not an ATC code')
      .nullable(),
    /** What was typed, for an uncoded entry; ignored for a coded one (its name comes from the list). */
    text: optionalPatientText(200),
    /** Reaction for an allergy ("rash"), dose for a medication ("500 mg twice daily"). */
    note: optionalPatientText(200),
  })
  .refine((e) => e.code !== null || e.text !== undefined, { message: 'an uncoded entry needs its text', path: ['text'] });

export const PatientListsInputSchema = z
  .strictObject({
    patientId: IdSchema,
    /** Asked, and there are none: an empty list alone means not asked. */
    noKnownAllergies: z.boolean(),
    allergies: z.array(PatientListEntryInputSchema).max(50),
    medications: z.array(PatientListEntryInputSchema).max(50),
  })
  .refine((r) => !(r.noKnownAllergies && r.allergies.length > 0), { message: 'no known allergies, yet allergies are listed', path: ['noKnownAllergies'] });
export type PatientListsInput = z.infer<typeof PatientListsInputSchema>;

// ---------------------------------------------------------------------------------------------
// Response shapes (plain TypeScript: the app produces them, so they need no runtime check)

export type Role = (typeof roles)[number];
export interface UserSummary {
  id: string;
  displayName: string;
  /** What the user types to sign in. */
  login: string;
  role: Role;
}
export type SessionStatus = { state: 'uninitialised' } | { state: 'locked' } | { state: 'unlocked'; user: UserSummary };

export interface Patient {
  id: string;
  name: string;
  birthDate: string;
  sex: Sex;
  createdAt: string;
  identifier?: string;
  phone?: string;
  address?: string;
  /** True when the clinician recorded that the patient has no known allergies. */
  noKnownAllergies: boolean;
  allergies: PatientListEntry[];
  medications: PatientListEntry[];
}

export interface PatientListEntry {
  /** ATC code, or null for free text (uncoded). */
  code: string | null;
  system: string | null;
  /** English name from the coded list, or the text as typed. */
  display: string;
  note?: string;
}

export interface SubstanceDefinition {
  code: string;
  system: string;
  name: string;
  nameZh: string;
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

/** What a model's card says about who it is for and what it was trained on. */
export interface ModelCatalogueEntry {
  id: string;
  version: string;
  kind: string;
  /** The training population in words (null: the manifest declares no scope). */
  population: string | null;
  trainingData: { name: string; licence: string; clinicalUse: boolean } | null;
}

export interface Catalogue {
  symptoms: SymptomDefinition[];
  riskModels: RiskModelDefinition[];
  vitals: VitalDefinition[];
  labs: LabDefinition[];
  /** Coded substances for allergies and medications (ATC). */
  substances: SubstanceDefinition[];
  /** Every installed model; any whose data licence does not allow clinical use makes this an evaluation build. */
  models: ModelCatalogueEntry[];
  /** Chinese clinical names (models/artefacts/vocab/clinicalNames.zh-CN.json), the table the PDF report prints from. */
  clinicalNamesZh: ClinicalNameTable;
}

export interface Contribution {
  feature: string;
  /** The finding's state as the model saw it. */
  state: FindingState;
  /** Change in this label's probability attributed to the finding (Saabas tree-path contribution). */
  weight: number;
  /** Set where the finding was not entered but derived from a measurement ("temperature 39.2 °C"). */
  fromMeasurement?: string;
}

export interface DifferentialItem {
  label: string;
  probability: number;
  /** The strongest contributions for and against (up to 5 each), strongest first; weights to 6 decimals. */
  contributions: Contribution[];
  /** Sum of the smaller contributions not listed: prior + listed + this = probability (absent in differentials stored before it existed). */
  otherContributionsWeight?: number;
  /** Our own clinician-facing name and one-line summary (not dataset prose). */
  displayName: string;
  summary: string;
  icd10: { code: string; title: string } | null;
  /** 1 (mild) … 5 (life-threatening); from DDXPlus where the names match, else assigned by the team. */
  severity: number;
  /** A severe condition that must not be missed: shown first, whatever its rank. */
  cantMiss: boolean;
  /** Set (and cantMiss false) where a measured value on the case rules the can't-miss alarm out, naming the value. */
  cantMissContradictedBy?: string;
  /** Set (cantMiss kept) where a measurement now disagrees with one of the condition's hallmark findings. */
  cantMissNote?: string;
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

/** Why a model gave no number (models/runtime/scope.ts declares the same codes for the runtime). */
export const abstentionCodes = ['INSUFFICIENT_INPUTS', 'OUT_OF_SCOPE', 'OUT_OF_DISTRIBUTION', 'MEETS_DIAGNOSTIC_CRITERIA'] as const;
export type AbstentionCode = (typeof abstentionCodes)[number];

/** A model that should not answer says so, with a reason the clinician can act on. */
export interface Abstention {
  code: AbstentionCode;
  message: string;
  /** Inputs whose values would let the model answer. */
  missing?: string[];
}

export type RiskAssessment =
  | {
      status: 'ran';
      /** The population the model was trained on, shown beside the number (absent on rows stored before scopes). */
      scope?: string;
      modelId: string;
      modelVersion: string;
      modelSha256: string;
      positiveLabel: string;
      probability: number;
      probabilities: Record<string, number>;
      /** Inputs the case did not give, filled in by the model's imputation. */
      imputed: string[];
      contributions: RiskContribution[];
      /** How well the model's probabilities matched outcomes on patients it did not train on (absent on rows stored before it). */
      calibration?: RiskCalibration;
    }
  | {
      status: 'not-run';
      modelId: string;
      modelVersion: string;
      /** Absent on rows stored before abstention codes; `reason` is its message then. */
      abstained?: Abstention;
      reason: string;
      /** Inputs still missing before the model can run. */
      missing: string[];
    };

/** Out-of-fold calibration of a risk model, from its metrics.json (models/training/riskCalibration.ts). */
export interface RiskCalibration {
  /** One line for the screen and the reports. */
  summary: string;
  /** Expected calibration error (ten bins), all inputs given. */
  ece: number;
  /** Brier score, all inputs given. */
  brier: number;
  /** Patients the figures come from. */
  cases: number;
}

/** KDIGO 2012 categories: G from eGFR, A from albuminuria. */
export type KidneyGStage = 'G1' | 'G2' | 'G3a' | 'G3b' | 'G4' | 'G5';
export type KidneyAStage = 'A1' | 'A2' | 'A3';

/** Deterministic eGFR (CKD-EPI 2021) of the run, shown before the CKD model's estimate. */
export interface KidneyFunction {
  /** mL/min/1.73 m², whole number as laboratories report it. */
  egfr: number;
  gStage: KidneyGStage;
  /** From albumin where the case gives it; `approximate` for a urine dipstick grade. */
  aStage?: { stage: KidneyAStage; approximate: boolean; note: string };
  creatinineMgDl: number;
  /** Where the creatinine came from: `labs.2160-0` or `modelInputs.chronic-kidney-disease.sc`. */
  creatinineFrom: string;
  ageYears: number;
  sex: 'female' | 'male';
  /** The equation, cited. */
  formula: string;
}

export interface CriticalValue {
  kind: 'vital' | 'lab';
  code: string;
  value: number;
  unit: string;
  flag: RangeFlag;
}

/** A red flag from the rules (models/runtime/rules): shown first, independent of any model. */
export interface TriageFlag {
  code: string;
  severity: 'critical' | 'urgent' | 'warning';
  /** Names the values that raised it (English, with finding codes; what FHIR and `lantern triage` print). */
  reason: string;
  /** The same reason as data, to word in the UI's language (redFlagReason.ts); absent in triage stored before it. */
  reasonParts?: RedFlagReason;
}

/** Early-warning scores and red flags of the case, from rules that need no model (models/runtime/rules/README.md). */
export interface CaseTriage {
  news2: { score: number; risk: 'low' | 'low-medium' | 'medium' | 'high' } | null;
  qsofa: { score: number } | null;
  flags: TriageFlag[];
  /** NEWS2/qSOFA parameters the case does not give (why a score is null). */
  missing: string[];
}

/** A finding a measurement settles (models/runtime/forest/measuredFindings.ts); `applied` false where the clinician's entry stands. */
export interface MeasuredFinding {
  feature: string;
  state: 'present';
  measured: string;
  rule: string;
  applied: boolean;
}

export interface Differential {
  modelId: string;
  modelVersion: string;
  modelSha256: string;
  items: DifferentialItem[];
  /** The differential declined to rank (too few findings, or only absent ones): `items` is empty; askNext says what to add. */
  abstained?: Abstention;
  /** No disease the model knows shows this combination: probabilities are capped; the red-flag rules come first. */
  coverageWarning?: { code: 'OUT_OF_DISTRIBUTION'; message: string };
  /** Findings the model could use that the case leaves unknown. */
  unknownFindings: number;
  /** Findings derived from the case's vitals and labs (never entered by the clinician); absent when none. */
  measuredFindings?: MeasuredFinding[];
  criticalValues: CriticalValue[];
  askNext: AskNextItem[];
  riskAssessments: RiskAssessment[];
  /** Rule-based triage of the same run (absent in differentials stored before it existed). */
  triage?: CaseTriage;
  /** eGFR and KDIGO stage where creatinine, age and sex are known (absent otherwise, and in rows stored before it). */
  kidneyFunction?: KidneyFunction;
}

export interface CaseSummary {
  id: string;
  patientId: string;
  createdAt: string;
  presentFindings: string[];
  /** The model's label of the latest differential's first item. */
  topDiagnosis: string | null;
  /** Its clinical display name (not the dataset's spelling). */
  topDiagnosisName: string | null;
  /** The clinician's final diagnosis, when recorded: the case history shows it first. */
  finalDiagnosis: { label: string; icd10: string | null } | null;
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
  /** The stored differential suggestion that decisions refer to. */
  suggestionId: string | null;
  images: ImageSummary[];
  /** What the clinician did with each suggestion, oldest first (a changed mind is a new row). */
  decisions: Decision[];
  finalDiagnosis: FinalDiagnosis | null;
  /** Saved DDXPlus interviews of this case (absent when none). */
  interviews?: StoredInterview[];
  /** The free-text classifier's reading of the note, stored with the case when it was saved; null without a note. */
  complaintSuggestion?: ComplaintSuggestion | null;
}

/** `symptom-text` on the saved note: a ranking of the diseases it was trained on, or why it gave none. */
export interface ComplaintSuggestion {
  suggestionId: string;
  modelId: string;
  modelVersion: string;
  modelSha256: string;
  createdAt: string;
  /** Top labels with probabilities; empty when the model abstained. */
  ranking: { label: string; probability: number }[];
  abstained: Abstention | null;
}

// ---------------------------------------------------------------------------------------------
// Accountability: users, decisions, audit

export const decisionActions = ['accept', 'reject', 'defer'] as const;
export type DecisionAction = (typeof decisionActions)[number];

export interface Decision {
  suggestionId: string;
  /** The suggested label (differential item, risk model id, image label) the decision is about. */
  label: string;
  action: DecisionAction;
  reason: string | null;
  userId: string | null;
  userName: string | null;
  createdAt: string;
}

export interface FinalDiagnosis {
  label: string;
  icd10: string | null;
  recordedBy: string | null;
  recordedByName: string | null;
  recordedAt: string;
}

export interface UserAccount extends UserSummary {
  disabled: boolean;
  createdAt: string;
}

/**
 * Where the master-key rotation started by disabling an account stands. Stages in order: 'started'
 * (the new key being sealed to each remaining slot), 'keyring-prepared', 'copying', 'rekeying' and
 * 'renaming' (the database re-encrypted on a copy that replaces it), 'database-rekeyed',
 * 'keyring-installed' (the database being reopened under the new key); `step` counts them from 1.
 */
export type KeyRotationStage = 'started' | 'keyring-prepared' | 'copying' | 'rekeying' | 'renaming' | 'database-rekeyed' | 'keyring-installed';

export type KeyRotationStatus =
  | { state: 'idle' }
  | { state: 'running'; stage: KeyRotationStage; step: number; steps: number }
  /** `droppedLogins`: slots that could not be rewrapped (never signed in since key pairs existed). */
  | { state: 'done'; at: string; droppedLogins: string[] }
  /** The old key still opens the database; the rotation is retried at the next sign-in. */
  | { state: 'failed'; at: string; message: string };

export interface RememberStatus {
  available: boolean;
  /** Why not, when unavailable (no keychain, Linux basic_text backend, not the desktop app). */
  reason: string | null;
  logins: string[];
}

export interface SetupResult {
  status: SessionStatus;
  /** Shown once: it opens the database if every admin passphrase is lost. Never stored in clear. */
  recoveryKey: string;
}

export interface AuditChainStatus {
  intact: boolean;
  events: number;
  /** Seq and hash of the last event: quoted in reports and backups so a rebuilt chain is detectable. */
  head: { seq: number; hash: string } | null;
  firstBrokenSeq: number | null;
  reason: string | null;
  checkedAt: string;
  /** Events written before audit events were signed (schema 9): reported, not a break. Absent where signatures were not checked. */
  unsignedLegacyEvents?: number;
}

export interface AuditRow {
  suggestionId: string;
  caseId: string;
  patientId: string;
  createdAt: string;
  clinicianId: string | null;
  clinicianName: string | null;
  modelId: string;
  modelVersion: string;
  modelSha256: string;
  /** The leading suggestions as stored (differentials: top 3; image models: their labels). */
  top: { label: string; probability: number }[];
  finalDiagnosis: string | null;
  decisions: { label: string; action: DecisionAction }[];
}

export interface SuggestionAuditDetail {
  row: AuditRow;
  /** Exactly what the model was given. */
  inputSnapshot: unknown;
  /** Exactly what it returned. */
  output: unknown;
  decisions: Decision[];
}

export interface RerunResult {
  suggestionId: string;
  modelId: string;
  storedVersion: string;
  storedSha256: string;
  installedVersion: string | null;
  installedSha256: string | null;
  /** True when the stored model version ran on the stored inputs and gave the stored output. */
  reproduced: boolean;
  /** Largest absolute probability difference between stored and re-run output (null when not re-run). */
  maxDifference: number | null;
  reason: string;
}

export interface AgreementRow {
  modelId: string;
  modelVersion: string;
  /** Cases with both a stored differential and a clinician's final diagnosis. */
  cases: number;
  top1: number;
  top3: number;
  top1Rate: number | null;
  top3Rate: number | null;
}

export interface AuditEventView {
  seq: number;
  at: string;
  userId: string | null;
  userName: string | null;
  action: string;
  caseId: string | null;
  modelId: string | null;
  modelVersion: string | null;
  modelSha256: string | null;
  detail: string;
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

/** A measurement kept with its image: points in image pixels, values computed by the app from the stored pixels. */
export interface ImageMeasurement {
  id: string;
  imageId: string;
  frame: number;
  kind: 'length' | 'roi';
  a: { x: number; y: number };
  b: { x: number; y: number };
  /** Length measurements: mm from PixelSpacing (or ImagerPixelSpacing), px without either. */
  length: { value: number; unit: 'mm' | 'px' } | null;
  /** ROI: mean and sample SD of the modality values inside the rectangle; null when it holds no pixel. */
  roi: { count: number; mean: number; sd: number; area: { value: number; unit: 'mm²' | 'px²' } } | null;
  spacingSource: 'PixelSpacing' | 'ImagerPixelSpacing' | null;
  createdAt: string;
  createdByName: string | null;
}

const ImagePointSchema = z.strictObject({ x: z.number().finite().min(-100_000).max(100_000), y: z.number().finite().min(-100_000).max(100_000) });

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

/** The image is outside the model's scope or distribution (issue 13): nothing was stored as a suggestion. */
export interface ImageModelAbstention {
  imageId: string;
  imageSha256: string;
  modelId: string;
  abstained: { code: 'OUT_OF_SCOPE' | 'OUT_OF_DISTRIBUTION'; message: string };
}

export const imageModelIds = ['pneumonia-xray', 'retina-vessels'] as const;

// ---------------------------------------------------------------------------------------------
// Case export (reports)

export const caseExportFormats = ['fhir', 'pdf'] as const;
export type CaseExportFormat = (typeof caseExportFormats)[number];

export interface CaseExport {
  fileName: string;
  /** `application/fhir+json` or `application/pdf`. */
  mediaType: string;
  dataBase64: string;
  sha256: string;
  /** The audit chain head the file quotes: the event just before this export's own. */
  chainHead: { seq: number; hash: string } | null;
  /** Seq of the `case.export` audit event that records this file's sha256. */
  auditSeq: number;
}

// ---------------------------------------------------------------------------------------------
// Clinical notes

export type Assertion = 'present' | 'absent' | 'possible' | 'historical' | 'hypothetical' | 'family';

export interface NoteEntity {
  start: number;
  end: number;
  label: string;
  text: string;
  assertion: Assertion;
}

export interface NoteFinding {
  feature: string;
  /** 'unknown': a possible / hypothetical / historical / family mention, shown but never entered into the case */
  state: 'present' | 'absent' | 'unknown';
  /** DDXPlus evidence codes of the same mention */
  ddxplus?: string[];
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
// Accountability request schemas

export const roles = ['clinician', 'auditor', 'admin'] as const;
export const RoleSchema = z.enum(roles);
/** Login names are typed at a shared workstation: short, lower-case, no spaces. */
export const LoginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'use 1–40 letters, digits, dots, dashes or underscores');
export const PassphraseSchema = z.string().min(8, 'use at least 8 characters').max(1024);
export const Icd10Schema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'not an ICD-10 code');
export const AuditFilterSchema = z.strictObject({
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  clinicianId: IdSchema.optional(),
  modelId: ModelIdSchema.optional(),
  modelVersion: z.string().max(60).optional(),
  /** Matches the final diagnosis or the top suggestion, case-insensitively. */
  diagnosis: z.string().max(200).optional(),
  decision: z.enum([...decisionActions, 'none']).optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

// ---------------------------------------------------------------------------------------------
// Surveillance: counts of clinician-confirmed final diagnoses (never the model's suggestions)

export const ageBands = ['0-4', '5-14', '15-24', '25-44', '45-64', '65+', 'unknown'] as const;
export type AgeBand = (typeof ageBands)[number];
/** Series are ICD-10 categories (first 3 characters of the code) or the diagnosis as recorded. */
export const surveillanceGroupings = ['icd10Category', 'diagnosis'] as const;
export type SurveillanceGrouping = (typeof surveillanceGroupings)[number];
export const surveillanceGranularities = ['week', 'month'] as const;
export type SurveillanceGranularity = (typeof surveillanceGranularities)[number];
export const surveillanceExportFormats = ['csv', 'fhir-measure-report'] as const;
export type SurveillanceExportFormat = (typeof surveillanceExportFormats)[number];

/** An ISO week (`2025-W07`, Monday to Sunday) or a calendar month (`2025-02`), dates inclusive. */
export interface SurveillancePeriod {
  key: string;
  start: string;
  end: string;
  /** The range covers only part of it, or it has not ended yet: its count is not comparable. */
  partial: boolean;
}

export interface ForecastBacktestPoint {
  month: string;
  actual: number;
  point: number;
  lower: number;
  upper: number;
}

export type ForecastMethod = 'seasonal-naive' | 'holt-winters';

export interface ForecastMethodResult {
  method: ForecastMethod;
  /** Next month's count and its prediction interval (`level`, e.g. 0.95). */
  point: number;
  lower: number;
  upper: number;
  /** Rolling-origin one-month-ahead backtest over the last months of history; null when too short. */
  backtest: { origins: number; mae: number; coverage: number; points: ForecastBacktestPoint[] } | null;
  /** Holt-Winters only: smoothing parameters chosen on the data (beta null: no trend). */
  parameters: { alpha: number; beta: number | null; gamma: number } | null;
}

export type SurveillanceForecast =
  | {
      status: 'forecast';
      targetMonth: string;
      historyMonths: number;
      level: number;
      /** The method with the lower backtest error; what the screen shows first. */
      chosen: ForecastMethod;
      methods: ForecastMethodResult[];
    }
  | { status: 'not-enough-history'; targetMonth: string; historyMonths: number; monthsNeeded: number };

export type OutbreakRule = 'historical-limits' | 'ears-c2';

export interface SurveillanceAlertCase {
  caseId: string;
  patientId: string;
  createdAt: string;
}

export interface SurveillanceAlert {
  series: string;
  label: string;
  icd10Category: string | null;
  week: string;
  weekStart: string;
  weekEnd: string;
  observed: number;
  expected: number;
  threshold: number;
  rule: OutbreakRule;
  /** The confirmed cases counted in that week: what a clinician opens to check the alert. */
  cases: SurveillanceAlertCase[];
}

export interface SurveillanceSeries {
  /** ICD-10 category (`A90`, or `uncoded`) or the diagnosis name, per the report's grouping. */
  key: string;
  label: string;
  icd10Category: string | null;
  total: number;
  /** Counts per report week / month (same order as `weeks` / `months`). */
  weekly: number[];
  monthly: number[];
  /** Per week: the alert rule's expected count and threshold; null where there is no baseline yet. */
  weeklyExpected: (number | null)[];
  weeklyThreshold: (number | null)[];
  forecast: SurveillanceForecast;
}

/** Range totals of one series by age band and sex (non-zero cells only). */
export interface SurveillanceStratum {
  series: string;
  ageBand: AgeBand;
  sex: Sex;
  count: number;
}

export interface SurveillanceReport {
  from: string;
  to: string;
  groupBy: SurveillanceGrouping;
  ageBand: AgeBand | null;
  sex: Sex | null;
  generatedAt: string;
  totalCases: number;
  weeks: SurveillancePeriod[];
  months: SurveillancePeriod[];
  series: SurveillanceSeries[];
  strata: SurveillanceStratum[];
  alerts: SurveillanceAlert[];
}

export interface SurveillanceAlertList {
  /** The last day looked at (today) and how many weeks back. */
  asOf: string;
  weeks: number;
  alerts: SurveillanceAlert[];
}

export interface SurveillanceExport {
  format: SurveillanceExportFormat;
  fileName: string;
  mediaType: string;
  content: string;
  sha256: string;
  /** CSV: data rows; FHIR: strata. */
  rows: number;
}

export const SurveillanceReportRequestSchema = z
  .strictObject({
    from: IsoDateSchema,
    to: IsoDateSchema,
    groupBy: z.enum(surveillanceGroupings).default('icd10Category'),
    ageBand: z.enum(ageBands).optional(),
    sex: SexSchema.optional(),
  })
  .refine((r) => r.from <= r.to, { message: 'the range must not end before it starts', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 20 * 366 * 86_400_000, { message: 'at most 20 years at a time', path: ['from'] });
export const SurveillanceExportRequestSchema = z
  .strictObject({
    from: IsoDateSchema,
    to: IsoDateSchema,
    groupBy: z.enum(surveillanceGroupings).default('icd10Category'),
    granularity: z.enum(surveillanceGranularities),
    format: z.enum(surveillanceExportFormats),
  })
  .refine((r) => r.from <= r.to, { message: 'the range must not end before it starts', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 20 * 366 * 86_400_000, { message: 'at most 20 years at a time', path: ['from'] });

// ---------------------------------------------------------------------------------------------
// Backups

export interface BackupSummary {
  /** Absolute path of the backup folder (encrypted database, its keyring, manifest.json). */
  folder: string;
  createdAt: string;
  schemaVersion: number;
  /** The last audit event the backup holds. */
  auditHead: { seq: number; hash: string };
  bytes: number;
  sha256: string;
}

/** A backup that passed every check a restore runs first. */
export interface BackupVerification {
  folder: string;
  createdAt: string;
  schemaVersion: number;
  auditHead: { seq: number; hash: string };
  /** Audit events in the backup, all verified. */
  events: number;
}

export interface RestoreResult {
  /** Where the database that was replaced now lives (never deleted); null when there was none. */
  previous: string | null;
  /** When the restored backup was made. */
  createdAt: string;
  schemaVersion: number;
  auditHead: { seq: number; hash: string };
  status: SessionStatus;
}

export interface BackupList {
  /** The folder scheduled backups go to (and "Back up now" without a folder). */
  dir: string;
  /** Newest first. */
  backups: BackupSummary[];
  schedule: { everyMs: number; keep: number };
  /** The last scheduled backup's failure, if it failed. */
  lastError: string | null;
}

/** An absolute folder path (POSIX or Windows); relative paths would depend on the app's working folder. */
export const BackupDirSchema = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'use an absolute folder path')
  .refine((s) => !s.includes('\0'), 'not a folder path');

// ---------------------------------------------------------------------------------------------
// DDXPlus interview (issue 15): answers in the release's format, the differential and the next questions

/** `E_53` is the release's evidence name. */
export const EvidenceNameSchema = z.string().regex(/^E_\d{1,4}$/, 'not a DDXPlus evidence (E_n)');
const VCodeSchema = z.string().regex(/^V_\d{1,4}$/, 'not a DDXPlus value (V_n)');
/** Binary 1/0; categorical a number (0–10 scales) or a V_ code; multi-choice a list of V_ codes. A missing key is unknown. */
export const InterviewAnswerSchema = z.union([z.number().finite(), VCodeSchema, z.array(VCodeSchema).max(60)]);
export const InterviewRequestSchema = z.strictObject({
  /** Age and sex are taken from the patient when given (the request's own values are then ignored). */
  patientId: IdSchema.optional(),
  ageYears: z.number().int().min(0).max(130).optional(),
  sex: z.enum(['female', 'male']).optional(),
  answers: z.record(EvidenceNameSchema, InterviewAnswerSchema).refine((a) => Object.keys(a).length <= 300, 'too many answers'),
});
export type InterviewRequest = z.infer<typeof InterviewRequestSchema>;

export interface LocalText {
  en: string;
  /** Absent where no reviewed Chinese text exists yet: the screen shows the English. */
  zh?: string;
}

export interface InterviewCondition {
  /** The release's pathology name (the model's label). */
  pathology: string;
  displayName: LocalText;
  icd10: { code: string; title: string } | null;
  /** 1 = mild … 5 = life-threatening. */
  severity: number;
  cantMiss: boolean;
  probability: number;
  /** The answers that raised it most: its probability minus the probability without that answer (leave-one-out). */
  movedBy: { feature: string; question: LocalText; delta: number }[];
}

export type InterviewQuestionKind = 'binary' | 'scale' | 'choice' | 'multi';

export interface InterviewQuestion {
  feature: string;
  question: LocalText;
  kind: InterviewQuestionKind;
  /** History (antecedent) rather than a current symptom. */
  antecedent: boolean;
  /** Choice and multi-choice: the values with their meaning; scale: the numbers allowed. */
  options?: { value: string | number; label: LocalText }[];
  /** Expected information gain, bits (ask-next only). */
  gain?: number;
}

export interface InterviewResult {
  modelId: string;
  modelVersion: string;
  modelSha256: string;
  /** Training population in words, shown beside the numbers. */
  population: string;
  ageYears: number | null;
  sex: 'female' | 'male' | null;
  /** The leading conditions, most probable first (empty when the model abstains). */
  differential: InterviewCondition[];
  /** The best next questions, best first; never one already answered. */
  askNext: InterviewQuestion[];
  /** The presenting complaints the model was trained to start from (the searchable list). */
  complaints: InterviewQuestion[];
  abstained?: Abstention;
  /** Red-flag rules on the answers (models/runtime/rules): shown above the differential, never contradicted by it. */
  triage?: CaseTriage;
}

/** One answer of a saved interview, with its question's text. */
export interface InterviewAnswered {
  feature: string;
  question: LocalText;
  value: number | string | string[];
}

/** A saved interview: its suggestion, the exact answers and the differential it gave. */
export interface StoredInterview {
  suggestionId: string;
  createdAt: string;
  modelId: string;
  modelVersion: string;
  answers: Record<string, number | string | string[]>;
  answered: InterviewAnswered[];
  differential: InterviewCondition[];
  triage?: CaseTriage;
}

// ---------------------------------------------------------------------------------------------
// The methods. Channel name = `lantern:<method>`; the loopback host path = `/api/<method>`.

const empty = z.strictObject({});

export const contract = {
  sessionStatus: { request: empty, response: {} as SessionStatus },
  setup: {
    request: z.strictObject({
      displayName: z.string().trim().min(1).max(200),
      /** Defaults to one made from the display name. */
      login: LoginSchema.optional(),
      passphrase: PassphraseSchema,
    }),
    response: {} as SetupResult,
  },
  unlock: {
    /** Without a login every account's key slot is tried (the single-user CLI). */
    request: z.strictObject({ login: LoginSchema.optional(), passphrase: z.string().min(1).max(1024) }),
    response: {} as SessionStatus,
  },
  recoverWithKey: {
    /** Lost admin passphrase: the recovery key printed at setup sets a new one and signs that admin in. */
    request: z.strictObject({ recoveryKey: z.string().trim().min(1).max(200), login: LoginSchema, newPassphrase: PassphraseSchema }),
    response: {} as SessionStatus,
  },
  /** Whether this computer can remember a sign-in (OS keychain), and for whom it does. */
  rememberStatus: { request: empty, response: {} as RememberStatus },
  rememberOnThisComputer: { request: empty, response: {} as RememberStatus },
  forgetOnThisComputer: { request: empty, response: {} as RememberStatus },
  unlockRemembered: { request: z.strictObject({ login: LoginSchema }), response: {} as SessionStatus },
  changePassphrase: {
    request: z.strictObject({ currentPassphrase: z.string().min(1).max(1024), newPassphrase: PassphraseSchema }),
    response: {} as SessionStatus,
  },
  listUsers: { request: empty, response: [] as UserAccount[] },
  addUser: {
    request: z.strictObject({ displayName: z.string().trim().min(1).max(200), login: LoginSchema, role: RoleSchema, passphrase: PassphraseSchema }),
    response: {} as UserAccount,
  },
  /** Answers once the account is disabled and the key rotation has started; keyRotationStatus follows it. */
  disableUser: { request: z.strictObject({ userId: IdSchema }), response: {} as UserAccount },
  /** Answers even while the database is closed for the rekey (other calls then answer DATABASE_IN_USE). */
  keyRotationStatus: { request: empty, response: {} as KeyRotationStatus },
  /** Sets a new passphrase for a user (and re-enables a disabled account). */
  resetUserPassphrase: { request: z.strictObject({ userId: IdSchema, passphrase: PassphraseSchema }), response: {} as UserAccount },
  lock: { request: empty, response: {} as SessionStatus },
  getCatalogue: { request: empty, response: {} as Catalogue },
  searchPatients: {
    request: z.strictObject({ query: z.string().max(200) }),
    response: [] as Patient[],
  },
  createPatient: { request: PatientInputSchema, response: {} as Patient },
  getPatient: { request: z.strictObject({ patientId: IdSchema }), response: {} as Patient },
  /** Replaces the patient's allergy and medication lists; audited. */
  updatePatientLists: { request: PatientListsInputSchema, response: {} as Patient },
  listCases: { request: z.strictObject({ patientId: IdSchema }), response: [] as CaseSummary[] },
  getCase: { request: z.strictObject({ caseId: IdSchema }), response: {} as CaseDetail },
  runDiagnosis: {
    /** With `patientId`, risk models can use the patient's age and sex. */
    request: CaseInputSchema.extend({ patientId: IdSchema.optional() }),
    response: {} as Differential,
  },
  /** DDXPlus interview: the differential of 49 conditions and the next questions; the run is audited, nothing is stored (saveInterview stores it). */
  runInterview: { request: InterviewRequestSchema, response: {} as InterviewResult },
  /** Saves the interview as a case of the patient with one re-runnable suggestion (the exact answers and the output). */
  saveInterview: { request: InterviewRequestSchema.extend({ patientId: IdSchema }), response: {} as CaseDetail },
  saveCase: {
    request: z.strictObject({ patientId: IdSchema, case: CaseInputSchema }),
    response: {} as CaseDetail,
  },
  removeImage: {
    /** An image attached by mistake: hidden from the case and its reports, the file kept for the audit trail. */
    request: z.strictObject({ imageId: IdSchema, reason: z.string().trim().min(1, 'a reason is required').max(500) }),
    response: {} as { imageId: string; removedAt: string },
  },
  attachImage: {
    request: z.strictObject({
      caseId: IdSchema,
      fileName: z.string().min(1).max(255),
      /** The file's bytes, base64; bounded so one upload cannot exhaust memory. */
      dataBase64: z
        .string()
        .max(64 * 1024 * 1024)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
      /** The clinician confirmed attaching a DICOM file whose patient fields differ from the case's (PATIENT_MISMATCH). */
      confirmPatientMismatch: z.boolean().optional(),
    }),
    response: {} as ImageSummary,
  },
  /** Stores a length or ROI measurement with the image (the app computes its values); audited. */
  addImageMeasurement: {
    request: z.strictObject({
      imageId: IdSchema,
      frame: z.number().int().min(0).max(10_000),
      kind: z.enum(['length', 'roi']),
      a: ImagePointSchema,
      b: ImagePointSchema,
    }),
    response: {} as ImageMeasurement,
  },
  listImageMeasurements: { request: z.strictObject({ imageId: IdSchema }), response: [] as ImageMeasurement[] },
  /** Takes a measurement off the image (the row stays for the audit trail); audited. */
  removeImageMeasurement: { request: z.strictObject({ measurementId: IdSchema }), response: {} as { measurementId: string; removedAt: string } },
  getImageFrame: {
    request: z.strictObject({ imageId: IdSchema, frame: z.number().int().min(0).max(10_000) }),
    response: {} as ImageFrame,
  },
  runImageModel: {
    request: z.strictObject({ imageId: IdSchema, modelId: z.enum(imageModelIds) }),
    response: {} as ImageModelResult | ImageModelAbstention,
  },
  recordDecision: {
    request: z.strictObject({
      caseId: IdSchema,
      suggestionId: IdSchema,
      label: z.string().min(1).max(200),
      action: z.enum(decisionActions),
      reason: z.string().trim().max(2000).optional(),
    }),
    response: {} as CaseDetail,
  },
  recordFinalDiagnosis: {
    request: z.strictObject({
      caseId: IdSchema,
      label: z.string().trim().min(1).max(200),
      icd10: Icd10Schema.nullable(),
    }),
    response: {} as CaseDetail,
  },
  searchAudit: { request: AuditFilterSchema, response: [] as AuditRow[] },
  getSuggestionAudit: { request: z.strictObject({ suggestionId: IdSchema }), response: {} as SuggestionAuditDetail },
  rerunSuggestion: { request: z.strictObject({ suggestionId: IdSchema }), response: {} as RerunResult },
  agreementStats: { request: AuditFilterSchema, response: [] as AgreementRow[] },
  verifyAuditChain: { request: empty, response: {} as AuditChainStatus },
  listAuditEvents: {
    request: z.strictObject({ caseId: IdSchema.optional(), limit: z.number().int().min(1).max(1000).default(200) }),
    response: [] as AuditEventView[],
  },
  exportCase: {
    /** `language`: the UI language the PDF report prints in (default English; FHIR is unaffected). */
    request: z.strictObject({ caseId: IdSchema, format: z.enum(caseExportFormats), language: z.enum(['en', 'zh-CN']).optional() }),
    response: {} as CaseExport,
  },
  analyseNote: {
    /** Long notes are sent in chunks by the caller (progress is shown per chunk). */
    request: z.strictObject({ text: z.string().max(200_000), offset: z.number().int().min(0).max(50_000_000) }),
    response: {} as NoteAnalysis,
  },
  createBackup: {
    /** Without a folder, into the scheduled backups' folder. */
    request: z.strictObject({ targetDir: BackupDirSchema.optional() }),
    response: {} as BackupSummary,
  },
  listBackups: { request: empty, response: {} as BackupList },
  /** Runs a restore's checks on one backup without restoring it (a passphrase that opens it); audited. */
  verifyBackup: { request: z.strictObject({ backupPath: BackupDirSchema, passphrase: z.string().min(1).max(1024) }), response: {} as BackupVerification },
  /**
   * Works while locked (a corrupt database cannot be unlocked): the passphrase must open the
   * backup's own keyring. The current database is kept beside it under a timestamped name.
   */
  restoreBackup: {
    /**
     * While the database opens: an administrator's login and passphrase of it, re-entered. While it
     * cannot: its recovery key, or an administrator's passphrase. `backupPassphrase` opens the
     * backup when it differs; a backup of another database needs `confirmOtherDatabase`.
     */
    request: z
      .strictObject({
        backupPath: BackupDirSchema,
        passphrase: z.string().min(1).max(1024).optional(),
        login: z.string().min(1).max(60).optional(),
        recoveryKey: z.string().min(1).max(200).optional(),
        backupPassphrase: z.string().min(1).max(1024).optional(),
        confirmOtherDatabase: z.boolean().optional(),
      })
      .refine((r) => r.passphrase !== undefined || r.recoveryKey !== undefined, {
        message: 'a passphrase or the recovery key is required',
        path: ['passphrase'],
      }),
    response: {} as RestoreResult,
  },
  /** Counts, forecasts and alerts from clinician-confirmed final diagnoses over a date range. */
  surveillanceReport: { request: SurveillanceReportRequestSchema, response: {} as SurveillanceReport },
  /** The home screen's list: alerts of the last `weeks` weeks, with the cases behind them. */
  surveillanceAlerts: {
    request: z.strictObject({ weeks: z.number().int().min(1).max(52).default(8) }),
    response: {} as SurveillanceAlertList,
  },
  /** The aggregate table (no patient identifiers) as CSV or FHIR MeasureReport; audited. */
  exportSurveillance: { request: SurveillanceExportRequestSchema, response: {} as SurveillanceExport },
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

/**
 * How main hands this list to the sandboxed preload, which cannot load this module (it bundles
 * zod): one argument on the renderer's command line, read back by preload.ts.
 */
export const methodListFlag = '--lantern-methods=';
export const methodListArgument = (): string => `${methodListFlag}${methodNames.join(',')}`;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Header the loopback host requires on every API call (per-launch secret). */
export const tokenHeader = 'x-lantern-token';
