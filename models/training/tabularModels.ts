/**
 * The three tabular risk models: their inputs as the manifest declares them (clinician-facing labels,
 * units, physiological ranges, LOINC codes, nominal values) and their labels. Every range here is
 * OURS (authored), chosen from physiology, not from the training data's minimum and maximum; the
 * reasoning is in each input's `note` and in the model cards.
 */
import type { InputSpec } from '../forest/inputSpec';

export interface TabularModelDef {
  id: string;
  version: string;
  /** Data file relative to the shared data folder. */
  dataFile: string;
  labels: [string, string];
  /** Index of the label the AUC treats as positive. */
  positive: number;
  inputs: InputSpec[];
  minInputs: number;
  title: string;
}

const AGE: Omit<InputSpec, 'name'> = {
  label: 'Age',
  unit: 'years',
  type: 'numeric',
  range: { min: 0, max: 120 },
  loinc: '30525-0',
  note: '0–120 years: any living person',
};

export const HEART_DISEASE: TabularModelDef = {
  id: 'heart-disease',
  version: '1.0.0',
  title: 'Coronary artery disease on angiography (UCI heart disease, Cleveland)',
  dataFile: 'heart/processed.cleveland.data',
  labels: ['disease', 'no_disease'],
  positive: 0,
  minInputs: 1,
  inputs: [
    { name: 'age', ...AGE },
    {
      name: 'sex',
      label: 'Sex (1 = male, 0 = female)',
      unit: '',
      type: 'binary',
      range: { min: 0, max: 1 },
      loinc: '46098-0',
      note: 'UCI code: 1 = male, 0 = female',
    },
    {
      name: 'cp',
      label: 'Chest pain type',
      unit: '',
      type: 'nominal',
      values: [1, 2, 3, 4],
      valueLabels: ['Typical angina', 'Atypical angina', 'Non-anginal pain', 'Asymptomatic'],
      note: 'UCI codes 1–4',
    },
    {
      name: 'trestbps',
      label: 'Resting systolic blood pressure (on admission)',
      unit: 'mmHg',
      type: 'numeric',
      range: { min: 40, max: 300 },
      loinc: '8480-6',
      note: 'same physiological limits as the vital-sign catalogue (40–300 mmHg); 0 is an error, not "missing"',
    },
    {
      name: 'chol',
      label: 'Serum total cholesterol',
      unit: 'mg/dL',
      type: 'numeric',
      range: { min: 40, max: 1000 },
      loinc: '2093-3',
      missingCodes: [0],
      note: '40–1000 mg/dL (homozygous familial hypercholesterolaemia reaches ~1000); several UCI sites record 0 for "not measured", so 0 = unknown',
    },
    {
      name: 'fbs',
      label: 'Fasting blood sugar > 120 mg/dL (1 = yes, 0 = no)',
      unit: '',
      type: 'binary',
      range: { min: 0, max: 1 },
      note: 'UCI code: 1 = true',
    },
    {
      name: 'restecg',
      label: 'Resting ECG',
      unit: '',
      type: 'nominal',
      values: [0, 1, 2],
      valueLabels: ['Normal', 'ST-T wave abnormality', 'Left ventricular hypertrophy (Estes criteria)'],
      note: 'UCI codes 0–2',
    },
    {
      name: 'thalach',
      label: 'Maximum heart rate achieved (exercise test)',
      unit: '/min',
      type: 'numeric',
      range: { min: 30, max: 250 },
      // No LOINC: 8867-4 is any heart rate, and a resting rate typed in the vitals must not be
      // taken for the peak rate of an exercise test.
      note: '30–250/min: a peak rate below 30 or above 250 is not a sinus rhythm under exercise',
    },
    {
      name: 'exang',
      label: 'Exercise-induced angina (1 = yes, 0 = no)',
      unit: '',
      type: 'binary',
      range: { min: 0, max: 1 },
      note: 'UCI code: 1 = yes',
    },
    {
      name: 'oldpeak',
      label: 'ST depression induced by exercise relative to rest',
      unit: 'mm',
      type: 'numeric',
      range: { min: -5, max: 10 },
      note: 'negative values (ST elevation) occur at other sites; ±5–10 mm spans any recorded ST shift',
    },
    {
      name: 'slope',
      label: 'Slope of the peak exercise ST segment',
      unit: '',
      type: 'nominal',
      values: [1, 2, 3],
      valueLabels: ['Upsloping', 'Flat', 'Downsloping'],
      note: 'UCI codes 1–3; mostly unrecorded outside Cleveland',
    },
    {
      name: 'ca',
      label: 'Major vessels (0–3) coloured by fluoroscopy',
      unit: '',
      type: 'nominal',
      values: [0, 1, 2, 3],
      valueLabels: ['0', '1', '2', '3'],
      note: 'count 0–3; mostly unrecorded outside Cleveland',
    },
    {
      name: 'thal',
      label: 'Thallium stress test',
      unit: '',
      type: 'nominal',
      values: [3, 6, 7],
      valueLabels: ['Normal', 'Fixed defect', 'Reversible defect'],
      note: 'UCI codes 3/6/7; mostly unrecorded outside Cleveland',
    },
  ],
};

