/**
 * The PDF report in the UI language: a whole case (findings, vitals, labs, a differential with
 * decisions and a final diagnosis, a risk model run, an image with a model run, the models and the
 * audit trail) exported in zh-CN prints no English sentence or clinical name of its own. What stays
 * is what a person typed, what models and rules wrote (their messages, scopes and citations), and
 * codes (model ids, LOINC, ICD-10-CM, hashes). The English report keeps its wording.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createAppServices } from '../appServices';
import type { AppServices } from '../appServices';
import type { CaseDetail } from '../../contract/ipcContract';
import { makeTempDir, testKdf } from '../../../db/testing/tmpStore';
import { dispatchTestClient } from '../testing/dispatchTestClient';
import { birthDateForAge, chestXrayPng } from '../testing/imagingTestImages';
import { loadChineseClinicalNames } from '../../../models/runtime/vocab/clinicalNames';

let cleanup: () => void;
let app: AppServices;
const { ok } = dispatchTestClient(() => app);

beforeEach(async () => {
  let dir: string;
  ({ dir, cleanup } = makeTempDir());
  app = createAppServices({ dbPath: join(dir, 'lantern.db'), kdf: testKdf });
  await ok('setup', { displayName: 'Dr Osei', passphrase: 'correct horse' });
});
afterEach(() => {
  app.close();
  cleanup();
});

/** Every page's text, one space between pdf.js text items. */
async function pdfText(dataBase64: string): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(Buffer.from(dataBase64, 'base64')), disableFontFace: true, useSystemFonts: false, verbosity: 0 })
    .promise;
  const parts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    parts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return parts.join(' ');
}

const squash = (text: string) => text.replace(/\s+/g, '');

async function wholeCase(): Promise<CaseDetail> {
  // An adult inside the heart-disease model's population, so a risk is given; the image is attached without a model run (the pneumonia model is for ages 1-5).
  const patient = await ok('createPatient', { name: 'Amina Bello', birthDate: birthDateForAge(58), sex: 'male' });
  const saved = await ok('saveCase', {
    patientId: patient.id,
    case: {
      // Chest pain with breathlessness raises a red flag from findings (ACS), potassium 7.1 one from a value (CRITICAL_LAB).
      findings: { cough: 'present', high_fever: 'present', breathlessness: 'present', chest_pain: 'present', itching: 'absent', chills: 'unknown' },
      modelInputs: { 'heart-disease': { age: 58, sex: 1, cp: 4, trestbps: 150, chol: 260, thalach: 120, exang: 1, oldpeak: 2.3 } },
      vitals: [
        { code: 'temperature', value: 39.2 },
        { code: 'heartRate', value: 112 },
        { code: 'systolicBp', value: 150 },
      ],
      labs: [
        { loinc: '26464-8', value: 14.2 },
        { loinc: '2823-3', value: 7.1 },
      ],
      note: 'Productive cough for a week.',
    },
  });
  const image = await ok('attachImage', { caseId: saved.id, fileName: 'chest.png', dataBase64: chestXrayPng().toString('base64') });
  const top = saved.differential!.items[0]!;
  await ok('recordDecision', { caseId: saved.id, suggestionId: saved.suggestionId!, label: top.label, action: 'accept', reason: 'fits the picture' });
  await ok('addImageMeasurement', { imageId: image.id, kind: 'length', frame: 0, a: { x: 10, y: 10 }, b: { x: 40, y: 50 } });
  const second = saved.differential!.items[1]!;
  await ok('recordDecision', { caseId: saved.id, suggestionId: saved.suggestionId!, label: second.label, action: 'defer', reason: 'await radiologist' });
  return ok('recordFinalDiagnosis', { caseId: saved.id, label: top.displayName, icd10: top.icd10?.code ?? 'J18.9' });
}

/**
 * English words a Chinese report may still hold: codes and abbreviations clinicians read as such,
 * units, and the parts of model ids and file paths.
 */
const allowedWords = new Set(
  [
    'Lantern',
    'LOINC',
    'ICD',
    'CM',
    'ATC',
    'NEWS2',
    'NEWS',
    'RCP',
    'qSOFA',
    'Sepsis',
    'UTC',
    'sha256',
    'sha',
    'SHA',
    'eGFR',
    'KDIGO',
    'FHIR',
    'PNG',
    'case',
    'export',
    'models',
    'artefacts',
    'model',
    'card',
    'md',
    'README',
    'ACVPU',
    'ST',
    'HIV',
    'mL',
    'min',
    'mg',
    'dL',
    'mmHg',
    'mmol',
    'µL',
    'μL',
    'mm',
    'kg',
    'mU',
    'fL',
    'ng',
  ].map((w) => w.toLowerCase()),
);

