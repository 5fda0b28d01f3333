import type { Catalogue } from '../../contract/ipcContract';
import { differentialModelId, riskModelDescriptions } from '../diagnosis/diagnosisService';
import type { ClinicalModels } from '../diagnosis/diagnosisService';
import { atcSystem, substanceCodes } from './substanceCodes';
import { loadChineseClinicalNames } from '../../../models/runtime/vocab/clinicalNames';

/** `spotting_ urination` → `Spotting urination`: the dataset's column names made readable. */
export function symptomLabel(feature: string): string {
  const words = feature.replace(/_+/g, ' ').replace(/\s+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function buildCatalogue(models: ClinicalModels): Catalogue {
  const model = models.registry.get(differentialModelId);
  return {
    symptoms: model.features.map((code) => ({ code, label: symptomLabel(code) })).sort((a, b) => a.label.localeCompare(b.label, 'en')),
    riskModels: riskModelDescriptions(models.registry).map((d) => ({
      id: d.id,
      version: d.version,
      title: d.title,
      positiveLabel: d.positiveLabel ?? d.labels[0]!,
      labels: d.labels,
      minInputs: d.minInputs,
      inputs: d.inputs.map((i) => ({
        name: i.name,
        label: i.label,
        unit: i.unit === '' ? null : i.unit,
        type: i.type,
        ...(i.values ? { values: i.values.map(String) } : {}),
        ...(i.valueLabels ? { valueLabels: i.valueLabels } : {}),
        ...(i.range ? { range: i.range } : {}),
        ...(i.loinc ? { loinc: i.loinc } : {}),
      })),
    })),
    vitals: models.catalogue.vitals,
    labs: models.catalogue.labs,
    substances: substanceCodes.map((s) => ({ ...s, system: atcSystem })),
    models: models.registry.manifestModels().map((m) => ({
      id: m.id,
      version: m.version,
      kind: m.kind,
      population: m.scope?.population ?? null,
      trainingData: m.trainingData,
    })),
    clinicalNamesZh: loadChineseClinicalNames(),
  };
}
