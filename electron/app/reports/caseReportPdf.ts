/**
 * The printable case report (PDF, A4), drawn with pdfkit from the export snapshot: patient and
 * encounter, findings, vitals, labs, risk inputs, note, the differential with the findings behind
 * each item, risk assessments, images with their model overlays, the clinician's decisions and
 * final diagnosis, the models used (id, version, sha256, card) and the audit chain head from
 * before this export's own audit event. Every page carries the case id and page number.
 */
import PDFDocument from 'pdfkit';
import type { CaseTriage, ComplaintSuggestion, Differential, RiskAssessment } from '../../contract/ipcContract';
import type { CaseExportSnapshot } from './caseExportSnapshot';
import { symptomLabel } from '../cases/catalogueService';
import { contributionList, riskContributionList } from './explanationText';
import { printable, reportFont } from './reportFonts';
import type { ReportImage } from './reportImages';
import { reportLabels } from './reportLabels';
import type { ReportLabels, ReportLanguage } from './reportLabels';
import { substanceByCode } from '../cases/substanceCodes';
import { type ImageMeasurement, type PatientListEntry } from '../../contract/ipcContract';

/** A note longer than this is cut in print (the FHIR export carries it whole). */
export const printedNoteLimit = 20_000;

const colours = { text: '#111111', muted: '#555555', rule: '#bbbbbb', headerFill: '#eeeeee', warn: '#8a1c00' };
const sizes = { title: 18, h2: 12.5, body: 9, small: 7.5 };

interface Column {
  header: string;
  /** Share of the content width. */
  width: number;
  align?: 'left' | 'right';
}

/** Page furniture and flowing content on one pdfkit document. */
class ReportLayout {
  replaced = 0;
  constructor(readonly doc: PDFKit.PDFDocument) {}

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Every string reaches the page through here (see reportFonts.printable). */
  t(text: string): string {
    const p = printable(text);
    this.replaced += p.replaced;
    return p.text;
  }

  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  title(text: string, subtitle: string): void {
    this.doc.font('bold').fontSize(sizes.title).fillColor(colours.text).text(this.t(text), this.left, this.doc.y, { width: this.width });
    this.doc.font('body').fontSize(sizes.small).fillColor(colours.muted).text(this.t(subtitle), { width: this.width });
    this.doc.moveDown(0.6);
  }

  heading(text: string): void {
    this.ensureSpace(60);
    this.doc.moveDown(0.5);
    const y = this.doc.y;
    this.doc
      .moveTo(this.left, y)
      .lineTo(this.left + this.width, y)
      .lineWidth(0.5)
      .strokeColor(colours.rule)
      .stroke();
    this.doc
      .font('bold')
      .fontSize(sizes.h2)
      .fillColor(colours.text)
      .text(this.t(text), this.left, y + 4, { width: this.width });
    this.doc.moveDown(0.3);
  }

  subheading(text: string): void {
    this.ensureSpace(40);
    this.doc
      .font('bold')
      .fontSize(sizes.body + 0.5)
      .fillColor(colours.text)
      .text(this.t(text), this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.15);
  }

  para(text: string, options: { muted?: boolean; warn?: boolean; size?: number } = {}): void {
    const colour = options.warn ? colours.warn : options.muted ? colours.muted : colours.text;
    this.doc
      .font('body')
      .fontSize(options.size ?? sizes.body)
      .fillColor(colour)
      .text(this.t(text), this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.25);
  }

  keyValues(rows: [string, string][]): void {
    this.table(
      [
        { header: '', width: 0.28 },
        { header: '', width: 0.72 },
      ],
      rows,
      { header: false, boldFirst: true },
    );
  }