describe('the PDF report in the UI language', () => {
  it('in zh-CN prints every sentence and clinical name of its own in Chinese (symptoms, conditions, labs, decisions, models, audit)', async () => {
    const detail = await wholeCase();
    const exported = await ok('exportCase', { caseId: detail.id, format: 'pdf', language: 'zh-CN' });
    const text = await pdfText(exported.dataBase64);
    const zh = loadChineseClinicalNames();
    const flat = squash(text);

    // Clinical names from the shared table: symptoms, the differential's conditions, labs and vital signs.
    for (const name of [
      zh.symptoms['cough'],
      zh.symptoms['high_fever'],
      zh.symptoms['itching'],
      zh.labs['26464-8'],
      zh.labs['2823-3'],
      zh.vitals['temperature'],
    ]) {
      expect(flat).toContain(squash(name!));
    }
    const top = detail.differential!.items[0]!;
    expect(flat).toContain(squash(zh.conditions[top.label]!));
    // Risk models and their inputs by name, not dataset code.
    for (const name of [zh.riskModels['heart-disease'], zh.riskInputs['trestbps'], zh.riskInputs['thalach']]) expect(flat).toContain(squash(name!));
    // Sections' sentences.
    for (const sentence of [
      '患者不在该模型的训练人群范围内',
      '采纳',
      '暂缓',
      '长度',
      '原始影像（显示窗）',
      '审计链',
      '本次导出本身作为下一个审计事件记录',
      '模型文件sha256',
      '危急高值',
      '训练人群',
    ]) {
      expect(flat).toContain(sentence);
    }
    // Red flags' reasons in Chinese with clinical names, not the rules' English with finding codes.
    expect(detail.differential!.triage!.flags.map((f) => f.code)).toEqual(['ACS_RED_FLAGS', 'CRITICAL_LAB']);
    expect(flat).toContain(squash('胸痛伴气促：立即行心电图及肌钙蛋白检查'));
    expect(flat).toContain(squash('钾 7.1 mmol/L，高于6.5 mmol/L（英国肾脏病协会（UKKA）2020，重度高钾血症）及目录危急值上限 6 mmol/L'));
    expect(flat).not.toContain('chest_pain');

    // What may stay English: what people typed, what models and rules wrote, and the ids of what ran.
    const risk = detail.differential!.riskAssessments.find((r) => r.status === 'ran');
    expect(risk).toBeDefined();
    const verbatim = [
      'Amina Bello',
      'Dr Osei',
      'Productive cough for a week.',
      'fits the picture',
      'await radiologist',
      'chest.png',
      ...detail.differential!.riskAssessments.flatMap((r) =>
        r.status === 'ran' ? [r.scope ?? '', r.calibration?.summary ?? ''] : [r.reason, r.abstained?.message ?? ''],
      ),
      detail.differential!.kidneyFunction?.formula ?? '',
      detail.differential!.coverageWarning?.message ?? '',
      detail.complaintSuggestion?.abstained?.message ?? '',
    ].filter((v) => v !== '');
    const spaced = (v: string) => v.replace(/\s+/g, ' ').trim();
    let rest = spaced(text);
    const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // Whole words only: an input code such as `ca` must not cut "card" apart.
    for (const v of verbatim.sort((a, b) => b.length - a.length)) rest = rest.replace(new RegExp(`(?<![A-Za-z])${escape(spaced(v))}(?![A-Za-z])`, 'g'), ' ');
    // Codes: hashes and ids, ICD-10-CM codes, abstention codes (which a narrow column may wrap).
    rest = rest
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ' ')
      .replace(/\b[0-9a-f]{6,}…?/g, ' ')
      .replace(/\b[A-Z]\d{2}(\.\d+)?\b/g, ' ')
      .replace(/\b[A-Z][A-Z_]{3,}\b/g, ' ');
    const modelIds = new Set(['symptom', 'differential', 'heart', 'disease', 'pneumonia', 'xray', 'chronic', 'kidney', 'diabetes', 'onset', 'text']);
    const english = [...rest.matchAll(/[A-Za-zµμ]{2,}/g)]
      .map((m) => m[0])
      .filter((word) => !allowedWords.has(word.toLowerCase()) && !modelIds.has(word.toLowerCase()));
    expect(english).toEqual([]);
  }, 60_000);

  it('in English keeps its wording: English names and sentences, no Chinese', async () => {
    const detail = await wholeCase();
    const exported = await ok('exportCase', { caseId: detail.id, format: 'pdf' });
    const flat = squash(await pdfText(exported.dataBase64));
    const top = detail.differential!.items[0]!;
    for (const sentence of [
      'Cough',
      squash(top.displayName),
      'Whitecellcount',
      'Bodytemperature',
      'critical-high',
      'Findingsbehindit(changeinprobability,strongestfirst)',
      'Inputsbehindit(changeinprobability)',
      'Thisexportisitselfauditedasthenextevent',
      'accept',
      'defer',
      'Asstored(displaywindow)',
      // Red flags with clinical names, not finding codes.
      'Chestpainwithbreathlessness:ECGandtroponinnow',
      "Potassium7.1mmol/Lisabove6.5mmol/L(UKKidneyAssociation2020,severehyperkalaemia)andthecatalogue'scriticallimit6mmol/L",
    ]) {
      expect(flat).toContain(sentence);
    }
    expect(flat).not.toMatch(/[\u4e00-\u9fff]/);
    expect(flat).not.toContain('chest_pain');
  }, 60_000);
});
