/**
 * What goes into clinicalCatalogue.json and how it is derived from lab-reference-ranges.csv.
 * Pure (no I/O), so the build script and the tests share it. Every number we author ourselves
 * (physiological limits; vital-sign limits the CSV lacks) is here and in models/runtime/vocab/README.md.
 */
import type { LabDefinition, VitalCode, VitalDefinition } from './clinicalTypes';

export interface WantedLab {
  loinc: string;
  /** Our display name (the CSV's LOINC long names are long). */
  name: string;
  plausibleMin: number;
  plausibleMax: number;
  /** Why this LOINC code and not the one usually quoted, if so. */
  note?: string;
  /**
   * Critical limits taken from ANOTHER row of the same CSV where this code's row has none (the
   * serum/plasma chemistry rows lack them; the whole-blood rows of the same analyte have them).
   */
  borrowCritical?: { loinc: string; reason: string };
}

const WHOLE_BLOOD =
  'serum/plasma row has no critical limits; the same CSV’s whole-blood row for the same analyte and unit has them, and the action thresholds are the same in serum';

/** ~25 tests a rural clinic or district hospital would do; plausible limits are OURS (see README). */
export const WANTED_LABS: readonly WantedLab[] = [
  { loinc: '718-7', name: 'Haemoglobin', plausibleMin: 1, plausibleMax: 25 },
  { loinc: '4544-3', name: 'Haematocrit', plausibleMin: 5, plausibleMax: 75 },
  { loinc: '787-2', name: 'Mean cell volume (MCV)', plausibleMin: 40, plausibleMax: 160 },
  { loinc: '26464-8', name: 'White cell count', plausibleMin: 0, plausibleMax: 500, note: 'CSV has no 6690-2; 26464-8 is Leukocytes [#/volume] in Blood' },
  { loinc: '26515-7', name: 'Platelet count', plausibleMin: 0, plausibleMax: 3000, note: 'CSV has no 777-3; 26515-7 is Platelets [#/volume] in Blood' },
  { loinc: '2951-2', name: 'Sodium', plausibleMin: 90, plausibleMax: 200, borrowCritical: { loinc: '2947-0', reason: WHOLE_BLOOD } },
  { loinc: '2823-3', name: 'Potassium', plausibleMin: 1, plausibleMax: 12, borrowCritical: { loinc: '6298-4', reason: WHOLE_BLOOD } },
  { loinc: '2075-0', name: 'Chloride', plausibleMin: 50, plausibleMax: 150, borrowCritical: { loinc: '2069-3', reason: WHOLE_BLOOD } },
  {
    loinc: '2028-9',
    name: 'Bicarbonate (total CO2)',
    plausibleMin: 2,
    plausibleMax: 60,
    note: 'CSV has no 1963-8; 2028-9 is Carbon dioxide, total, in Serum or Plasma',
    borrowCritical: {
      loinc: '1959-6',
      reason:
        'total-CO2 row has no critical limits; the same CSV’s bicarbonate-in-blood row (mEq/L = mmol/L) has them; total CO2 runs ~1 mmol/L above bicarbonate, immaterial at 10/40',
    },
  },
  { loinc: '3094-0', name: 'Urea nitrogen (BUN)', plausibleMin: 1, plausibleMax: 300 },
  { loinc: '2160-0', name: 'Creatinine', plausibleMin: 0.05, plausibleMax: 40 },
  { loinc: '2345-7', name: 'Glucose', plausibleMin: 10, plausibleMax: 2500, borrowCritical: { loinc: '2339-0', reason: WHOLE_BLOOD } },
  { loinc: '4548-4', name: 'HbA1c', plausibleMin: 2, plausibleMax: 25 },
  { loinc: '1742-6', name: 'ALT', plausibleMin: 0, plausibleMax: 20000 },
  { loinc: '1920-8', name: 'AST', plausibleMin: 0, plausibleMax: 40000 },
  { loinc: '6768-6', name: 'Alkaline phosphatase', plausibleMin: 0, plausibleMax: 10000 },
  { loinc: '1975-2', name: 'Bilirubin, total', plausibleMin: 0, plausibleMax: 80 },
  { loinc: '1751-7', name: 'Albumin', plausibleMin: 0.5, plausibleMax: 7 },
  {
    loinc: '1988-5',
    name: 'C-reactive protein',
    plausibleMin: 0,
    plausibleMax: 100,
    note: 'range given in mg/dL (UNITS_DISPLAY says mg/L, but 0–0.49 is the mg/dL range)',
  },
  { loinc: '4537-7', name: 'ESR (Westergren)', plausibleMin: 0, plausibleMax: 200 },
  { loinc: '10839-9', name: 'Troponin I', plausibleMin: 0, plausibleMax: 1000 },
  { loinc: '2524-7', name: 'Lactate', plausibleMin: 0.1, plausibleMax: 40 },
  { loinc: '17861-6', name: 'Calcium', plausibleMin: 2, plausibleMax: 25 },
  { loinc: '6301-6', name: 'INR', plausibleMin: 0.5, plausibleMax: 20 },
  { loinc: '3016-3', name: 'TSH', plausibleMin: 0, plausibleMax: 1000 },
];