  table(columns: Column[], rows: string[][], options: { header?: boolean; boldFirst?: boolean } = {}): void {
    const { doc } = this;
    const pad = 3;
    const widths = columns.map((c) => c.width * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const cellHeight = (text: string, i: number, bold: boolean) =>
      doc
        .font(bold ? 'bold' : 'body')
        .fontSize(sizes.body)
        .heightOfString(text, { width: widths[i]! - 2 * pad });
    const drawRow = (cells: string[], header: boolean) => {
      const texts = cells.map((c) => this.t(c));
      const height = Math.max(...texts.map((c, i) => cellHeight(c, i, header || (options.boldFirst === true && i === 0)))) + 2 * pad;
      if (doc.y + height > this.bottom) {
        doc.addPage();
        if (!header && options.header !== false)
          drawRow(
            columns.map((c) => c.header),
            true,
          );
      }
      const y = doc.y;
      if (header) doc.rect(this.left, y, this.width, height).fill(colours.headerFill);
      texts.forEach((text, i) => {
        doc
          .font(header || (options.boldFirst === true && i === 0) ? 'bold' : 'body')
          .fontSize(sizes.body)
          .fillColor(colours.text)
          .text(text, xs[i]! + pad, y + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align ?? 'left' });
      });
      doc
        .moveTo(this.left, y + height)
        .lineTo(this.left + this.width, y + height)
        .lineWidth(0.3)
        .strokeColor(colours.rule)
        .stroke();
      doc.x = this.left;
      doc.y = y + height;
    };
    if (options.header !== false) {
      // A header alone at the foot of a page is no use: keep it with the first row.
      const first = rows[0]?.map((c, i) => cellHeight(this.t(c), i, false)) ?? [0];
      const head = columns.map((c, i) => cellHeight(c.header, i, true));
      this.ensureSpace(Math.max(...head) + Math.max(...first) + 4 * pad);
      drawRow(
        columns.map((c) => c.header),
        true,
      );
    }
    for (const row of rows) drawRow(row, false);
    doc.moveDown(0.4);
  }

  /** Images side by side, each fitted into a square box, with a caption under each. */
  images(items: { png: Buffer; width: number; height: number; caption: string }[]): void {
    const { doc } = this;
    const box = Math.min(240, (this.width - 12) / 2);
    const captionHeight = Math.max(...items.map((i) => doc.font('body').fontSize(sizes.small).heightOfString(this.t(i.caption), { width: box })));
    this.ensureSpace(box + captionHeight + 10);
    const y = doc.y;
    items.forEach((item, i) => {
      const x = this.left + i * (box + 12);
      const scale = Math.min(box / item.width, box / item.height);
      doc.image(item.png, x, y, { width: item.width * scale, height: item.height * scale });
      doc
        .font('body')
        .fontSize(sizes.small)
        .fillColor(colours.muted)
        .text(this.t(item.caption), x, y + item.height * scale + 3, { width: box });
    });
    doc.x = this.left;
    doc.y = y + box + captionHeight + 8;
  }

  footer(text: (page: number, pages: number) => string): void {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      // Writing inside the bottom margin must not start a new page.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc
        .font('body')
        .fontSize(sizes.small)
        .fillColor(colours.muted)
        .text(this.t(text(i + 1, range.count)), this.left, doc.page.height - bottom + 16, { width: this.width, align: 'center', lineBreak: false });
      doc.page.margins.bottom = bottom;
    }
  }
}

const when = (iso: string) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');
// A model's probability never reads "100.0%" in a report (no model here is certain); the FHIR export keeps the raw value.
const percent = (p: number) => (Number((p * 100).toFixed(1)) >= 100 ? '> 99.9%' : `${(p * 100).toFixed(1)}%`);
const short = (sha: string) => `${sha.slice(0, 16)}…`;

function ageAt(birthDate: string, at: string): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const t = new Date(at);
  let age = t.getUTCFullYear() - y;
  if (t.getUTCMonth() + 1 < m || (t.getUTCMonth() + 1 === m && t.getUTCDate() < d)) age -= 1;
  return age;
}

/** The free-text classifier's stored reading of the note, with its model version, like every other suggestion. */
function complaintSection(r: ReportLayout, c: ComplaintSuggestion | null): void {
  if (c === null) {
    r.para('No note was classified with this case.', { muted: true });
    return;
  }
  r.para(
    `${c.modelId} ${c.modelVersion} (artefact sha256 ${short(c.modelSha256)}), run ${when(c.createdAt)} on the note above. A ranking of the diseases it was trained on from the words of the note; decision support, not a diagnosis.`,
    { muted: true },
  );
  if (c.abstained) r.para(`Not assessed (${c.abstained.code}): ${c.abstained.message}`, { warn: true });
  else
    r.table(
      [
        { header: 'Disease', width: 0.6 },
        { header: 'Probability', width: 0.4 },
      ],
      c.ranking.map((x) => [x.label, `${(x.probability * 100).toFixed(1)} %`]),
    );
}

