import type { Catalogue } from '../contract/ipcContract';
import { differentialModelId } from './diagnosisService';
import type { ClinicalModels } from './diagnosisService';

/** `spotting_ urination` → `Spotting urination`: the dataset's column names made readable. */
export function symptomLabel(feature: string): string {
  const words = feature.replace(/_+/g, ' ').replace(/\s+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function buildCatalogue(models: ClinicalModels): Catalogue {
  const model = models.registry.get(differentialModelId);
  return {
    symptoms: model.features
      .map((code) => ({ code, label: symptomLabel(code) }))
      .sort((a, b) => a.label.localeCompare(b.label, 'en')),
    vitals: models.catalogue.vitals,
    labs: models.catalogue.labs,
  };
}