export type Conversion = 'none' | 'degF->degC' | 'lb->kg';

export interface WantedVital {
  code: VitalCode;
  loinc: string;
  unit: string;
  /** How the CSV's figures are converted into `unit`. */
  conversion: Conversion;
  plausibleMin: number;
  plausibleMax: number;
  /** Used only where the CSV row lacks the figure. */
  authored: Partial<Pick<VitalDefinition, 'normalLow' | 'normalHigh' | 'criticalLow' | 'criticalHigh'>>;
  /** CSV limits deliberately NOT used (set to null), with the reason. */
  ignoreCsv?: { fields: ('criticalLow' | 'criticalHigh')[]; reason: string };
  note?: string;
}

export const WANTED_VITALS: readonly WantedVital[] = [
  {
    code: 'temperature',
    loinc: '8310-5',
    unit: '°C',
    conversion: 'degF->degC',
    plausibleMin: 25,
    plausibleMax: 45,
    authored: { criticalLow: 35.0, criticalHigh: 40.0 },
    note: 'CSV range is in °F; converted and rounded to 0.1 °C',
  },
  { code: 'heartRate', loinc: '8867-4', unit: '/min', conversion: 'none', plausibleMin: 20, plausibleMax: 300, authored: {} },
  { code: 'respiratoryRate', loinc: '9279-1', unit: '/min', conversion: 'none', plausibleMin: 4, plausibleMax: 80, authored: {} },
  { code: 'systolicBp', loinc: '8480-6', unit: 'mmHg', conversion: 'none', plausibleMin: 40, plausibleMax: 300, authored: {} },
  { code: 'diastolicBp', loinc: '8462-4', unit: 'mmHg', conversion: 'none', plausibleMin: 20, plausibleMax: 200, authored: {} },
  {
    code: 'spo2',
    loinc: '2708-6',
    unit: '%',
    conversion: 'none',
    plausibleMin: 40,
    plausibleMax: 100,
    authored: { criticalLow: 90 },
    note: 'CSV has no 59408-5; 2708-6 is Oxygen saturation in Arterial blood',
  },
  {
    code: 'weight',
    loinc: '29463-7',
    unit: 'kg',
    conversion: 'lb->kg',
    plausibleMin: 0.3,
    plausibleMax: 350,
    authored: {},
    ignoreCsv: {
      fields: ['criticalLow', 'criticalHigh'],
      reason: "the CSV's 29463-7 row is maternal weight with danger limits equal to its normal range; weight has no critical limits",
    },
    note: "CSV range is in lb for adults (maternal weight); converted and rounded to 0.1 kg. Children will flag 'low'",
  },
];

/** Units as the CSV writes them → how we show them (same quantity). */
export const UNIT_ALIASES: Readonly<Record<string, string>> = {
  'units/L': 'U/L',
  'cu µm': 'fL',
  'mm/hr': 'mm/h',
  'mm Hg': 'mmHg',
  'INR(POC)': 'INR',
};

/**
 * Where a row's range text (`norm_range`) and its numbers (`norm_low`, `norm_high`) disagree, which
 * one the catalogue uses and why. The build fails on any disagreement not listed here, so a new CSV
 * cannot slip a figure past review. Listed in models/runtime/vocab/README.md ("Range text audit").
 */
export interface RangeTextResolution {
  loinc: string;
  field: 'normalLow' | 'normalHigh';
  /** The row's norm_low/norm_high. */
  csvNumber: number;
  /** The same bound as the row's range text writes it. */
  rangeText: number;
  use: 'rangeText' | 'csvNumber';
  reason: string;
}

