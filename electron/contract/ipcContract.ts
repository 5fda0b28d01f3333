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

export const CaseInputSchema = z.strictObject({
  findings: FindingsSchema,
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

export interface Catalogue {
  symptoms: SymptomDefinition[];
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
}

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
  differential: Differential | null;
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
  runDiagnosis: { request: CaseInputSchema, response: {} as Differential },
  saveCase: {
    request: z.strictObject({ patientId: IdSchema, case: CaseInputSchema }),
    response: {} as CaseDetail,
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
