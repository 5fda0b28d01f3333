/**
 * The printable case report (PDF, A4), drawn with pdfkit from the export snapshot: patient and
 * encounter, findings, vitals, labs, risk inputs, note, the differential with the findings behind
 * each item, risk assessments, images with their model overlays, the clinician's decisions and
 * final diagnosis, the models used (id, version, sha256, card) and the audit chain head from
 * before this export's own audit event. Every page carries the case id and page number.
 */
import PDFDocument from 'pdfkit';
import type {
  CaseTriage,
  ComplaintSuggestion,
  CriticalValue,
  Differential,
  ImageMeasurement,
  PatientListEntry,
  RiskAssessment,
} from '../../contract/ipcContract';
import { clinicalNamer, displayUnit, type ClinicalNamer } from '../../../models/runtime/vocab/clinicalNames';
import type { CaseExportSnapshot } from './caseExportSnapshot';
import { contributionList, riskContributionList, type ExplanationWords } from './explanationText';
import { printable, reportFont } from './reportFonts';
import type { ReportImage } from './reportImages';
import { reportLabels } from './reportLabels';
import type { ReportLabels, ReportLanguage } from './reportLabels';
import { reportSentences, type ReportSentences } from './reportSentences';
import { substanceByCode } from '../cases/substanceCodes';

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

/** Everything a section needs to word itself in the report's language. */
interface Words {
  language: ReportLanguage;
  L: ReportLabels;
  S: ReportSentences;
  names: ClinicalNamer;
  explain: ExplanationWords;
  /** A condition by its model label: the clinical name in the report's language (English: the catalogue's display name). */
  condition: (label: string, displayName: string | null | undefined) => string;
  flag: (flag: string) => string;
}

function wordsFor(language: ReportLanguage): Words {
  const S = reportSentences[language];
  const names = clinicalNamer(language);
  return {
    language,
    L: reportLabels[language],
    S,
    names,
    explain: { ...S.explanation, symptom: names.symptom, input: names.riskInput },
    condition: (label, displayName) => (language === 'en' ? (displayName ?? label) : names.condition(label, displayName)),
    flag: (flag) => (S.rangeFlags as Record<string, string>)[flag] ?? flag,
  };
}

/** The free-text classifier's stored reading of the note, with its model version, like every other suggestion. */
function complaintSection(r: ReportLayout, c: ComplaintSuggestion | null, w: Words): void {
  const { S } = w;
  if (c === null) {
    r.para(S.complaintNone, { muted: true });
    return;
  }
  r.para(`${S.modelLine(c.modelId, c.modelVersion, short(c.modelSha256), when(c.createdAt))}${S.complaintAbout}`, { muted: true });
  if (c.abstained) r.para(S.notAssessed(c.abstained.code, c.abstained.message), { warn: true });
  else
    r.table(
      [
        { header: S.diseaseProbability[0], width: 0.6 },
        { header: S.diseaseProbability[1], width: 0.4 },
      ],
      c.ranking.map((x) => [w.language === 'en' ? x.label : w.names.condition(x.label), `${(x.probability * 100).toFixed(1)} %`]),
    );
}

/** One line per entry: name (in the report's language for coded entries), its ATC code or "uncoded", and the reaction or dose. */
function listEntries(entries: PatientListEntry[], L: ReportLabels, language: ReportLanguage): string {
  const name = (e: PatientListEntry) => (language === 'zh-CN' && e.code !== null ? (substanceByCode(e.code)?.nameZh ?? e.display) : e.display);
  return entries.map((e) => `${name(e)} (${e.code === null ? L.uncoded : `ATC ${e.code}`})${e.note ? `: ${e.note}` : ''}`).join('\n');
}

/** A critical value's test by its code: a vital-sign code or a LOINC code. */
function criticalValueText(c: CriticalValue, w: Words): string {
  const name =
    w.language === 'en' ? `${c.kind} ${c.code}` : c.kind === 'vital' ? w.names.vital(c.code, c.code) : `${w.names.lab(c.code, c.code)}（LOINC ${c.code}）`;
  return `${name} ${c.value} ${w.language === 'en' ? c.unit : displayUnit(c.unit)} (${w.flag(c.flag)})`;
}

