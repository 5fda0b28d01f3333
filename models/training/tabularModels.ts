/**
 * The three tabular risk models: their inputs as the manifest declares them (clinician-facing labels,
 * units, physiological ranges, LOINC codes, nominal values) and their labels. Every range here is
 * OURS (authored), chosen from physiology, not from the training data's minimum and maximum; the
 * reasoning is in each input's `note` and in the model cards.
 */
import type { InputSpec } from '../runtime/forest/inputSpec';
import type { ModelScope } from '../runtime/scope';

/** A tabular model's scope as the manifest carries it and checkScope (models/runtime/scope.ts) reads it. */
export type TabularScope = ModelScope & { inputKind: 'tabular' };

/** A known direction of effect: 1 = the risk may only rise with the input, -1 only fall. */
export interface MonotoneInput {
  input: string;
  direction: 1 | -1;
  /** Why the direction is known (for the card). */
  why: string;
}

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
  /** Inputs whose direction of effect on the risk is known: the forest is trained to follow it. */
  monotone: MonotoneInput[];
  scope: TabularScope;
  /** Why the scope is what it is (for the card), one line per decision. */
  scopeWhy: string[];
  /**
   * Training copies of the rows without the positive label, with one input set to a value that by
   * itself meets the definition of the positive label (see `why`): knowledge the data cannot teach
   * because in it that input never moves alone.
   */
  definitionCopies?: { input: string; from: number; to: number; why: string };
}

/** A numeric input with its physiological limits (keys in the manifest's order). */
function numeric(
  name: string,
  label: string,
  unit: string,
  [min, max]: [number, number],
  note: string,
  codes: { loinc?: string; missingCodes?: number[] } = {},
): InputSpec {
  const { loinc, missingCodes } = codes;
  return { name, label, unit, type: 'numeric', range: { min, max }, ...(loinc ? { loinc } : {}), ...(missingCodes ? { missingCodes } : {}), note };
}

/** A nominal input whose values the source writes as codes, with their clinician-facing labels. */
function nominal(name: string, label: string, values: number[], valueLabels: string[], note: string): InputSpec {
  return { name, label, unit: '', type: 'nominal', values, valueLabels, note };
}