/** One line per entry: name (in the report's language for coded entries), its ATC code or "uncoded", and the reaction or dose. */
function listEntries(entries: PatientListEntry[], L: ReportLabels, language: ReportLanguage): string {
  const name = (e: PatientListEntry) => (language === 'zh-CN' && e.code !== null ? (substanceByCode(e.code)?.nameZh ?? e.display) : e.display);
  return entries.map((e) => `${name(e)} (${e.code === null ? L.uncoded : `ATC ${e.code}`})${e.note ? `: ${e.note}` : ''}`).join('\n');
}

function differentialSection(r: ReportLayout, s: CaseExportSnapshot, differential: Differential): void {
  r.para(
    `${differential.modelId} ${differential.modelVersion} (artefact sha256 ${short(differential.modelSha256)}), run ${when(s.differentialCreatedAt ?? s.detail.createdAt)}. ${differential.unknownFindings} findings the model could use were not answered.`,
    { muted: true },
  );
  if (differential.abstained) r.para(`Differential not assessed (${differential.abstained.code}): ${differential.abstained.message}`, { warn: true });
  if (differential.coverageWarning) r.para(differential.coverageWarning.message, { warn: true });
  r.table(
    [
      { header: '#', width: 0.04 },
      { header: 'Diagnosis', width: 0.26 },
      { header: 'Probability', width: 0.13, align: 'right' },
      { header: 'Findings behind it (change in probability, strongest first)', width: 0.57 },
    ],
    differential.items.map((item, i) => [
      String(i + 1),
      `${item.displayName}${item.icd10 ? `\nICD-10-CM ${item.icd10.code}` : ''}${item.cantMiss ? "\n[can't miss]" : ''}`,
      percent(item.probability),
      contributionList(item, 6),
    ]),
  );
  if (differential.criticalValues.length > 0) {
    r.para(`Critical values: ${differential.criticalValues.map((c) => `${c.kind} ${c.code} ${c.value} ${c.unit} (${c.flag})`).join('; ')}.`, { warn: true });
  }
  if (differential.askNext.length > 0) {
    r.para(
      `Findings worth asking next: ${differential.askNext.map((a) => `${symptomLabel(a.feature)} (${a.expectedInformationGain.toFixed(2)} bits)`).join('; ')}.`,
      { muted: true },
    );
  }
}

const news2RiskText: Record<NonNullable<CaseTriage['news2']>['risk'], string> = {
  low: 'low',
  'low-medium': 'low-medium (a single parameter scores 3)',
  medium: 'medium',
  high: 'high',
};

/** The rules' output: shown before any model, as on the case screen. */
function triageSection(r: ReportLayout, t: CaseTriage): void {
  const scores: [string, string][] = [
    ['NEWS2 (RCP 2017)', t.news2 ? `${t.news2.score}, clinical risk ${news2RiskText[t.news2.risk]}` : 'not scored'],
    ['qSOFA (Sepsis-3)', t.qsofa ? String(t.qsofa.score) : 'not scored'],
  ];
  r.keyValues(scores);
  if (t.missing.length > 0) r.para(`Not recorded: ${t.missing.join(', ')}.`, { muted: true });
  if (t.flags.length === 0) r.para('No red flag raised by the rules.', { muted: true });
  else
    r.table(
      [
        { header: 'Red flag', width: 0.25 },
        { header: 'Severity', width: 0.12 },
        { header: 'Why', width: 0.63 },
      ],
      t.flags.map((f) => [f.code, f.severity, f.reason]),
    );
}

function riskRow(risk: RiskAssessment): string[] {
  switch (risk.status) {
    case 'ran':
      return [
        `${risk.modelId} ${risk.modelVersion}`,
        `${risk.positiveLabel}: ${percent(risk.probability)} (preliminary)`,
        `${risk.scope ? `Trained on ${risk.scope}. ` : ''}${risk.calibration ? `Calibration: ${risk.calibration.summary}. ` : ''}${riskContributionList(risk)}`,
      ];
    case 'not-run':
      return risk.abstained
        ? [`${risk.modelId} ${risk.modelVersion}`, `not assessed (${risk.abstained.code})`, risk.abstained.message]
        : [`${risk.modelId} ${risk.modelVersion}`, 'not run', `${risk.reason}.${risk.missing.length > 0 ? ` Missing: ${risk.missing.join(', ')}.` : ''}`];
    default: {
      const unreachable: never = risk;
      throw new Error(`unknown risk status ${JSON.stringify(unreachable)}`);
    }
  }
}