function differentialSection(r: ReportLayout, s: CaseExportSnapshot, differential: Differential, w: Words): void {
  const { S } = w;
  r.para(
    `${S.modelLine(differential.modelId, differential.modelVersion, short(differential.modelSha256), when(s.differentialCreatedAt ?? s.detail.createdAt))}${S.unanswered(differential.unknownFindings)}`,
    { muted: true },
  );
  if (differential.abstained) r.para(S.differentialNotAssessed(differential.abstained.code, differential.abstained.message), { warn: true });
  if (differential.coverageWarning) r.para(differential.coverageWarning.message, { warn: true });
  r.table(
    [
      { header: S.differentialColumns[0], width: 0.04 },
      { header: S.differentialColumns[1], width: 0.26 },
      { header: S.differentialColumns[2], width: 0.13, align: 'right' },
      { header: S.differentialColumns[3], width: 0.57 },
    ],
    differential.items.map((item, i) => [
      String(i + 1),
      `${w.condition(item.label, item.displayName)}${item.icd10 ? `\nICD-10-CM ${item.icd10.code}` : ''}${item.cantMiss ? `\n${S.cantMiss}` : ''}`,
      percent(item.probability),
      contributionList(item, 6, w.explain),
    ]),
  );
  if (differential.criticalValues.length > 0) {
    r.para(S.criticalValues(differential.criticalValues.map((c) => criticalValueText(c, w)).join(w.explain.separator)), { warn: true });
  }
  if (differential.askNext.length > 0) {
    r.para(
      S.askNext(differential.askNext.map((a) => `${w.names.symptom(a.feature)} (${S.bits(a.expectedInformationGain.toFixed(2))})`).join(w.explain.separator)),
      { muted: true },
    );
  }
}

/** The rules' output: shown before any model, as on the case screen. */
function triageSection(r: ReportLayout, t: CaseTriage, w: Words): void {
  const { S } = w;
  const scores: [string, string][] = [
    ['NEWS2 (RCP 2017)', t.news2 ? S.news2Value(t.news2.score, S.news2Risk[t.news2.risk]) : S.notScored],
    ['qSOFA (Sepsis-3)', t.qsofa ? String(t.qsofa.score) : S.notScored],
  ];
  r.keyValues(scores);
  if (t.missing.length > 0)
    r.para(S.notRecordedList(t.missing.map((p) => S.parameter(p, (code) => w.names.vital(code, code))).join(S.listSeparator)), { muted: true });
  if (t.flags.length === 0) r.para(S.noRedFlag, { muted: true });
  else
    r.table(
      [
        { header: S.redFlagColumns[0], width: 0.25 },
        { header: S.redFlagColumns[1], width: 0.12 },
        { header: S.redFlagColumns[2], width: 0.63 },
      ],
      t.flags.map((f) => [S.redFlagName(f.code), S.severities[f.severity], S.redFlagReason(f)]),
    );
}

function riskRow(risk: RiskAssessment, w: Words): string[] {
  const { S } = w;
  // Where the table names the model (zh-CN), the name leads and the id follows; the outcome is the model's name.
  const name = w.names.riskModel(risk.modelId);
  const model = `${name ? `${name}\n` : ''}${risk.modelId} ${risk.modelVersion}`;
  switch (risk.status) {
    case 'ran':
      return [
        model,
        S.riskResult(name ?? risk.positiveLabel, percent(risk.probability)),
        `${risk.scope ? S.trainedOn(risk.scope) : ''}${risk.calibration ? S.calibration(risk.calibration.summary) : ''}${riskContributionList(risk, w.explain)}`,
      ];
    case 'not-run':
      return risk.abstained
        ? [model, S.riskNotAssessed(risk.abstained.code), S.abstention(risk.abstained.code, risk.abstained.message)]
        : [model, S.notRun, S.notRunReason(risk.reason, risk.missing.map(w.names.riskInput).join(', '))];
    default: {
      const unreachable: never = risk;
      throw new Error(`unknown risk status ${JSON.stringify(unreachable)}`);
    }
  }
}

const oneDecimal = (v: number) => (Math.round(v * 10) / 10).toFixed(1);

/** "Length 12.3 mm" or "Region mean 41.2, SD 3.0 (120 pixels, 11.7 mm²)", with frame and who measured. */
export function measurementText(m: ImageMeasurement, frames: number, language: ReportLanguage = 'en'): string {
  const S = reportSentences[language];
  const value = m.length
    ? S.length(oneDecimal(m.length.value), m.length.unit)
    : m.roi
      ? S.region(oneDecimal(m.roi.mean), oneDecimal(m.roi.sd), m.roi.count, oneDecimal(m.roi.area.value), m.roi.area.unit)
      : S.regionEmpty;
  const frame = frames > 1 ? S.frame(m.frame + 1) : '';
  const point = (p: { x: number; y: number }) => `(${oneDecimal(p.x)}, ${oneDecimal(p.y)})`;
  return `${value}${frame}${S.measuredAt(point(m.a), point(m.b), when(m.createdAt), m.createdByName ?? null)}`;
}