const YES_NO = { type: 'nominal' as const, unit: '', values: ['yes', 'no'], valueLabels: ['Yes', 'No'] };
const NORMAL_ABNORMAL = { type: 'nominal' as const, unit: '', values: ['normal', 'abnormal'], valueLabels: ['Normal', 'Abnormal'] };
const PRESENT = { type: 'nominal' as const, unit: '', values: ['present', 'notpresent'], valueLabels: ['Present', 'Not present'] };

export const CHRONIC_KIDNEY_DISEASE: TabularModelDef = {
  id: 'chronic-kidney-disease',
  version: '1.0.0',
  title: 'Chronic kidney disease (UCI CKD, Apollo Hospitals, India)',
  dataFile: 'ckd/ckd_train.arff',
  labels: ['ckd', 'notckd'],
  positive: 0,
  minInputs: 1,
  inputs: [
    { name: 'age', ...AGE },
    {
      name: 'bp',
      label: 'Blood pressure (diastolic, as recorded by the source)',
      unit: 'mmHg',
      type: 'numeric',
      range: { min: 20, max: 200 },
      loinc: '8462-4',
      note: 'the source gives one "bp" figure; its values (mostly 60–90) are diastolic; limits as the vital-sign catalogue',
    },
    {
      name: 'sg',
      label: 'Urine specific gravity',
      unit: '',
      type: 'numeric',
      range: { min: 1.0, max: 1.06 },
      loinc: '5811-5',
      note: 'the ARFF lists 1.005–1.025 in steps of 0.005 (dipstick); any measured value 1.000–1.060 is accepted (refractometers read finer, contrast pushes it above 1.040)',
    },
    {
      name: 'al',
      label: 'Urine albumin (dipstick grade 0–5)',
      unit: '',
      type: 'nominal',
      values: [0, 1, 2, 3, 4, 5],
      valueLabels: ['0 (negative)', '1 (trace/+)', '2 (++)', '3 (+++)', '4 (++++)', '5'],
      note: 'ARFF grades 0–5',
    },
    {
      name: 'su',
      label: 'Urine sugar (dipstick grade 0–5)',
      unit: '',
      type: 'nominal',
      values: [0, 1, 2, 3, 4, 5],
      valueLabels: ['0 (negative)', '1', '2', '3', '4', '5'],
      note: 'ARFF grades 0–5',
    },
    { name: 'rbc', label: 'Red blood cells in urine (microscopy)', ...NORMAL_ABNORMAL },
    { name: 'pc', label: 'Pus cells in urine (microscopy)', ...NORMAL_ABNORMAL },
    { name: 'pcc', label: 'Pus cell clumps in urine', ...PRESENT },
    { name: 'ba', label: 'Bacteria in urine', ...PRESENT },
    {
      name: 'bgr',
      label: 'Random blood glucose',
      unit: 'mg/dL',
      type: 'numeric',
      range: { min: 10, max: 2500 },
      loinc: '2339-0',
      note: 'limits as the lab catalogue’s glucose',
    },
    {
      name: 'bu',
      label: 'Blood urea (urea, not urea nitrogen)',
      unit: 'mg/dL',
      type: 'numeric',
      range: { min: 2, max: 650 },
      loinc: '3091-6',
      note: 'the source reports urea (healthy rows ~15–45 mg/dL), not BUN; urea = BUN × 2.14. Limits: the catalogue’s BUN limits 1–300 × 2.14',
    },
    {
      name: 'sc',
      label: 'Serum creatinine',
      unit: 'mg/dL',
      type: 'numeric',
      range: { min: 0.05, max: 40 },
      loinc: '2160-0',
      note: 'limits as the lab catalogue',
    },
    {
      name: 'sod',
      label: 'Serum sodium',
      unit: 'mmol/L',
      type: 'numeric',
      range: { min: 90, max: 200 },
      loinc: '2951-2',
      note: 'mEq/L = mmol/L; limits as the lab catalogue',
    },
    {
      name: 'pot',
      label: 'Serum potassium',
      unit: 'mmol/L',
      type: 'numeric',
      range: { min: 1, max: 12 },
      loinc: '2823-3',
      note: 'mEq/L = mmol/L; limits as the lab catalogue',
    },
    {
      name: 'hemo',
      label: 'Haemoglobin',
      unit: 'g/dL',
      type: 'numeric',
      range: { min: 1, max: 25 },
      loinc: '718-7',
      note: 'limits as the lab catalogue',
    },
    {
      name: 'pcv',
      label: 'Packed cell volume (haematocrit)',
      unit: '%',
      type: 'numeric',
      range: { min: 5, max: 75 },
      loinc: '4544-3',
      note: 'limits as the lab catalogue',
    },
    {
      name: 'wbcc',
      label: 'White blood cell count',
      unit: 'cells/µL',
      type: 'numeric',
      range: { min: 100, max: 500000 },
      loinc: '26464-8',
      note: 'in cells/µL as the source (7800, not 7.8 × 10³/µL); below 100 is almost always a value typed in 10³/µL',
    },
    {
      name: 'rbcc',
      label: 'Red blood cell count',
      unit: '10⁶/µL',
      type: 'numeric',
      range: { min: 0.5, max: 10 },
      loinc: '789-8',
      note: 'millions per µL',
    },
    { name: 'htn', label: 'Hypertension', ...YES_NO },
    { name: 'dm', label: 'Diabetes mellitus', ...YES_NO },
    { name: 'cad', label: 'Coronary artery disease', ...YES_NO },
    { name: 'appet', label: 'Appetite', type: 'nominal', unit: '', values: ['good', 'poor'], valueLabels: ['Good', 'Poor'] },
    { name: 'pe', label: 'Pedal oedema', ...YES_NO },
    { name: 'ane', label: 'Anaemia', ...YES_NO },
  ],
};