const oneDecimal = (v: number) => (Math.round(v * 10) / 10).toFixed(1);

/** "Length 12.3 mm" or "Region mean 41.2, SD 3.0 (120 pixels, 11.7 mm²)", with frame and who measured. */
export function measurementText(m: ImageMeasurement, frames: number): string {
  const value = m.length
    ? `Length ${oneDecimal(m.length.value)} ${m.length.unit}`
    : m.roi
      ? `Region mean ${oneDecimal(m.roi.mean)}, SD ${oneDecimal(m.roi.sd)} (${m.roi.count} pixels, ${oneDecimal(m.roi.area.value)} ${m.roi.area.unit})`
      : 'Region holds no pixel';
  const frame = frames > 1 ? `, frame ${m.frame + 1}` : '';
  return `${value}${frame}; from (${oneDecimal(m.a.x)}, ${oneDecimal(m.a.y)}) to (${oneDecimal(m.b.x)}, ${oneDecimal(m.b.y)}) px; ${when(m.createdAt)}${m.createdByName ? ` by ${m.createdByName}` : ''}`;
}

function imagesSection(r: ReportLayout, images: ReportImage[]): void {
  for (const item of images) {
    const img = item.image.summary;
    r.subheading(img.fileName);
    r.para(
      `${img.kind.toUpperCase()}, ${img.width}×${img.height}${img.frames > 1 ? `, ${img.frames} frames` : ''}, attached ${when(img.createdAt)}, sha256 ${img.sha256}.`,
      { muted: true, size: sizes.small },
    );
    if (item.image.measurements.length > 0) {
      const spacing = item.image.measurements[0]!.spacingSource;
      r.para(
        `Measurements${spacing ? ` (spacing from ${spacing})` : ' (no pixel spacing in the file: pixels)'}:\n${item.image.measurements.map((m) => measurementText(m, img.frames)).join('\n')}`,
      );
    }
    if (!item.png) {
      r.para(item.message ?? 'Image not shown.', { warn: true });
      continue;
    }
    if (item.overlays.length === 0) {
      r.images([{ png: item.png, width: item.width, height: item.height, caption: `As stored (display window)${item.message ? `. ${item.message}` : ''}` }]);
      continue;
    }
    for (const o of item.overlays) {
      const probabilities = o.run.probabilities
        ? Object.entries(o.run.probabilities)
            .sort((a, b) => b[1] - a[1])
            .map(([label, p]) => `${label} ${percent(p)}`)
            .join(', ')
        : 'segmentation (no class probabilities)';
      // The run's line stays on the page of its pictures.
      r.ensureSpace(Math.min(240, (r.width - 12) / 2) + 60);
      r.para(`${o.run.modelId} ${o.run.modelVersion} (sha256 ${short(o.run.modelSha256)}), run ${when(o.run.createdAt)}: ${probabilities}.`);
      const tiles = [{ png: item.png, width: item.width, height: item.height, caption: 'As stored (display window)' }];
      if (o.png)
        tiles.push({
          png: o.png,
          width: item.width,
          height: item.height,
          caption: `${o.run.overlayMeaning === 'saliency' ? 'Saliency (red)' : 'Vessel probability (cyan)'}. ${o.message}`,
        });
      r.images(tiles);
      if (!o.png) r.para(o.message, { warn: true });
    }
  }
}

export interface ReportPdfOptions {
  /** Tests turn compression off to read the page content. */
  compress?: boolean;
  /** The UI language the clinician reads the app in (default English). */
  language?: ReportLanguage;
}

