/**
 * HAND-WRITTEN mapping of the symptom model's 41 labels to clinical information, read by
 * buildSymptomExtras.ts to generate models/artefacts/symptom-differential/conditions.json. Everything that
 * needs judgement is here, with the reason where it is not obvious.
 *
 * - displayName: the dataset's labels have typos ("Paroymsal", "diseae", "Osteoarthristis").
 * - icd10: ICD-10-CM code written with its dot. The script looks it up in
 *   ../shared/data/vocab/icd10cm-categories.csv; where that file (categories, not every billable code)
 *   lacks it, the script walks up to the nearest category it has and records the code asked for.
 * - ddxplus: a DDXPlus condition judged to be the same disease under another name; its severity is
 *   used. Labels whose name equals a DDXPlus condition name (case-insensitive) are matched by the
 *   script without an entry here.
 * - teamSeverity: where nothing matches, OUR severity on the app's scale
 *     1 mild, self-limiting · 2 needs routine care · 3 needs prompt treatment, can cause lasting harm
 *     4 serious, can be life-threatening · 5 immediately life-threatening
 *   (DDXPlus's scale runs the other way, 1 = most severe; the script converts: ours = 6 − DDXPlus).
 * - summary: our own one-line text for clinicians (not taken from any dataset).
 */

export interface ConditionTableRow {
  displayName: string;
  icd10: string | null;
  ddxplus?: string;
  teamSeverity?: 1 | 2 | 3 | 4 | 5;
  summary: string;
  /** Why this code / severity, where it needs saying. */
  rationale?: string;
}