export const DIABETES_ONSET: TabularModelDef = {
  id: 'diabetes-onset',
  version: '1.0.0',
  title: 'Onset of type 2 diabetes within five years (Pima Indians diabetes)',
  dataFile: 'diabetes/pima_train.csv',
  labels: ['diabetes', 'no_diabetes'],
  positive: 0,
  minInputs: 1,
  inputs: [
    {
      name: 'pregnancies',
      label: 'Number of pregnancies',
      unit: 'count',
      type: 'numeric',
      range: { min: 0, max: 30 },
      note: '0 is a real value (never pregnant), not "missing"',
    },
    {
      name: 'plasma_glucose',
      label: 'Plasma glucose 2 h after a 75 g oral glucose load',
      unit: 'mg/dL',
      type: 'numeric',
      range: { min: 10, max: 2500 },
      // No LOINC: 2345-7 is any plasma glucose; this input is the 2-hour value of a glucose tolerance test.
      missingCodes: [0],
      note: '0 = not measured (Pima convention); limits as the lab catalogue’s glucose',
    },
    {
      name: 'diastolic_bp',
      label: 'Diastolic blood pressure',
      unit: 'mmHg',
      type: 'numeric',
      range: { min: 20, max: 200 },
      loinc: '8462-4',
      missingCodes: [0],
      note: '0 = not measured (Pima convention); limits as the vital-sign catalogue',
    },
    {
      name: 'triceps_skinfold',
      label: 'Triceps skinfold thickness',
      unit: 'mm',
      type: 'numeric',
      range: { min: 1, max: 120 },
      missingCodes: [0],
      note: '0 = not measured (Pima convention); calipers read 1–~100 mm',
    },
    {
      name: 'serum_insulin',
      label: 'Serum insulin 2 h after a 75 g oral glucose load',
      unit: 'µU/mL',
      type: 'numeric',
      range: { min: 1, max: 3000 },
      missingCodes: [0],
      note: '0 = not measured (Pima convention); insulinoma and severe insulin resistance reach the low thousands',
    },
    {
      name: 'bmi',
      label: 'Body mass index',
      unit: 'kg/m²',
      type: 'numeric',
      range: { min: 10, max: 100 },
      loinc: '39156-5',
      missingCodes: [0],
      note: '0 = not measured (Pima convention); 10–100 kg/m² spans survivable extremes',
    },
    {
      name: 'diabetes_pedigree',
      label: 'Diabetes pedigree function (family-history score)',
      unit: '',
      type: 'numeric',
      range: { min: 0, max: 5 },
      note: 'a score computed from relatives’ diabetes history (Smith et al. 1988); 0–5 covers any family',
    },
    { name: 'age', ...AGE, note: '0–120 years; the source cohort is women aged 21 and over' },
  ],
};

export const TABULAR_MODELS: readonly TabularModelDef[] = [HEART_DISEASE, CHRONIC_KIDNEY_DISEASE, DIABETES_ONSET];
