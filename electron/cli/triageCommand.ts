/**
 * `lantern triage --input in.jsonl --output out.jsonl`: NEWS2, qSOFA and red flags per case, with no
 * model (models/runtime/rules). One output line per input line, in order; a bad line becomes the usual
 * `{"id", "error": {code, message, field?}}` record.
 *
 * Input:  {"id", "patient"?: {"ageYears"?, "sex"?}, "vitals"?: {...}, "findings"?: {"<feature>": "present"|"absent"|"unknown"},
 *          "labs"?: [{"loinc", "value", "unit"?}]}
 * Output: {"id", "news2": {"score", "risk"} | null, "qsofa": {"score"} | null, "flags": [{"code", "severity", "reason"}]}
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveModelsDir } from '../../models/runtime/common/paths';
import { consciousnessLevels, type Consciousness } from '../../models/runtime/rules/news2';
import { triageOnlyFindings, type FindingState, type RuleLab } from '../../models/runtime/rules/redFlags';
import { triage, type TriageInput, type TriageVitals } from '../../models/runtime/rules/triage';
import { toCatalogueUnit } from '../../models/runtime/rules/units';
import { checkPlausible, loadClinicalCatalogue, type ClinicalCatalogue } from '../../models/runtime/vocab/clinicalCatalogue';
import { LineError, mapJsonLines } from './jsonlCommands';

const numericVitals = ['respiratoryRate', 'spo2', 'temperature', 'systolicBp', 'diastolicBp', 'heartRate'] as const;
const booleanVitals = ['onSupplementalOxygen', 'hypercapnicRespiratoryFailure'] as const;
const findingStates: readonly string[] = ['present', 'absent', 'unknown'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Symptom-differential input names from the manifest (the rules read a few of them), plus the triage-only ones. */
export function triageFindingNames(modelsDir = resolveModelsDir(__dirname)): Set<string> {
  const manifest = JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')) as { models: { id: string; inputs: (string | { name: string })[] }[] };
  const entry = manifest.models.find((m) => m.id === 'symptom-differential');
  if (entry === undefined) throw new Error('models/artefacts/manifest.json has no symptom-differential entry');
  return new Set([...entry.inputs.map((i) => (typeof i === 'string' ? i : i.name)), ...triageOnlyFindings]);
}

/** One input line → the rules' input, in catalogue units; throws LineError or ImplausibleValueError naming the field. */
export function parseTriageLine(line: Record<string, unknown>, catalogue: ClinicalCatalogue, findingNames: ReadonlySet<string>): TriageInput {
  const patient = line['patient'];
  if (patient !== undefined && patient !== null) {
    if (!isObject(patient)) throw new LineError('"patient" must be an object', 'patient');
    const age = patient['ageYears'];
    if (age !== undefined && age !== null && (typeof age !== 'number' || !Number.isFinite(age) || age < 0 || age > 130))
      throw new LineError('"patient.ageYears" must be a number of years, 0–130', 'patient.ageYears');
    const sex = patient['sex'];
    if (sex !== undefined && sex !== null && sex !== 'female' && sex !== 'male') throw new LineError('"patient.sex" must be "female" or "male"', 'patient.sex');
  }

  const rawVitals = line['vitals'] ?? {};
  if (!isObject(rawVitals)) throw new LineError('"vitals" must be an object', 'vitals');
  const vitals: TriageVitals = {};
  for (const [name, value] of Object.entries(rawVitals)) {
    const field = `vitals.${name}`;
    if (value === null) continue;
    if ((numericVitals as readonly string[]).includes(name)) {
      if (typeof value !== 'number') throw new LineError(`"${field}" must be a number`, field);
      const def = catalogue.vitals.find((d) => d.code === name);
      if (def !== undefined) checkPlausible(def, value, field);
      vitals[name as (typeof numericVitals)[number]] = value;
    } else if ((booleanVitals as readonly string[]).includes(name)) {
      if (typeof value !== 'boolean') throw new LineError(`"${field}" must be true or false`, field);
      vitals[name as (typeof booleanVitals)[number]] = value;
    } else if (name === 'consciousness') {
      if (!consciousnessLevels.includes(value as Consciousness)) throw new LineError(`"${field}" must be one of ${consciousnessLevels.join(', ')}`, field);
      vitals.consciousness = value as Consciousness;
    } else {
      throw new LineError(`unknown vital sign "${name}"`, field);
    }
  }

  const rawFindings = line['findings'] ?? {};
  if (!isObject(rawFindings)) throw new LineError('"findings" must be an object', 'findings');
  const findings: Record<string, FindingState> = {};
  for (const [name, state] of Object.entries(rawFindings)) {
    const field = `findings.${name}`;
    if (!findingNames.has(name)) throw new LineError(`unknown finding "${name}"`, field);
    if (typeof state !== 'string' || !findingStates.includes(state)) throw new LineError(`"${field}" must be "present", "absent" or "unknown"`, field);
    findings[name] = state as FindingState;
  }

  const rawLabs = line['labs'] ?? [];
  if (!Array.isArray(rawLabs)) throw new LineError('"labs" must be an array', 'labs');
  const labs: RuleLab[] = rawLabs.map((l: unknown, i): RuleLab => {
    const field = `labs.${i}`;
    if (!isObject(l)) throw new LineError(`"${field}" must be an object`, field);
    const loinc = l['loinc'];
    const value = l['value'];
    const unit = l['unit'];
    if (typeof loinc !== 'string') throw new LineError(`"${field}.loinc" must be a string`, `${field}.loinc`);
    const def = catalogue.labs.find((d) => d.loinc === loinc);
    if (def === undefined) throw new LineError(`lab test ${loinc} is not in the catalogue`, `${field}.loinc`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new LineError(`"${field}.value" must be a number`, `${field}.value`);
    let converted = value;
    if (unit !== undefined) {
      if (typeof unit !== 'string') throw new LineError(`"${field}.unit" must be a string`, `${field}.unit`);
      const c = toCatalogueUnit(loinc, value, unit, def.unit);
      if (c === null) throw new LineError(`${def.name} in ${unit} cannot be converted to ${def.unit}`, `${field}.unit`);
      converted = c;
    }
    checkPlausible(def, converted, `labs.${loinc}`);
    return { loinc, value: converted };
  });
  return { vitals, findings, labs };
}

export async function triageCommand(inputPath: string, outputPath: string): Promise<string> {
  const catalogue = loadClinicalCatalogue();
  const names = triageFindingNames();
  const { records, failed } = await mapJsonLines(inputPath, (line) => {
    const { news2, qsofa, flags } = triage(parseTriageLine(line, catalogue, names), catalogue);
    return {
      news2: news2 === null ? null : { score: news2.score, risk: news2.risk },
      qsofa: qsofa === null ? null : { score: qsofa.score },
      flags: flags.map(({ code, severity, reason }) => ({ code, severity, reason })),
    };
  });
  writeFileSync(outputPath, records.length ? `${records.join('\n')}\n` : '');
  return `${records.length - failed} triaged, ${failed} with errors → ${outputPath}`;
}