export function renderCaseReportPdf(s: CaseExportSnapshot, images: ReportImage[], options: ReportPdfOptions = {}): Promise<Buffer> {
  const c = s.detail;
  const language = options.language ?? 'en';
  const L = reportLabels[language];
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 50, left: 50, right: 50 },
    bufferPages: true,
    compress: options.compress ?? true,
    displayTitle: true,
    lang: language,
    info: {
      Title: `Lantern case report ${c.id}`,
      Author: s.exportedBy.displayName,
      Subject: `Case ${c.id}, patient ${s.patient.id}`,
      Creator: 'Lantern',
      Producer: 'Lantern (pdfkit)',
      CreationDate: new Date(s.exportedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', reportFont('regular'));
  doc.registerFont('bold', reportFont('bold'));
  const r = new ReportLayout(doc);

  r.title(L.title, L.subtitle);

  r.heading(L.headings.patient);
  r.keyValues([
    [L.patient, s.patient.name],
    [L.birthDate, `${s.patient.birthDate} (${L.ageAtEncounter(ageAt(s.patient.birthDate, c.createdAt))})`],
    [L.sex, L.sexes[s.patient.sex]],
    [L.patientId, s.patient.id],
    [L.caseId, c.id],
    [L.caseRecorded, `${when(c.createdAt)}${s.clinician ? L.by(s.clinician.displayName) : ''}`],
    [L.exported, `${when(s.exportedAt)}${L.by(s.exportedBy.displayName)} (${s.exportedBy.role})`],
  ]);

  r.heading(L.headings.lists);
  r.keyValues([
    [
      L.allergies,
      s.patient.allergies.length > 0 ? listEntries(s.patient.allergies, L, language) : s.patient.noKnownAllergies ? L.noKnownAllergies : L.allergiesNotAsked,
    ],
    [L.medications, s.patient.medications.length > 0 ? listEntries(s.patient.medications, L, language) : L.noneRecorded],
  ]);

  r.heading(L.headings.findings);
  const byState = (state: string) =>
    Object.entries(c.findings)
      .filter(([, st]) => st === state)
      .map(([f]) => symptomLabel(f));
  const present = byState('present');
  const absent = byState('absent');
  const unknown = byState('unknown');
  r.keyValues([
    [L.present, present.join(', ') || L.noneRecordedShort],
    [L.absent, absent.join(', ') || L.noneRecordedShort],
    ...(unknown.length > 0 ? [[L.askedUnknown, unknown.join(', ')] as [string, string]] : []),
  ]);

  r.heading(L.headings.measurements);
  if (s.vitals.length + s.labs.length === 0) r.para(`${L.noneRecorded}.`, { muted: true });
  else {
    r.table(
      [
        { header: L.measurementColumns[0], width: 0.4 },
        { header: L.measurementColumns[1], width: 0.15 },
        { header: L.measurementColumns[2], width: 0.25, align: 'right' },
        { header: L.measurementColumns[3], width: 0.2 },
      ],
      [...s.vitals, ...s.labs].map((m) => [m.name, m.loinc, `${m.value} ${m.unit}`.trim(), m.flag]),
    );
  }
  const inputs = Object.entries(c.modelInputs).filter(([, v]) => Object.keys(v).length > 0);
  if (inputs.length > 0) {
    r.subheading('Risk model inputs as entered');
    r.keyValues(
      inputs.map(([model, values]) => [
        model,
        Object.entries(values)
          .map(([k, v]) => `${k} = ${v}`)
          .join(', '),
      ]),
    );
  }

  r.heading(L.headings.note);
  if (c.note.trim() === '') r.para(L.noNote, { muted: true });
  else {
    r.para(c.note.length > printedNoteLimit ? `${c.note.slice(0, printedNoteLimit)}…` : c.note);
    if (c.note.length > printedNoteLimit)
      r.para(`The note is cut at ${printedNoteLimit} of its ${c.note.length} characters; the FHIR export carries it whole.`, { muted: true });
  }

  r.heading(L.headings.triage);
  if (c.differential?.triage) triageSection(r, c.differential.triage);
  else r.para('No early-warning scores were stored with this case.', { muted: true });

  r.heading(L.headings.differential);
  if (c.differential) differentialSection(r, s, c.differential);
  else r.para('No differential was stored with this case.', { muted: true });

  r.heading(L.headings.complaint);
  complaintSection(r, c.complaintSuggestion ?? null);

  r.heading(L.headings.risks);
  const risks = c.differential?.riskAssessments ?? [];
  const kidney = c.differential?.kidneyFunction;
  if (kidney) {
    const a = kidney.aStage
      ? `, albuminuria ${kidney.aStage.approximate ? '≈ ' : ''}${kidney.aStage.stage}${kidney.aStage.approximate ? ` (${kidney.aStage.note})` : ''}`
      : '';
    r.para(
      `eGFR ${kidney.egfr} mL/min/1.73 m², KDIGO ${kidney.gStage}${a}: creatinine ${kidney.creatinineMgDl} mg/dL, age ${kidney.ageYears}, ${kidney.sex}. ${kidney.formula}.`,
    );
  }
  if (risks.length === 0) r.para('No risk model was run.', { muted: true });
  else
    r.table(
      [
        { header: 'Model', width: 0.22 },
        { header: 'Result', width: 0.2 },
        { header: 'Inputs behind it (change in probability)', width: 0.58 },
      ],
      risks.map(riskRow),
    );

  r.heading(L.headings.images);
  if (images.length === 0) r.para('No images attached.', { muted: true });
  else imagesSection(r, images);

  r.heading(L.headings.decisions);
  if (c.decisions.length === 0) r.para('No decisions recorded on the suggestions.', { muted: true });
  else {
    r.table(
      [
        { header: 'When', width: 0.16 },
        { header: 'Clinician', width: 0.15 },
        { header: 'Suggestion (model)', width: 0.2 },
        { header: 'Item', width: 0.19 },
        { header: 'Decision', width: 0.1 },
        { header: 'Reason', width: 0.2 },
      ],
      c.decisions.map((d) => {
        const m = s.suggestionModels[d.suggestionId];
        const item = d.suggestionId === c.suggestionId ? c.differential?.items.find((i) => i.label === d.label) : undefined;
        const shown = item && item.displayName !== d.label ? `${item.displayName} (${d.label})` : d.label;
        return [
          when(d.createdAt),
          d.userName ?? d.userId ?? 'unknown',
          m ? `${m.modelId} ${m.modelVersion}` : d.suggestionId,
          shown,
          d.action,
          d.reason ?? '—',
        ];
      }),
    );
  }
  r.subheading(L.finalDiagnosis);
  const final = c.finalDiagnosis;
  if (!final) r.para('No final diagnosis recorded.', { muted: true });
  else {
    r.keyValues([
      ['Diagnosis', final.label],
      ['ICD-10-CM', final.icd10 ? `${final.icd10}${s.finalDiagnosisTitle ? ` — ${s.finalDiagnosisTitle}` : ''}` : 'not coded'],
      ['Recorded', `${when(final.recordedAt)}${final.recordedByName ? ` by ${final.recordedByName}` : ''}`],
    ]);
  }

  r.heading(L.headings.models);
  if (s.models.length === 0) r.para('No model output is stored with this case.', { muted: true });
  else {
    r.table(
      [
        { header: 'Model', width: 0.2 },
        { header: 'Version', width: 0.09 },
        { header: 'Artefact sha256', width: 0.46 },
        { header: 'Model card', width: 0.25 },
      ],
      s.models.map((m) => [m.id, m.version, m.sha256, `models/artefacts/${m.card}`]),
    );
  }

  r.heading(L.headings.audit);
  const head = s.chain.head;
  r.para(head ? `Audit chain head at export, before this export's own event: seq ${head.seq}, hash ${head.hash}.` : 'The audit chain was empty at export.');
  if (s.chain.intact) r.para(`The chain verified intact over ${s.chain.events} events at ${when(s.chain.checkedAt)}.`, { muted: true });
  else r.para(`The chain FAILED verification at seq ${s.chain.firstBrokenSeq}: ${s.chain.reason}.`, { warn: true });
  r.para(
    `This export is itself audited as the next event (case.export, seq ${(head?.seq ?? 0) + 1} if nothing else is recorded in between), which records this file's SHA-256 and the head above.`,
    { muted: true },
  );
  r.para(`Export id ${s.exportId}.`, { muted: true, size: sizes.small });

  if (r.replaced > 0) {
    r.para(`${r.replaced} character(s) the report font cannot draw are shown as □; the FHIR export keeps the exact text.`, { warn: true });
  }
  r.footer((page, pages) => L.footer(c.id, when(s.exportedAt), page, pages));
  doc.end();
  return done;
}