export const RANGE_TEXT_RESOLUTIONS: readonly RangeTextResolution[] = [
  {
    loinc: '10839-9',
    field: 'normalHigh',
    csvNumber: 0.4,
    rangeText: 0.04,
    use: 'rangeText',
    reason:
      'troponin I: 0.04 ng/mL is the order of the 99th-percentile upper reference limit of contemporary cTnI assays; 0.4 is a decimal slip that would read a myocardial infarction as normal',
  },
  {
    loinc: '2345-7',
    field: 'normalHigh',
    csvNumber: 115,
    rangeText: 140,
    use: 'rangeText',
    reason:
      'glucose, serum/plasma, sample timing unknown: 70–140 mg/dL is the usual non-fasting range the row states; 115 matches neither the fasting (< 100) nor the non-fasting (< 140) limit. Diabetes criteria (fasting ≥ 126, 2-h OGTT ≥ 200) are applied by the models’ scope rules, not by this flag',
  },
  {
    loinc: '2075-0',
    field: 'normalLow',
    csvNumber: 96,
    rangeText: 98,
    use: 'rangeText',
    reason: 'chloride: the row states 98–106 mmol/L, the usual adult serum range; 96 disagrees with its own row',
  },
  {
    loinc: '2028-9',
    field: 'normalLow',
    csvNumber: 24,
    rangeText: 21,
    use: 'rangeText',
    reason: 'total CO2: the row states 21–30 mmol/L; a lower limit of 24 would flag many healthy adults (usual range about 22–29) as low',
  },
  {
    loinc: '4537-7',
    field: 'normalHigh',
    csvNumber: 30,
    rangeText: 29,
    use: 'rangeText',
    reason: 'ESR: the row states 0–29 mm/h; whole-number results differ only at exactly 30',
  },
];

/**
 * The two bounds of a range text such as "12.0-16.0", "70 -140" or "0 - 0.04"; null when the text
 * is empty or not of that form (then there is nothing to cross-check).
 */
export function parseRangeText(text: string | undefined): { low: number; high: number } | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$/.exec(text ?? '');
  if (m === null) return null;
  return { low: Number(m[1]), high: Number(m[2]) };
}

/** A disagreement between a row's numbers and its range text (before any unit conversion). */
export interface RangeTextDisagreement {
  loinc: string;
  field: 'normalLow' | 'normalHigh';
  csvNumber: number | null;
  rangeText: number;
}

export function rangeTextDisagreements(r: CsvRow): RangeTextDisagreement[] {
  const text = parseRangeText(r.norm_range);
  if (text === null) return [];
  const out: RangeTextDisagreement[] = [];
  const low = csvNumber(r.norm_low);
  const high = csvNumber(r.norm_high);
  if (low !== text.low) out.push({ loinc: r.LOINC_MERGED.trim(), field: 'normalLow', csvNumber: low, rangeText: text.low });
  if (high !== text.high) out.push({ loinc: r.LOINC_MERGED.trim(), field: 'normalHigh', csvNumber: high, rangeText: text.high });
  return out;
}

/**
 * The row's normal range after the audit: its numbers, except where RANGE_TEXT_RESOLUTIONS says to
 * use the range text. Throws on a disagreement nobody has resolved, or a resolution that no longer
 * matches the row.
 */
export function auditedNormalRange(r: CsvRow, loinc: string): { normalLow: number | null; normalHigh: number | null; applied: RangeTextResolution[] } {
  let normalLow = csvNumber(r.norm_low);
  let normalHigh = csvNumber(r.norm_high);
  const applied: RangeTextResolution[] = [];
  for (const d of rangeTextDisagreements(r)) {
    const res = RANGE_TEXT_RESOLUTIONS.find((x) => x.loinc === loinc && x.field === d.field);
    if (res === undefined || res.csvNumber !== d.csvNumber || res.rangeText !== d.rangeText) {
      throw new Error(
        `${loinc} ${d.field}: the row says ${String(d.csvNumber)} but its range text "${r.norm_range}" says ${d.rangeText}; ` +
          'resolve it in RANGE_TEXT_RESOLUTIONS (catalogueSpec.ts) and models/runtime/vocab/README.md',
      );
    }
    if (res.use === 'rangeText') {
      if (d.field === 'normalLow') normalLow = d.rangeText;
      else normalHigh = d.rangeText;
    }
    applied.push(res);
  }
  for (const res of RANGE_TEXT_RESOLUTIONS.filter((x) => x.loinc === loinc)) {
    if (!applied.includes(res)) throw new Error(`${loinc} ${res.field}: resolution listed but the row no longer disagrees with its range text`);
  }
  return { normalLow, normalHigh, applied };
}