/** A yes/no input coded 1/0. */
function binary(name: string, label: string, note: string, loinc?: string): InputSpec {
  return { name, label, unit: '', type: 'binary', range: { min: 0, max: 1 }, ...(loinc ? { loinc } : {}), note };
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
  monotone: [
    { input: 'age', direction: 1, why: 'coronary atherosclerosis accumulates with age (every risk score, e.g. Framingham, PCE, rises with age)' },
    {
      input: 'trestbps',
      direction: 1,
      why: 'blood pressure is a causal risk factor; risk rises log-linearly with systolic pressure (Prospective Studies Collaboration 2002)',
    },
    {
      input: 'chol',
      direction: 1,
      why: 'total cholesterol (mostly LDL) is causal for atherosclerosis; risk rises with it (Prospective Studies Collaboration 2007)',
    },
    {
      input: 'thalach',
      direction: -1,
      why: 'a lower peak heart rate on exercise (chronotropic incompetence, early stop for ischaemia) goes with more coronary disease',
    },
    {
      input: 'oldpeak',
      direction: 1,
      why: 'deeper exercise-induced ST depression is the ECG sign of ischaemia; the deeper, the likelier significant stenosis',
    },
  ],
  scope: {
    population:
      'Adults referred for coronary angiography at the Cleveland Clinic (1981–1984; 303 patients aged 29–77, 68% men); the label is > 50% narrowing of a major coronary artery',
    ageYears: { min: 25, max: 77 },
    inputKind: 'tabular',
    requiredInputs: [
      ['cp', 'trestbps'],
      ['cp', 'chol'],
      ['cp', 'thalach'],
      ['cp', 'oldpeak'],
    ],
    maxImputedShare: 0.5,
    notes:
      'Outside ages 25–77, without chest-pain type and one of resting BP, cholesterol, peak heart rate or ST depression, or with more than half of the inputs unknown, the model does not answer.',
  },
  scopeWhy: [
    'Age 25–77: Cleveland spans 29–77. Below 29 the trees answer as for a 29-year-old, and since the risk only rises with age (a constraint of the forest) that over-states the risk of a younger patient, the safe direction for a test that decides on referral; the external sites held back for acceptance include a 28-year-old (Hungary). Above 77 the same reasoning would under-state the risk, so the model does not answer.',
    'Chest-pain type is required: it carries most of the information about the presenting complaint, and the label is defined in patients referred for chest symptoms. At least one of resting BP, cholesterol, peak heart rate or ST depression is required so that the answer rests on a measurement.',
    'At most half of the 13 inputs may be unknown: the other hospitals mostly lack ca, thal and slope and often cholesterol (4 of 13), and the validation rows "without ca, thal, slope, chol" show the model holds there; beyond half, the answer rests on the forest\'s unknown branches more than on the patient.',
    'Sex is not restricted: the cohort has 97 women (32%).',
  ],
  inputs: [
    { name: 'age', ...AGE },
    binary('sex', 'Sex (1 = male, 0 = female)', 'UCI code: 1 = male, 0 = female', '46098-0'),
    nominal('cp', 'Chest pain type', [1, 2, 3, 4], ['Typical angina', 'Atypical angina', 'Non-anginal pain', 'Asymptomatic'], 'UCI codes 1–4'),
    numeric(
      'trestbps',
      'Resting systolic blood pressure (on admission)',
      'mmHg',
      [40, 300],
      'same physiological limits as the vital-sign catalogue (40–300 mmHg); 0 is an error, not "missing"',
      { loinc: '8480-6' },
    ),
    numeric(
      'chol',
      'Serum total cholesterol',
      'mg/dL',
      [40, 1000],
      '40–1000 mg/dL (homozygous familial hypercholesterolaemia reaches ~1000); several UCI sites record 0 for "not measured", so 0 = unknown',
      { loinc: '2093-3', missingCodes: [0] },
    ),
    binary('fbs', 'Fasting blood sugar > 120 mg/dL (1 = yes, 0 = no)', 'UCI code: 1 = true'),
    nominal('restecg', 'Resting ECG', [0, 1, 2], ['Normal', 'ST-T wave abnormality', 'Left ventricular hypertrophy (Estes criteria)'], 'UCI codes 0–2'),
    // No LOINC: 8867-4 is any heart rate, and a resting rate typed in the vitals must not be
    // taken for the peak rate of an exercise test.
    numeric(
      'thalach',
      'Maximum heart rate achieved (exercise test)',
      '/min',
      [30, 250],
      '30–250/min: a peak rate below 30 or above 250 is not a sinus rhythm under exercise',
    ),
    binary('exang', 'Exercise-induced angina (1 = yes, 0 = no)', 'UCI code: 1 = yes'),
    numeric(
      'oldpeak',
      'ST depression induced by exercise relative to rest',
      'mm',
      [-5, 10],
      'negative values (ST elevation) occur at other sites; ±5–10 mm spans any recorded ST shift',
    ),
    nominal(
      'slope',
      'Slope of the peak exercise ST segment',
      [1, 2, 3],
      ['Upsloping', 'Flat', 'Downsloping'],
      'UCI codes 1–3; mostly unrecorded outside Cleveland',
    ),
    nominal('ca', 'Major vessels (0–3) coloured by fluoroscopy', [0, 1, 2, 3], ['0', '1', '2', '3'], 'count 0–3; mostly unrecorded outside Cleveland'),
    nominal('thal', 'Thallium stress test', [3, 6, 7], ['Normal', 'Fixed defect', 'Reversible defect'], 'UCI codes 3/6/7; mostly unrecorded outside Cleveland'),
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
  monotone: [
    {
      input: 'sc',
      direction: 1,
      why: 'creatinine rises as the glomerular filtration rate falls (eGFR, CKD-EPI 2021, is a falling function of creatinine); KDIGO stages CKD by GFR',
    },
    { input: 'bu', direction: 1, why: 'urea accumulates as filtration falls' },
    { input: 'hemo', direction: -1, why: 'renal anaemia: erythropoietin falls with kidney mass, haemoglobin with it (KDIGO anaemia guideline)' },
    { input: 'pcv', direction: -1, why: 'packed cell volume is the same red-cell mass as haemoglobin (≈ 3 × Hb), so it falls with it' },
    { input: 'rbcc', direction: -1, why: 'red cell count is the same red-cell mass, falling in renal anaemia' },
    { input: 'al', direction: 1, why: 'albuminuria is a defining marker of kidney damage; KDIGO albuminuria categories A1–A3 rise with it' },
  ],
  definitionCopies: {
    input: 'sc',
    from: 3,
    to: 15,
    why: 'A creatinine of 3 mg/dL or more is an eGFR below 30 mL/min/1.73 m² at any adult age and either sex (CKD-EPI 2021: 29.6 for a man of 20, 22.1 for a woman of 20), KDIGO category G4–G5, which is CKD when it lasts over three months. In the source, creatinine never rises alone (the notckd rows are healthy controls with normal laboratory panels), so without these copies a forest reads an isolated creatinine of 3–10 with otherwise normal findings as "not CKD". One copy of every notckd training row, creatinine drawn uniformly from 3–15 mg/dL, labelled ckd; never in a validation fold.',
  },
  scope: {
    population: 'Patients of Apollo Hospitals, Karaikudi (Tamil Nadu, India, 2015), with and without chronic kidney disease; 320 rows, ages 2–82',
    ageYears: { min: 18 },
    inputKind: 'tabular',
    requiredInputs: [['sc'], ['hemo', 'sg'], ['hemo', 'al']],
    maxImputedShare: 0.6,
    notes:
      'Children, and cases without creatinine or (haemoglobin with urine specific gravity or albumin), are not assessed; more than 60% of the inputs unknown is not assessed.',
  },
  scopeWhy: [
    'Required: creatinine (the filtration marker, also behind the eGFR shown beside the forest), or haemoglobin with urine specific gravity or albumin (anaemia and a urine marker of kidney damage); without one of these the forest answers from comorbidities and vitals, which do not make a kidney diagnosis.',
    'Adults (18+): the source has 15 rows under 18 (of 320), too few to learn from, and creatinine, haemoglobin and urea have age-specific normal ranges in children; paediatric CKD is staged with another equation (bedside Schwartz).',
    'At most 60% of the 24 inputs unknown: the source itself lacks about a fifth of its values (urine microscopy, cell counts); beyond 60% the answer rests on the unknown branches more than on the patient.',
    'Sex is not an input and is not restricted.',
  ],
  inputs: [
    { name: 'age', ...AGE },
    numeric(
      'bp',
      'Blood pressure (diastolic, as recorded by the source)',
      'mmHg',
      [20, 200],
      'the source gives one "bp" figure; its values (mostly 60–90) are diastolic; limits as the vital-sign catalogue',
      { loinc: '8462-4' },
    ),
    numeric(
      'sg',
      'Urine specific gravity',
      '',
      [1.0, 1.06],
      'the ARFF lists 1.005–1.025 in steps of 0.005 (dipstick); any measured value 1.000–1.060 is accepted (refractometers read finer, contrast pushes it above 1.040)',
      { loinc: '5811-5' },
    ),
    nominal(
      'al',
      'Urine albumin (dipstick grade 0–5)',
      [0, 1, 2, 3, 4, 5],
      ['0 (negative)', '1 (trace/+)', '2 (++)', '3 (+++)', '4 (++++)', '5'],
      'ARFF grades 0–5',
    ),
    nominal('su', 'Urine sugar (dipstick grade 0–5)', [0, 1, 2, 3, 4, 5], ['0 (negative)', '1', '2', '3', '4', '5'], 'ARFF grades 0–5'),
    { name: 'rbc', label: 'Red blood cells in urine (microscopy)', ...NORMAL_ABNORMAL },
    { name: 'pc', label: 'Pus cells in urine (microscopy)', ...NORMAL_ABNORMAL },
    { name: 'pcc', label: 'Pus cell clumps in urine', ...PRESENT },
    { name: 'ba', label: 'Bacteria in urine', ...PRESENT },
    numeric('bgr', 'Random blood glucose', 'mg/dL', [10, 2500], 'limits as the lab catalogue’s glucose', { loinc: '2339-0' }),
    numeric(
      'bu',
      'Blood urea (urea, not urea nitrogen)',
      'mg/dL',
      [2, 650],
      'the source reports urea (healthy rows ~15–45 mg/dL), not BUN; urea = BUN × 2.14. Limits: the catalogue’s BUN limits 1–300 × 2.14',
      { loinc: '3091-6' },
    ),
    numeric('sc', 'Serum creatinine', 'mg/dL', [0.05, 40], 'limits as the lab catalogue', { loinc: '2160-0' }),
    numeric('sod', 'Serum sodium', 'mmol/L', [90, 200], 'mEq/L = mmol/L; limits as the lab catalogue', { loinc: '2951-2' }),
    numeric('pot', 'Serum potassium', 'mmol/L', [1, 12], 'mEq/L = mmol/L; limits as the lab catalogue', { loinc: '2823-3' }),
    numeric('hemo', 'Haemoglobin', 'g/dL', [1, 25], 'limits as the lab catalogue', { loinc: '718-7' }),
    numeric('pcv', 'Packed cell volume (haematocrit)', '%', [5, 75], 'limits as the lab catalogue', { loinc: '4544-3' }),
    numeric(
      'wbcc',
      'White blood cell count',
      'cells/µL',
      [100, 500000],
      'in cells/µL as the source (7800, not 7.8 × 10³/µL); below 100 is almost always a value typed in 10³/µL',
      { loinc: '26464-8' },
    ),
    numeric('rbcc', 'Red blood cell count', '10⁶/µL', [0.5, 10], 'millions per µL', { loinc: '789-8' }),
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
  monotone: [
    {
      input: 'plasma_glucose',
      direction: 1,
      why: 'the 2-hour glucose is the diagnostic variable itself; impaired glucose tolerance (140–199 mg/dL) is the strongest predictor of progression',
    },
    {
      input: 'bmi',
      direction: 1,
      why: 'adiposity drives insulin resistance; incidence rises steadily with BMI in every cohort, the Pima included (Knowler et al. 1981)',
    },
  ],
  scope: {
    population:
      'Women of Pima Indian heritage aged 21 and over near Phoenix, Arizona (NIDDK longitudinal study, 1965 onwards), without diabetes at the examination; onset of diabetes (WHO criteria) within five years',
    ageYears: { min: 21 },
    sex: ['female'],
    inputKind: 'tabular',
    requiredInputs: [['plasma_glucose', 'bmi']],
    maxImputedShare: 0.5,
    diagnosticCriteria: [
      {
        id: 'diabetes-ogtt-2h',
        input: 'plasma_glucose',
        atLeast: 200,
        unit: 'mg/dL',
        description: '2-hour plasma glucose ≥ 200 mg/dL on a 75 g oral glucose tolerance test meets the diagnostic criterion for diabetes',
        source: 'American Diabetes Association, Standards of Care in Diabetes 2024, section 2 (Diabetes Care 47 Suppl 1); WHO 2006',
      },
      {
        id: 'diabetes-fasting-glucose',
        loinc: '1558-6',
        atLeast: 126,
        unit: 'mg/dL',
        description: 'Fasting plasma glucose ≥ 126 mg/dL meets the diagnostic criterion for diabetes',
        source: 'American Diabetes Association, Standards of Care in Diabetes 2024, section 2 (Diabetes Care 47 Suppl 1); WHO 2006',
      },
      {
        id: 'diabetes-hba1c',
        loinc: '4548-4',
        atLeast: 6.5,
        unit: '%',
        description: 'HbA1c ≥ 6.5 % meets the diagnostic criterion for diabetes',
        source: 'American Diabetes Association, Standards of Care in Diabetes 2024, section 2 (Diabetes Care 47 Suppl 1); WHO 2011',
      },
    ],
    notes: 'Men, people under 21, cases without the 2-hour glucose and BMI, and people who already meet a diagnostic criterion for diabetes get no onset risk.',
  },
  scopeWhy: [
    'Women 21 and over: the cohort has no men and no one younger; pregnancies is an input that has no meaning for men.',
    'Plasma glucose (2-hour OGTT) and BMI are required: they carry most of the signal (see the usage table) and are the two inputs whose direction is known; without them the answer rests on age and pedigree.',
    'Diagnostic criteria first: onset risk is meaningless for someone who already has diabetes. The cohort itself has no 2-hour glucose of 200 mg/dL or more (maximum 198 in the training file), consistent with people with diabetes at baseline being excluded.',
    'At most half of the 8 inputs unknown: insulin, skinfold and the pedigree score are rarely at hand in clinic (3 of 8); the validation rows with inputs removed give the figures.',
  ],
  inputs: [
    numeric('pregnancies', 'Number of pregnancies', 'count', [0, 30], '0 is a real value (never pregnant), not "missing"'),
    // No LOINC: 2345-7 is any plasma glucose; this input is the 2-hour value of a glucose tolerance test.
    numeric(
      'plasma_glucose',
      'Plasma glucose 2 h after a 75 g oral glucose load',
      'mg/dL',
      [10, 2500],
      '0 = not measured (Pima convention); limits as the lab catalogue’s glucose',
      { missingCodes: [0] },
    ),
    numeric('diastolic_bp', 'Diastolic blood pressure', 'mmHg', [20, 200], '0 = not measured (Pima convention); limits as the vital-sign catalogue', {
      loinc: '8462-4',
      missingCodes: [0],
    }),
    numeric('triceps_skinfold', 'Triceps skinfold thickness', 'mm', [1, 120], '0 = not measured (Pima convention); calipers read 1–~100 mm', {
      missingCodes: [0],
    }),
    numeric(
      'serum_insulin',
      'Serum insulin 2 h after a 75 g oral glucose load',
      'µU/mL',
      [1, 3000],
      '0 = not measured (Pima convention); insulinoma and severe insulin resistance reach the low thousands',
      { missingCodes: [0] },
    ),
    numeric('bmi', 'Body mass index', 'kg/m²', [10, 100], '0 = not measured (Pima convention); 10–100 kg/m² spans survivable extremes', {
      loinc: '39156-5',
      missingCodes: [0],
    }),
    numeric(
      'diabetes_pedigree',
      'Diabetes pedigree function (family-history score)',
      '',
      [0, 5],
      'a score computed from relatives’ diabetes history (Smith et al. 1988); 0–5 covers any family',
    ),
    { name: 'age', ...AGE, note: '0–120 years; the source cohort is women aged 21 and over' },
  ],
};

export const TABULAR_MODELS: readonly TabularModelDef[] = [HEART_DISEASE, CHRONIC_KIDNEY_DISEASE, DIABETES_ONSET];
