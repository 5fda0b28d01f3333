/**
 * The training data behind each model and whether its licence allows clinical use, written into every
 * manifest entry as `trainingData` (`npm run build:licences`, after any trainer rewrote its entry).
 * A model trained on data with no stated licence is for evaluation builds only: the app then shows an
 * "evaluation build, not for clinical use" banner. Sources: ../shared/data/README.md and each card.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findProjectRoot } from '../runtime/common/paths';

export interface TrainingData {
  name: string;
  licence: string;
  /** False where the licence is not stated or forbids clinical use: evaluation builds only. */
  clinicalUse: boolean;
}

const noneStated = 'none stated: evaluation builds only';

export const trainingDataByModel: Readonly<Record<string, TrainingData>> = {
  'symptom-differential': { name: 'Kaggle "Disease Symptom Prediction" (P. Patil)', licence: noneStated, clinicalUse: false },
  'heart-disease': {
    name: 'UCI Heart Disease, Cleveland Clinic (Detrano et al. 1989)',
    licence: 'cite the principal investigators named in heart-disease.names; no licence for clinical use stated',
    clinicalUse: false,
  },
  'chronic-kidney-disease': { name: 'UCI Chronic Kidney Disease (L. Jerlin Rubini, Apollo Hospitals)', licence: noneStated, clinicalUse: false },
  'diabetes-onset': { name: 'Pima Indians Diabetes (NIDDK via UCI)', licence: noneStated, clinicalUse: false },
  'pneumonia-xray': { name: 'PneumoniaMNIST, MedMNIST v2 (Yang et al. 2023)', licence: 'CC BY 4.0', clinicalUse: true },
  'retina-vessels': { name: 'DRIVE (Staal et al. 2004)', licence: 'research use only', clinicalUse: false },
  'disease-ner': {
    name: "NCBI-disease corpus (Doğan et al. 2014); dictionary feature and name substitution from ICD-10-CM titles (CMS/NCHS) and Lantern's clinical vocabulary",
    licence: 'CC BY 4.0 (corpus: US government work); ICD-10-CM: US government, public domain',
    clinicalUse: true,
  },
  'context-rules': { name: 'NegEx (Chapman et al. 2001) and medspaCy ConText rules', licence: 'Apache-2.0 (NegEx), MIT (medspaCy)', clinicalUse: true },
  'symptom-lexicon': { name: 'symptom names of the symptom-differential data and hand-written synonyms', licence: noneStated, clinicalUse: false },
  'clinical-vocabulary': {
    name: 'hand-written clinical concept table, with DDXPlus condition names (CC BY 4.0), Columbia disease-symptom names and ICD-10-CM titles (public domain)',
    licence: 'mixed; the Columbia names have none stated: evaluation builds only',
    clinicalUse: false,
  },
  'symptom-text': { name: 'Symptom2Disease (t4ai)', licence: noneStated, clinicalUse: false },
  'ddxplus-differential': {
    name: 'DDXPlus (Fansi Tchango et al., NeurIPS 2022)',
    licence: 'CC BY 4.0 (attribution: Fansi Tchango et al. 2022)',
    clinicalUse: true,
  },
};

/** Adds `trainingData` to every entry of models/artefacts/manifest.json; returns the ids that have none declared. */
export function applyTrainingData(manifestFile: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { models: Record<string, unknown>[] };
  const missing: string[] = [];
  for (const entry of manifest.models) {
    const td = trainingDataByModel[entry['id'] as string];
    if (td) entry['trainingData'] = { ...td };
    else missing.push(entry['id'] as string);
  }
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return missing;
}

if (require.main === module) {
  const root = findProjectRoot(__dirname);
  const file = path.join(root, 'models', 'artefacts', 'manifest.json');
  const missing = applyTrainingData(file);
  if (missing.length > 0) {
    console.error(`no training data declared for: ${missing.join(', ')} (add them to trainingDataByModel)`);
    process.exit(1);
  }
  console.log(`trainingData written for every entry of ${path.relative(root, file)}`);
}
