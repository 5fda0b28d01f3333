/**
 * The deterministic eGFR of a run, shown before the CKD forest: a clinician reads kidney function
 * from the equation and its KDIGO stage first, the model's estimate second. Computed wherever the
 * case gives a creatinine (catalogue lab or the CKD form's `sc`), an age and a sex.
 */
import type { KidneyFunction } from '../../contract/ipcContract';
import { aStageFromDipstick, ckdEpi2021, dipstickGrades } from '../../../models/runtime/rules/egfr';
import type { PatientContext } from '../../../models/runtime/scope';

export const creatinineLoinc = '2160-0';
export const ckdModelId = 'chronic-kidney-disease';

export const egfrFormula = 'CKD-EPI 2021 creatinine equation without race (Inker et al., N Engl J Med 2021;385:1737–49); KDIGO 2012 G and A categories';

export interface KidneyFunctionInputs {
  labs: readonly { loinc: string; value: number; unit: string }[];
  modelInputs: Readonly<Record<string, Readonly<Record<string, number | string>>>>;
  patient?: PatientContext;
}

/** The case's creatinine in mg/dL: the catalogue lab first (a measurement on the case), else the CKD form's. */
function creatinineOf(c: KidneyFunctionInputs): { value: number; from: string } | null {
  const lab = c.labs.find((l) => l.loinc === creatinineLoinc && l.unit.replace(/\s+/g, '').toLowerCase() === 'mg/dl');
  if (lab) return { value: lab.value, from: `labs.${creatinineLoinc}` };
  const sc = c.modelInputs[ckdModelId]?.['sc'];
  return typeof sc === 'number' && Number.isFinite(sc) ? { value: sc, from: `modelInputs.${ckdModelId}.sc` } : null;
}

/** Age from the patient record, else the CKD form's own `age`. Sex only from the record. */
function ageOf(c: KidneyFunctionInputs): number | undefined {
  if (c.patient?.ageYears !== undefined) return c.patient.ageYears;
  const a = c.modelInputs[ckdModelId]?.['age'];
  return typeof a === 'number' && Number.isFinite(a) ? a : undefined;
}

/** Null where creatinine, age or sex is unknown, or the equation does not apply (under 18). */
export function kidneyFunctionOfCase(c: KidneyFunctionInputs): KidneyFunction | null {
  const creatinine = creatinineOf(c);
  const age = ageOf(c);
  const sex = c.patient?.sex;
  if (creatinine === null || age === undefined || sex === undefined) return null;
  const r = ckdEpi2021(creatinine.value, age, sex);
  if (r === null) return null;
  const out: KidneyFunction = {
    egfr: r.egfr,
    gStage: r.gStage,
    creatinineMgDl: creatinine.value,
    creatinineFrom: creatinine.from,
    ageYears: age,
    sex,
    formula: egfrFormula,
  };
  // The CKD form's albumin is a dipstick grade 0–5 (negative, trace, 1+ … 4+): approximate only.
  const al = c.modelInputs[ckdModelId]?.['al'];
  const grade = typeof al === 'number' && Number.isInteger(al) ? dipstickGrades[al] : undefined;
  if (grade !== undefined) {
    const a = aStageFromDipstick(grade);
    out.aStage = { stage: a.aStage, approximate: true, note: a.note };
  }
  return out;
}
