/**
 * The case file `lantern case add --input` reads: a patient and a case as the app's contract
 * defines them. Its own module so that zod and the contract load only for the commands that need them.
 */
import { z } from 'zod';
import { CaseInputSchema, PatientInputSchema } from '../contract/ipcContract';

export const CaseFileSchema = z.strictObject({
  patient: PatientInputSchema,
  findings: CaseInputSchema.shape.findings,
  observations: CaseInputSchema.shape.observations,
  vitals: CaseInputSchema.shape.vitals.default([]),
  labs: CaseInputSchema.shape.labs.default([]),
  note: CaseInputSchema.shape.note.default(''),
});
