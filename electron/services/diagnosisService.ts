/**
 * From a clinician's case to a ranked differential: findings become the forest's features, vitals
 * and labs are checked against physiological limits and flagged against the reference ranges, and
 * the top ten labels come back with the findings that moved each one.
 */
import { createHash } from 'node:crypto';
import type {
  CaseInput,
  CriticalValue,
  Differential,
  FindingState,
  RecordedLab,
  RecordedVital,
} from '../contract/ipcContract';
import type { ModelRegistry } from '../../models/registry';
import type { ClinicalCatalogue } from '../../models/vocab/clinicalCatalogue';
import { checkPlausible, classifyValue } from '../../models/vocab/clinicalCatalogue';
import { ValidationError } from './serviceErrors';

export const differentialModelId = 'symptom-differential';
export const differentialSize = 10;

export interface ClinicalModels {
  registry: ModelRegistry;
  catalogue: ClinicalCatalogue;
}

export interface AssessedCase {
  findings: Record<string, FindingState>;
  /** Model input: present = 1, absent = 0; unknown findings are left out. */
  features: Record<string, number>;
  vitals: (RecordedVital & { loinc: string })[];
  labs: RecordedLab[];
  criticalValues: CriticalValue[];
}

const isCritical = (flag: string) => flag === 'critical-low' || flag === 'critical-high';

export function assessCase(models: ClinicalModels, input: CaseInput): AssessedCase {
  const model = models.registry.get(differentialModelId);
  const known = new Set(model.features);
  const features: Record<string, number> = {};
  for (const [name, state] of Object.entries(input.findings)) {
    if (!known.has(name)) throw new ValidationError(`Unknown finding "${name}".`, `findings.${name}`);
    if (state !== 'unknown') features[name] = state === 'present' ? 1 : 0;
  }

  const criticalValues: CriticalValue[] = [];
  const seenVitals = new Set<string>();
  const vitals = input.vitals.map((v, i) => {
    const def = models.catalogue.vitals.find((d) => d.code === v.code);
    if (!def) throw new ValidationError(`Unknown vital sign "${v.code}".`, `vitals.${i}.code`);
    if (seenVitals.has(v.code)) throw new ValidationError(`Vital sign "${v.code}" was given twice.`, `vitals.${i}.code`);
    seenVitals.add(v.code);
    checkPlausible(def, v.value, `vitals.${v.code}`);
    const flag = classifyValue(def, v.value);
    if (isCritical(flag)) criticalValues.push({ kind: 'vital', code: v.code, value: v.value, unit: def.unit, flag });
    return { code: v.code, loinc: def.loinc, value: v.value, unit: def.unit, flag };
  });
  const labs = input.labs.map((l, i) => {
    const def = models.catalogue.labs.find((d) => d.loinc === l.loinc);
    if (!def) throw new ValidationError(`Lab test ${l.loinc} is not in the catalogue.`, `labs.${i}.loinc`);
    checkPlausible(def, l.value, `labs.${l.loinc}`);
    const flag = classifyValue(def, l.value);
    if (isCritical(flag)) criticalValues.push({ kind: 'lab', code: l.loinc, value: l.value, unit: def.unit, flag });
    return { loinc: l.loinc, value: l.value, unit: def.unit, flag };
  });
  return { findings: { ...input.findings }, features, vitals, labs, criticalValues };
}

export function runDifferential(models: ClinicalModels, assessed: AssessedCase): Differential {
  const model = models.registry.get(differentialModelId);
  const stateOf = (feature: string): FindingState => assessed.findings[feature] ?? 'unknown';
  const items = model.explain(assessed.features, differentialSize).map((e) => ({
    label: e.label,
    probability: e.probability,
    contributions: e.contributions.map((c) => ({ feature: c.feature, state: stateOf(c.feature), weight: c.weight })),
  }));
  return {
    modelId: model.id,
    modelVersion: model.version,
    modelSha256: model.sha256,
    items,
    unknownFindings: model.features.length - Object.keys(assessed.features).length,
    criticalValues: assessed.criticalValues,
  };
}

/** What an auditor needs to re-run the model exactly: its inputs, hashed for the audit event. */
export function inputSnapshot(assessed: AssessedCase): { features: Record<string, number>; findings: Record<string, FindingState> } {
  return { features: assessed.features, findings: assessed.findings };
}

export function sha256OfJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