export interface CsvRow {
  LOINC_MERGED: string;
  LONG_COMMON_NAME_LOINC: string;
  units_normRange: string;
  /** The row's own range text, e.g. "0 - 0.04": cross-checked against norm_low/norm_high. */
  norm_range: string;
  norm_low: string;
  norm_high: string;
  danger_low: string;
  danger_high: string;
  UNITS_DISPLAY: string;
}

export function csvNumber(s: string | undefined): number | null {
  const t = (s ?? '').trim();
  if (t === '') return null;
  const v = Number(t);
  if (!Number.isFinite(v)) throw new Error(`not a number: "${s}"`);
  return v;
}

/**
 * The row used for a LOINC code: among rows whose LOINC_MERGED is the code, the first (file order)
 * with both norm_low and norm_high; failing that, the first. (In the shipped CSV every code used
 * here has exactly one row.)
 */
export function pickRow(rows: readonly CsvRow[], loinc: string): CsvRow | undefined {
  const matching = rows.filter((r) => r.LOINC_MERGED.trim() === loinc);
  return matching.find((r) => csvNumber(r.norm_low) !== null && csvNumber(r.norm_high) !== null) ?? matching[0];
}

/** The unit a row's range is expressed in: units_normRange, else UNITS_DISPLAY, through UNIT_ALIASES. */
export function rowUnit(r: CsvRow): string {
  const raw = r.units_normRange.trim() !== '' ? r.units_normRange.trim() : r.UNITS_DISPLAY.trim();
  return UNIT_ALIASES[raw] ?? raw;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

export function convert(v: number | null, c: Conversion): number | null {
  if (v === null) return null;
  if (c === 'degF->degC') return round1(((v - 32) * 5) / 9);
  if (c === 'lb->kg') return round1(v * 0.45359237);
  return v;
}

export interface Provenance {
  csvLoinc: string | null;
  csvName: string | null;
  csvUnit: string | null;
  fromCsv: string[];
  authored: string[];
  /** Fields taken from another row of the CSV (see WantedLab.borrowCritical). */
  borrowed?: { loinc: string; csvName: string; fields: string[]; reason: string };
  /** The row's own range text, as the CSV writes it (in csvUnit): the committed figures are checked against it. */
  csvRangeText?: string;
  /** Where the row's numbers and its range text disagreed: which was used and why. */
  rangeTextResolutions?: { field: 'normalLow' | 'normalHigh'; csvNumber: number; rangeText: number; used: number; reason: string }[];
  note?: string;
}

function rangeTextProvenance(r: CsvRow, applied: readonly RangeTextResolution[]): Pick<Provenance, 'csvRangeText' | 'rangeTextResolutions'> {
  const text = (r.norm_range ?? '').trim();
  return {
    ...(text !== '' ? { csvRangeText: text } : {}),
    ...(applied.length > 0
      ? {
          rangeTextResolutions: applied.map((a) => ({
            field: a.field,
            csvNumber: a.csvNumber,
            rangeText: a.rangeText,
            used: a.use === 'rangeText' ? a.rangeText : a.csvNumber,
            reason: a.reason,
          })),
        }
      : {}),
  };
}

export interface BuiltCatalogue {
  vitals: VitalDefinition[];
  labs: LabDefinition[];
  missingLabs: string[];
  provenance: Record<string, Provenance>;
}

export function buildCatalogue(rows: readonly CsvRow[]): BuiltCatalogue {
  const provenance: Record<string, Provenance> = {};
  const missingLabs: string[] = [];
  const labs: LabDefinition[] = [];
  for (const w of WANTED_LABS) {
    const r = pickRow(rows, w.loinc);
    if (r === undefined) {
      missingLabs.push(w.loinc);
      continue;
    }
    const audited = auditedNormalRange(r, w.loinc);
    const def: LabDefinition = {
      loinc: w.loinc,
      name: w.name,
      unit: rowUnit(r),
      normalLow: audited.normalLow,
      normalHigh: audited.normalHigh,
      criticalLow: csvNumber(r.danger_low),
      criticalHigh: csvNumber(r.danger_high),
      plausibleMin: w.plausibleMin,
      plausibleMax: w.plausibleMax,
    };
    const fromCsv = ['unit', 'normalLow', 'normalHigh', 'criticalLow', 'criticalHigh'];
    let borrowed: Provenance['borrowed'];
    if (w.borrowCritical !== undefined) {
      const b = pickRow(rows, w.borrowCritical.loinc);
      if (b === undefined) throw new Error(`lab ${w.loinc}: row ${w.borrowCritical.loinc} to borrow critical limits from is not in the CSV`);
      if (rowUnit(b).toLowerCase() !== def.unit.toLowerCase() && !(rowUnit(b) === 'mEq/L' && def.unit === 'mmol/L')) {
        throw new Error(`lab ${w.loinc}: row ${w.borrowCritical.loinc} is in ${rowUnit(b)}, not ${def.unit}`);
      }
      const fields: string[] = [];
      if (def.criticalLow === null && csvNumber(b.danger_low) !== null) {
        def.criticalLow = csvNumber(b.danger_low);
        fields.push('criticalLow');
      }
      if (def.criticalHigh === null && csvNumber(b.danger_high) !== null) {
        def.criticalHigh = csvNumber(b.danger_high);
        fields.push('criticalHigh');
      }
      if (fields.length > 0) {
        borrowed = { loinc: w.borrowCritical.loinc, csvName: b.LONG_COMMON_NAME_LOINC, fields, reason: w.borrowCritical.reason };
        fields.forEach((f) => fromCsv.splice(fromCsv.indexOf(f), 1));
      }
    }
    labs.push(def);
    provenance[`labs.${w.loinc}`] = {
      csvLoinc: w.loinc,
      csvName: r.LONG_COMMON_NAME_LOINC,
      csvUnit: r.units_normRange.trim() || r.UNITS_DISPLAY.trim(),
      fromCsv,
      authored: ['name', 'plausibleMin', 'plausibleMax'],
      ...(borrowed !== undefined ? { borrowed } : {}),
      ...rangeTextProvenance(r, audited.applied),
      ...(w.note !== undefined ? { note: w.note } : {}),
    };
  }

  const vitals: VitalDefinition[] = WANTED_VITALS.map((w) => {
    const r = pickRow(rows, w.loinc);
    const audited = r ? auditedNormalRange(r, w.loinc) : null;
    const fromCsv: string[] = [];
    const authored: string[] = ['plausibleMin', 'plausibleMax'];
    const field = (name: 'normalLow' | 'normalHigh' | 'criticalLow' | 'criticalHigh', csv: string | undefined): number | null => {
      const ignored = w.ignoreCsv?.fields.includes(name as 'criticalLow' | 'criticalHigh') ?? false;
      const fromRow = ignored ? null : convert(csvNumber(csv), w.conversion);
      if (fromRow !== null) {
        fromCsv.push(name);
        return fromRow;
      }
      const a = w.authored[name];
      if (a !== undefined) {
        authored.push(name);
        return a;
      }
      return null;
    };
    const normalLow = field('normalLow', audited?.normalLow?.toString() ?? r?.norm_low);
    const normalHigh = field('normalHigh', audited?.normalHigh?.toString() ?? r?.norm_high);
    const criticalLow = field('criticalLow', r?.danger_low);
    const criticalHigh = field('criticalHigh', r?.danger_high);
    if (normalLow === null || normalHigh === null) throw new Error(`vital ${w.code}: no normal range in the CSV and none authored`);
    const notes = [w.note, w.ignoreCsv ? `CSV ${w.ignoreCsv.fields.join('/')} not used: ${w.ignoreCsv.reason}` : undefined].filter(
      (n): n is string => n !== undefined,
    );
    provenance[`vitals.${w.code}`] = {
      csvLoinc: r ? w.loinc : null,
      csvName: r ? r.LONG_COMMON_NAME_LOINC : null,
      csvUnit: r ? r.units_normRange.trim() || r.UNITS_DISPLAY.trim() : null,
      fromCsv,
      authored,
      ...(r ? rangeTextProvenance(r, audited?.applied ?? []) : {}),
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    };
    return {
      code: w.code,
      loinc: w.loinc,
      unit: w.unit,
      normalLow,
      normalHigh,
      criticalLow,
      criticalHigh,
      plausibleMin: w.plausibleMin,
      plausibleMax: w.plausibleMax,
    };
  });
  return { vitals, labs, missingLabs, provenance };
}
