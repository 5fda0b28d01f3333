/**
 * The rules' output of a run (NEWS2, qSOFA, red flags) and its eGFR as FHIR R4 resources: each score
 * an Observation (category survey; the eGFR laboratory), each red flag a Flag. Computed by Lantern
 * from what the clinician recorded, so `method` names the rule and its source; no performer (an
 * Observation's performer cannot be a Device in R4).
 *
 * Codes: eGFR by CKD-EPI 2021 is LOINC 98979-8. NEWS2 and qSOFA use local codes: we could not verify
 * a LOINC code for either from a source we can cite, and a wrong LOINC is worse than a local one.
 */
import type { Differential } from '../../contract/ipcContract';
import type { FhirResource } from './fhirBundleTypes';

export const triageSystems = {
  score: 'urn:lantern:fhir:CodeSystem:early-warning-score',
  redFlag: 'urn:lantern:fhir:CodeSystem:red-flag',
  kdigo: 'urn:lantern:fhir:CodeSystem:kdigo-ckd-category',
} as const;

const observationCategory = 'http://terminology.hl7.org/CodeSystem/observation-category';
const flagCategory = 'http://terminology.hl7.org/CodeSystem/flag-category';

const news2Risk: Record<string, string> = { low: 'low', 'low-medium': 'low-medium (a single parameter scores 3)', medium: 'medium', high: 'high' };

export interface TriageFhirContext {
  caseId: string;
  subject: object;
  encounter: object;
  effective: string;
  /** Name-based ids, as the rest of the bundle. */
  idOf: (name: string) => string;
}

const survey = [{ coding: [{ system: observationCategory, code: 'survey', display: 'Survey' }] }];
const news2Code = { coding: [{ system: triageSystems.score, code: 'news2', display: 'National Early Warning Score 2 (NEWS2)' }], text: 'NEWS2' };

/** A final Observation of this case's subject and encounter at the run's time; `rest` is its value, interpretation and method. */
function observation(x: TriageFhirContext, name: string, category: object[], code: object, rest: object): FhirResource {
  return {
    resourceType: 'Observation',
    id: x.idOf(`${x.caseId}:${name}`),
    status: 'final',
    category,
    code,
    subject: x.subject,
    encounter: x.encounter,
    effectiveDateTime: x.effective,
    ...rest,
  };
}

export function triageFhirResources(d: Differential, x: TriageFhirContext): FhirResource[] {
  const out: FhirResource[] = [];
  const t = d.triage;
  const missing = t && t.missing.length > 0 ? ` Not recorded: ${t.missing.join(', ')}.` : '';
  if (t?.news2) {
    out.push(
      observation(x, 'triage:news2', survey, news2Code, {
        valueInteger: t.news2.score,
        interpretation: [{ text: `NEWS2 clinical risk: ${news2Risk[t.news2.risk] ?? t.news2.risk}` }],
        method: { text: 'NEWS2, Royal College of Physicians 2017 chart; computed by Lantern from the recorded vitals' },
      }),
    );
  }
  if (t?.qsofa) {
    const qsofaCode = { coding: [{ system: triageSystems.score, code: 'qsofa', display: 'quick Sequential Organ Failure Assessment (qSOFA)' }], text: 'qSOFA' };
    out.push(
      observation(x, 'triage:qsofa', survey, qsofaCode, {
        valueInteger: t.qsofa.score,
        ...(t.qsofa.score >= 2 ? { interpretation: [{ text: 'qSOFA 2 or more: suspect sepsis (Sepsis-3)' }] } : {}),
        method: { text: 'qSOFA, Sepsis-3 (Singer et al., JAMA 2016); computed by Lantern from the recorded vitals' },
      }),
    );
  }
  if (t && (t.news2 === null || t.qsofa === null) && missing !== '') {
    // Not scored is said, not left silent: an Observation with the reason and what to record.
    out.push(
      observation(x, 'triage:not-scored', survey, news2Code, {
        dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'not-performed', display: 'Not Performed' }] },
        note: [{ text: `Early-warning scores not computed.${missing}` }],
      }),
    );
  }
  for (const [i, f] of (t?.flags ?? []).entries()) {
    out.push({
      resourceType: 'Flag',
      id: x.idOf(`${x.caseId}:triage:flag:${i}:${f.code}`),
      status: 'active',
      category: [{ coding: [{ system: flagCategory, code: 'clinical', display: 'Clinical' }] }],
      code: { coding: [{ system: triageSystems.redFlag, code: f.code, display: `${f.code} (${f.severity})` }], text: `${f.severity}: ${f.reason}` },
      subject: x.subject,
      encounter: x.encounter,
      period: { start: x.effective },
    });
  }
  const k = d.kidneyFunction;
  if (k) {
    const laboratory = [{ coding: [{ system: observationCategory, code: 'laboratory', display: 'Laboratory' }] }];
    const egfrCode = {
      coding: [
        {
          system: 'http://loinc.org',
          code: '98979-8',
          display: 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)',
        },
      ],
      text: 'eGFR (CKD-EPI 2021)',
    };
    out.push(
      observation(x, 'egfr', laboratory, egfrCode, {
        valueQuantity: { value: k.egfr, unit: 'mL/min/1.73 m²', system: 'http://unitsofmeasure.org', code: 'mL/min/{1.73_m2}' },
        interpretation: [
          {
            coding: [{ system: triageSystems.kdigo, code: k.gStage }],
            text: `KDIGO ${k.gStage}${k.aStage ? `, ${k.aStage.approximate ? '≈ ' : ''}${k.aStage.stage}` : ''}`,
          },
        ],
        method: { text: `${k.formula}; creatinine ${k.creatinineMgDl} mg/dL (${k.creatinineFrom}), age ${k.ageYears}, ${k.sex}` },
        ...(k.aStage ? { note: [{ text: k.aStage.note }] } : {}),
      }),
    );
  }
  return out;
}
