import type { Migration } from './migration';
import { initialSchema } from './001_initial';
import { modelInputs } from './002_model_inputs';
import { accountability } from './003_accountability';
import { compactSuggestions } from './004_compact_suggestions';
import { reservedFive } from './005_reserved';
import { patientDetails } from './006_patient_details';
import { patientAllergiesMedications } from './007_patient_allergies_medications';
import { imageMeasurements } from './008_image_measurements';
import { auditSignatures } from './009_audit_signatures';

/** Ordered: a migration's version is its position. Append only; never edit a shipped migration. */
export const migrations: readonly Migration[] = [
  initialSchema,
  modelInputs,
  accountability,
  compactSuggestions,
  reservedFive,
  patientDetails,
  patientAllergiesMedications,
  imageMeasurements,
  auditSignatures,
];

export const latestSchemaVersion = migrations.length;