function imagesSection(r: ReportLayout, images: ReportImage[], w: Words): void {
  const { S } = w;
  for (const item of images) {
    const img = item.image.summary;
    r.subheading(img.fileName);
    r.para(S.imageLine(img.kind, img.width, img.height, img.frames, when(img.createdAt), img.sha256), { muted: true, size: sizes.small });
    if (item.image.measurements.length > 0) {
      const spacing = item.image.measurements[0]!.spacingSource;
      r.para(`${S.measurementsIntro(spacing ?? null)}\n${item.image.measurements.map((m) => measurementText(m, img.frames, w.language)).join('\n')}`);
    }
    const message = S.imageMessage(img.frames, item.png !== null, item.message);
    if (!item.png) {
      r.para(message ?? S.imageNotShown, { warn: true });
      continue;
    }
    if (item.overlays.length === 0) {
      r.images([{ png: item.png, width: item.width, height: item.height, caption: message ? S.captioned(S.asStored, message) : S.asStored }]);
      continue;
    }
    for (const o of item.overlays) {
      const probabilities = o.run.probabilities
        ? Object.entries(o.run.probabilities)
            .sort((a, b) => b[1] - a[1])
            .map(([label, p]) => `${S.imageLabel(label)} ${percent(p)}`)
            .join(S.listSeparator)
        : S.segmentation;
      const overlayMessage = S.overlayMessage(o.status, o.message, o.run.overlaySha256.slice(0, 12));
      // The run's line stays on the page of its pictures.
      r.ensureSpace(Math.min(240, (r.width - 12) / 2) + 60);
      r.para(S.imageRunLine(o.run.modelId, o.run.modelVersion, short(o.run.modelSha256), when(o.run.createdAt), probabilities));
      const tiles = [{ png: item.png, width: item.width, height: item.height, caption: S.asStored }];
      if (o.png)
        tiles.push({
          png: o.png,
          width: item.width,
          height: item.height,
          caption: S.captioned(S.overlayCaption(o.run.overlayMeaning), overlayMessage),
        });
      r.images(tiles);
      if (!o.png) r.para(overlayMessage, { warn: true });
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
  const w = wordsFor(language);
  const { L, S } = w;
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
    [L.exported, `${when(s.exportedAt)}${L.by(s.exportedBy.displayName)} (${S.roles[s.exportedBy.role]})`],
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
      .map(([f]) => w.names.symptom(f));
  const present = byState('present');
  const absent = byState('absent');
  const unknown = byState('unknown');
  r.keyValues([
    [L.present, present.join(S.listSeparator) || L.noneRecordedShort],
    [L.absent, absent.join(S.listSeparator) || L.noneRecordedShort],
    ...(unknown.length > 0 ? [[L.askedUnknown, unknown.join(S.listSeparator)] as [string, string]] : []),
  ]);

  r.heading(L.headings.measurements);
  if (s.vitals.length + s.labs.length === 0) r.para(`${L.noneRecorded}.`, { muted: true });
  else {
    const unit = (u: string) => (language === 'en' ? u : displayUnit(u));
    r.table(
      [
        { header: L.measurementColumns[0], width: 0.4 },
        { header: L.measurementColumns[1], width: 0.15 },
        { header: L.measurementColumns[2], width: 0.25, align: 'right' },
        { header: L.measurementColumns[3], width: 0.2 },
      ],
      [
        ...s.vitals.map((m) => [w.names.vital(m.code, m.name), m.loinc, `${m.value} ${unit(m.unit)}`.trim(), w.flag(m.flag)]),
        ...s.labs.map((m) => [w.names.lab(m.loinc, m.name), m.loinc, `${m.value} ${unit(m.unit)}`.trim(), w.flag(m.flag)]),
      ],
    );
  }
  const inputs = Object.entries(c.modelInputs).filter(([, v]) => Object.keys(v).length > 0);
  if (inputs.length > 0) {
    r.subheading(S.riskInputsHeading);
    r.keyValues(
      inputs.map(([model, values]) => [
        w.names.riskModel(model) ?? model,
        Object.entries(values)
          .map(([k, v]) => `${w.names.riskInput(k)} = ${v}`)
          .join(', '),
      ]),
    );
  }

  r.heading(L.headings.note);
  if (c.note.trim() === '') r.para(L.noNote, { muted: true });
  else {
    r.para(c.note.length > printedNoteLimit ? `${c.note.slice(0, printedNoteLimit)}…` : c.note);
    if (c.note.length > printedNoteLimit) r.para(S.noteCut(printedNoteLimit, c.note.length), { muted: true });
  }

  r.heading(L.headings.triage);
  if (c.differential?.triage) triageSection(r, c.differential.triage, w);
  else r.para(S.noTriage, { muted: true });

  r.heading(L.headings.differential);
  if (c.differential) differentialSection(r, s, c.differential, w);
  else r.para(S.noDifferential, { muted: true });

  r.heading(L.headings.complaint);
  complaintSection(r, c.complaintSuggestion ?? null, w);

  r.heading(L.headings.risks);
  const risks = c.differential?.riskAssessments ?? [];
  const kidney = c.differential?.kidneyFunction;
  if (kidney) {
    r.para(
      S.kidney({
        egfr: kidney.egfr,
        gStage: kidney.gStage,
        albuminuria: kidney.aStage ? S.albuminuria(kidney.aStage.stage, kidney.aStage.approximate, kidney.aStage.note) : '',
        creatinine: kidney.creatinineMgDl,
        age: kidney.ageYears,
        sex: S.kidneySex[kidney.sex],
        formula: kidney.formula,
      }),
    );
  }
  if (risks.length === 0) r.para(S.noRisk, { muted: true });
  else
    r.table(
      [
        { header: S.riskColumns[0], width: 0.22 },
        { header: S.riskColumns[1], width: 0.2 },
        { header: S.riskColumns[2], width: 0.58 },
      ],
      risks.map((risk) => riskRow(risk, w)),
    );

  r.heading(L.headings.images);
  if (images.length === 0) r.para(S.noImages, { muted: true });
  else imagesSection(r, images, w);

  r.heading(L.headings.decisions);
  if (c.decisions.length === 0) r.para(S.noDecisions, { muted: true });
  else {
    const columns = S.decisionColumns;
    r.table(
      [
        { header: columns[0], width: 0.16 },
        { header: columns[1], width: 0.15 },
        { header: columns[2], width: 0.2 },
        { header: columns[3], width: 0.19 },
        { header: columns[4], width: 0.1 },
        { header: columns[5], width: 0.2 },
      ],
      c.decisions.map((d) => {
        const m = s.suggestionModels[d.suggestionId];
        const item = d.suggestionId === c.suggestionId ? c.differential?.items.find((i) => i.label === d.label) : undefined;
        const english = item && item.displayName !== d.label ? `${item.displayName} (${d.label})` : d.label;
        // A differential item by its clinical name; an image model's label in words.
        const shown = language === 'en' ? english : item ? w.condition(item.label, item.displayName) : S.imageLabel(d.label);
        return [
          when(d.createdAt),
          d.userName ?? d.userId ?? S.unknownUser,
          m ? `${m.modelId} ${m.modelVersion}` : d.suggestionId,
          shown,
          S.actions[d.action],
          d.reason ?? '—',
        ];
      }),
    );
  }
  r.subheading(L.finalDiagnosis);
  const final = c.finalDiagnosis;
  if (!final) r.para(S.noFinal, { muted: true });
  else {
    // The final diagnosis is recorded by name: where it is one of the differential's conditions, it is named in the report's language.
    const known = c.differential?.items.find((i) => i.label === final.label || i.displayName === final.label);
    const title = language === 'en' && s.finalDiagnosisTitle ? ` — ${s.finalDiagnosisTitle}` : '';
    r.keyValues([
      [S.finalRows[0], language === 'en' || !known ? final.label : w.condition(known.label, known.displayName)],
      [S.finalRows[1], final.icd10 ? `${final.icd10}${title}` : S.notCoded],
      [S.finalRows[2], `${when(final.recordedAt)}${final.recordedByName ? S.by(final.recordedByName) : ''}`],
    ]);
  }

  r.heading(L.headings.models);
  if (s.models.length === 0) r.para(S.noModels, { muted: true });
  else {
    r.table(
      [
        { header: S.modelColumns[0], width: 0.2 },
        { header: S.modelColumns[1], width: 0.09 },
        { header: S.modelColumns[2], width: 0.46 },
        { header: S.modelColumns[3], width: 0.25 },
      ],
      s.models.map((m) => [m.id, m.version, m.sha256, `models/artefacts/${m.card}`]),
    );
  }

  r.heading(L.headings.audit);
  const head = s.chain.head;
  r.para(head ? S.chainHead(head.seq, head.hash) : S.chainEmpty);
  if (s.chain.intact) r.para(S.chainIntact(s.chain.events, when(s.chain.checkedAt)), { muted: true });
  else r.para(S.chainBroken(s.chain.firstBrokenSeq, s.chain.reason), { warn: true });
  r.para(S.exportAudited((head?.seq ?? 0) + 1), { muted: true });
  r.para(S.exportId(s.exportId), { muted: true, size: sizes.small });

  if (r.replaced > 0) {
    r.para(S.replacedChars(r.replaced), { warn: true });
  }
  r.footer((page, pages) => L.footer(c.id, when(s.exportedAt), page, pages));
  doc.end();
  return done;
}