export const CONDITION_TABLE: Readonly<Record<string, ConditionTableRow>> = {
  '(vertigo) Paroymsal  Positional Vertigo': {
    displayName: 'Benign paroxysmal positional vertigo',
    icd10: 'H81.1',
    teamSeverity: 2,
    summary:
      'Brief spinning vertigo set off by head movement; check for nystagmus on positional testing and rule out central causes if there are neurological signs.',
  },
  AIDS: {
    displayName: 'HIV disease (AIDS)',
    icd10: 'B20',
    teamSeverity: 4,
    summary: 'Advanced HIV infection with immune failure; test for HIV and screen for opportunistic infections.',
    rationale: 'DDXPlus has only "HIV (initial infection)" (acute seroconversion), a different stage: not used.',
  },
  Acne: {
    displayName: 'Acne',
    icd10: 'L70',
    teamSeverity: 1,
    summary: 'Comedones, papules and pustules on face, chest or back; treat early if scarring.',
  },
  'Alcoholic hepatitis': {
    displayName: 'Alcoholic hepatitis',
    icd10: 'K70.1',
    teamSeverity: 4,
    summary: 'Jaundice and tender liver after heavy drinking; severe forms carry a high short-term mortality, so assess severity early.',
  },
  Allergy: {
    displayName: 'Allergy (allergic rhinitis)',
    icd10: 'J30.9',
    ddxplus: 'Allergic sinusitis',
    summary: 'Sneezing, watery eyes and nasal symptoms after an exposure; ask about triggers and look for wheeze.',
    rationale: 'The dataset\'s pattern is allergic rhinitis; DDXPlus\'s "Allergic sinusitis" carries the same ICD-10 category (J30).',
  },
  Arthritis: {
    displayName: 'Arthritis (unspecified)',
    icd10: 'M13',
    teamSeverity: 2,
    summary: 'Painful, stiff or swollen joints; examine for an inflammatory pattern and a hot single joint (septic arthritis).',
    rationale: 'The label does not say which arthritis; M13 "Other arthritis" is the unspecified home.',
  },
  'Bronchial Asthma': {
    displayName: 'Asthma',
    icd10: 'J45',
    ddxplus: 'Bronchospasm / acute asthma exacerbation',
    summary: 'Episodic wheeze, breathlessness and cough; measure peak flow and oxygen saturation in an attack.',
  },
  'Cervical spondylosis': {
    displayName: 'Cervical spondylosis',
    icd10: 'M47.81',
    teamSeverity: 2,
    summary: 'Degenerative neck pain and stiffness; look for arm weakness or numbness suggesting nerve root or cord compression.',
    rationale: 'M47.812 (cervical region) is not in the categories file; M47.81 is its parent.',
  },
  'Chicken pox': {
    displayName: 'Chickenpox (varicella)',
    icd10: 'B01',
    teamSeverity: 2,
    summary: 'Fever with an itchy rash of crops of vesicles; adults, pregnant women and the immunosuppressed are at risk of complications.',
  },
  'Chronic cholestasis': {
    displayName: 'Chronic cholestasis',
    icd10: 'K83.1',
    teamSeverity: 3,
    summary: 'Itching and jaundice from impaired bile flow; check liver enzymes and image the biliary tree.',
  },
  'Common Cold': {
    displayName: 'Common cold',
    icd10: 'J00',
    ddxplus: 'URTI',
    summary: 'Self-limiting viral upper respiratory infection with runny nose, sneezing and sore throat.',
  },
  Dengue: {
    displayName: 'Dengue',
    icd10: 'A90',
    teamSeverity: 4,
    summary: 'Fever with headache, eye, muscle and joint pain in an endemic area; watch for warning signs of plasma leakage and bleeding around defervescence.',
  },
  Diabetes: {
    displayName: 'Diabetes mellitus',
    icd10: 'E11',
    teamSeverity: 3,
    summary: 'Thirst, polyuria, weight change and fatigue with high blood glucose; confirm with glucose or HbA1c.',
    rationale: 'The label does not give the type; E11 (type 2), the common adult form, is used.',
  },
  'Dimorphic hemmorhoids(piles)': {
    displayName: 'Haemorrhoids',
    icd10: 'K64',
    teamSeverity: 2,
    summary: 'Anal bleeding, pain or itching from swollen anal cushions; rectal bleeding in older patients needs other causes excluded.',
  },
  'Drug Reaction': {
    displayName: 'Adverse drug reaction',
    icd10: 'T88.7',
    teamSeverity: 3,
    summary: 'New rash or symptoms after starting a medicine; stop the suspect drug and look for mucosal or systemic involvement.',
  },
  'Fungal infection': {
    displayName: 'Fungal skin infection',
    icd10: 'B35',
    teamSeverity: 1,
    summary: 'Itchy, scaly or discoloured skin patches from a superficial fungus; a skin scraping confirms it.',
    rationale: 'Dermatophytosis (tinea), the common superficial fungal skin infection.',
  },
  GERD: {
    displayName: 'Gastro-oesophageal reflux disease',
    icd10: 'K21',
    summary: 'Heartburn and acid regurgitation, worse lying down or after meals; red flags are dysphagia, weight loss and bleeding.',
  },
  Gastroenteritis: {
    displayName: 'Gastroenteritis',
    icd10: 'A09',
    teamSeverity: 2,
    summary: 'Vomiting and diarrhoea, usually infectious and self-limiting; assess hydration, especially in children and the elderly.',
  },
  'Heart attack': {
    displayName: 'Acute myocardial infarction',
    icd10: 'I21',
    ddxplus: 'Possible NSTEMI / STEMI',
    summary: 'Chest pain with sweating, breathlessness or vomiting; get an ECG and troponin without delay.',
  },
  'Hepatitis B': {
    displayName: 'Hepatitis B',
    icd10: 'B19.1',
    teamSeverity: 3,
    summary: 'Viral hepatitis spread by blood and sexual contact; jaundice, fatigue and dark urine, sometimes chronic. Check HBsAg.',
  },
  'Hepatitis C': {
    displayName: 'Hepatitis C',
    icd10: 'B19.2',
    teamSeverity: 3,
    summary: 'Blood-borne viral hepatitis, often silent and chronic; treatable, so test those with risk factors.',
  },
  'Hepatitis D': {
    displayName: 'Hepatitis D (delta)',
    icd10: 'B17.0',
    teamSeverity: 3,
    summary: 'Delta virus infection in people with hepatitis B; can make liver disease more severe. Check HBsAg and anti-HDV.',
  },
  'Hepatitis E': {
    displayName: 'Hepatitis E',
    icd10: 'B17.2',
    teamSeverity: 3,
    summary: 'Water-borne viral hepatitis, usually self-limiting but dangerous in pregnancy.',
  },
  Hypertension: {
    displayName: 'Hypertension',
    icd10: 'I10',
    teamSeverity: 3,
    summary: 'Raised blood pressure, usually without symptoms; headache or visual change with very high readings needs urgent review.',
  },
  Hyperthyroidism: {
    displayName: 'Hyperthyroidism',
    icd10: 'E05',
    teamSeverity: 3,
    summary: 'Weight loss, tremor, palpitations and heat intolerance from excess thyroid hormone; check TSH and free T4.',
  },
  Hypoglycemia: {
    displayName: 'Hypoglycaemia',
    icd10: 'E16.2',
    teamSeverity: 4,
    summary: 'Low blood glucose with sweating, tremor, confusion or drowsiness; check a capillary glucose and treat at once.',
  },
  Hypothyroidism: {
    displayName: 'Hypothyroidism',
    icd10: 'E03.9',
    teamSeverity: 2,
    summary: 'Tiredness, weight gain, cold intolerance and dry skin from low thyroid hormone; check TSH.',
  },
  Impetigo: {
    displayName: 'Impetigo',
    icd10: 'L01.0',
    teamSeverity: 1,
    summary: 'Contagious superficial skin infection with honey-coloured crusts, often around the nose and mouth.',
  },
  Jaundice: {
    displayName: 'Jaundice (cause to be found)',
    icd10: 'R17',
    teamSeverity: 3,
    summary: 'Yellow skin and eyes from raised bilirubin; a sign, not a diagnosis: look for haemolysis, liver disease or biliary obstruction.',
  },
  Malaria: {
    displayName: 'Malaria',
    icd10: 'B54',
    teamSeverity: 4,
    summary: 'Fever, chills and sweats after exposure in an endemic area; falciparum malaria can deteriorate within hours, so test the same day.',
  },
  Migraine: {
    displayName: 'Migraine',
    icd10: 'G43',
    teamSeverity: 2,
    summary: 'Recurrent headache, often one-sided with nausea and light sensitivity; a sudden severe or first headache needs other causes excluded.',
  },
  Osteoarthristis: {
    displayName: 'Osteoarthritis',
    icd10: 'M19.9',
    teamSeverity: 2,
    summary: 'Joint pain worse with use and brief stiffness, typically knees and hips in older adults.',
  },
  'Paralysis (brain hemorrhage)': {
    displayName: 'Intracerebral haemorrhage',
    icd10: 'I61',
    teamSeverity: 5,
    summary: 'Sudden weakness of one side, speech disturbance or reduced consciousness; an emergency needing brain imaging at once.',
  },
  'Peptic ulcer diseae': {
    displayName: 'Peptic ulcer disease',
    icd10: 'K27',
    teamSeverity: 3,
    summary: 'Epigastric pain related to meals; vomiting blood or black stools signal bleeding.',
  },
  Pneumonia: {
    displayName: 'Pneumonia',
    icd10: 'J18',
    summary: 'Cough, fever and breathlessness with chest signs; assess severity (confusion, breathing rate, blood pressure, age).',
  },
  Psoriasis: {
    displayName: 'Psoriasis',
    icd10: 'L40',
    teamSeverity: 2,
    summary: 'Well-demarcated red plaques with silvery scale, often on elbows, knees and scalp, with nail changes.',
  },
  Tuberculosis: {
    displayName: 'Tuberculosis',
    icd10: 'A15',
    summary: 'Cough for weeks with fever, night sweats and weight loss; send sputum for testing and consider isolation.',
  },
  Typhoid: {
    displayName: 'Typhoid fever',
    icd10: 'A01.0',
    teamSeverity: 4,
    summary: 'Prolonged rising fever with abdominal symptoms after exposure to contaminated food or water; complications include intestinal perforation.',
  },
  'Urinary tract infection': {
    displayName: 'Urinary tract infection',
    icd10: 'N39.0',
    teamSeverity: 2,
    summary: 'Burning, frequent urination and lower abdominal discomfort; fever or loin pain suggests kidney involvement.',
  },
  'Varicose veins': {
    displayName: 'Varicose veins',
    icd10: 'I83',
    teamSeverity: 2,
    summary: 'Dilated, tortuous leg veins with aching or swelling; a hot, swollen calf needs deep vein thrombosis excluded.',
  },
  'hepatitis A': {
    displayName: 'Hepatitis A',
    icd10: 'B15',
    teamSeverity: 2,
    summary: 'Faecal-oral viral hepatitis with jaundice and malaise, usually self-limiting.',
  },
};
