/**
 * Red-flag rules that need no model. Each rule names its source here and in models/runtime/rules/README.md.
 * A flag is raised only from what the case says: a finding marked present, or a measured value. A
 * finding that is absent or unknown never raises one, and where a value was measured it wins over a
 * finding that says otherwise (a measured "alert" is not altered consciousness), so a flag never
 * contradicts a measured value on the same screen.
 */
import type { LabDefinition, VitalDefinition } from '../vocab/clinicalTypes';
import type { Consciousness, News2Result } from './news2';
import type { QsofaResult } from './qsofa';
import { codeNames, englishRedFlagReason, type ConsciousnessEvidence, type CrossedLimit, type FeverEvidence, type RedFlagReason } from './redFlagReason';

export type FlagSeverity = 'critical' | 'urgent' | 'warning';
export type FindingState = 'present' | 'absent' | 'unknown';

export interface RedFlag {
  code: string;
  severity: FlagSeverity;
  /** Names the values that raised it (English, with finding codes): rendered from reasonParts. */
  reason: string;
  /** The same reason as data, for the UI and the report to render in their language (redFlagReason.ts). */
  reasonParts: RedFlagReason;
}

/** One place builds both: `reason` is the English rendering of the parts. */
const flag = (code: string, severity: FlagSeverity, reasonParts: RedFlagReason): RedFlag => ({
  code,
  severity,
  reason: englishRedFlagReason(reasonParts, codeNames),
  reasonParts,
});

/** Symptom-differential feature names the rules read (models/artefacts/manifest.json, symptom-differential inputs). */
export const ruleFindings = [
  'high_fever',
  'mild_fever',
  'chills',
  'stiff_neck',
  'headache',
  'altered_sensorium',
  'coma',
  'weakness_of_one_body_side',
  'slurred_speech',
  'chest_pain',
  'sweating',
  'breathlessness',
  'nausea',
  'vomiting',
] as const;

/**
 * Findings the rules read that the symptom-differential vocabulary has no name for. Facial droop is
 * the F of FAST; syncope (a transient loss of consciousness) is read with chest pain or
 * breathlessness. A case form, triage line or interview may mark them.
 */
export const triageOnlyFindings = ['facial_droop', 'syncope'] as const;

export interface RuleVitals {
  respiratoryRate?: number | null;
  spo2?: number | null;
  /** °C */
  temperature?: number | null;
  systolicBp?: number | null;
  diastolicBp?: number | null;
  heartRate?: number | null;
  consciousness?: Consciousness | null;
}

export interface RuleLab {
  loinc: string;
  /** In the catalogue's unit for this LOINC. */
  value: number;
}

export interface RuleCatalogue {
  vitals: readonly VitalDefinition[];
  labs: readonly LabDefinition[];
}

export interface RuleInput {
  vitals: RuleVitals;
  findings: Readonly<Record<string, FindingState>>;
  labs: readonly RuleLab[];
  news2: News2Result | null;
  qsofa: QsofaResult | null;
  catalogue: RuleCatalogue;
}

/**
 * Action thresholds from guidelines that are tighter than the catalogue's one-institution critical
 * limits; the stricter of the two applies.
 */
export interface GuidelineLimit {
  loinc: string;
  criticalLow?: number;
  criticalHigh?: number;
  source: string;
}

export const guidelineLimits: readonly GuidelineLimit[] = [
  // Level 2 (clinically significant) hypoglycaemia: < 54 mg/dL (3.0 mmol/L). ADA Standards of Care in
  // Diabetes 2024, section 6 (Glycemic goals and hypoglycemia), table 6.4.
  { loinc: '2345-7', criticalLow: 54, source: 'ADA Standards of Care 2024, level 2 hypoglycaemia' },
  // Severe hyperkalaemia ≥ 6.5 mmol/L: UK Kidney Association, Clinical Practice Guidelines: Treatment of
  // Acute Hyperkalaemia in Adults (2020). The catalogue's borrowed limit (> 6.0) is already stricter.
  { loinc: '2823-3', criticalHigh: 6.5, source: 'UK Kidney Association 2020, severe hyperkalaemia' },
];

const present = (f: RuleInput['findings'], name: string): boolean => f[name] === 'present';
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Measured temperature at which we call it fever: ≥ 38.0 °C (NICE NG143; NEWS2 scores from 38.1). */
export const FEVER_CELSIUS = 38.0;

/** Fever: measured ≥ 38.0 °C, or reported (high_fever / mild_fever present), or null. */
function feverEvidence(input: RuleInput): FeverEvidence | null {
  const t = input.vitals.temperature;
  if (num(t) && t >= FEVER_CELSIUS) return { kind: 'measured', celsius: t };
  const reported = ['high_fever', 'mild_fever'].filter((n) => present(input.findings, n));
  if (reported.length === 0) return null;
  // A history of fever stands beside a normal reading now (antipyretics, intermittent fever); the reason says both.
  return { kind: 'reported', findings: reported, celsiusNow: num(t) ? t : null };
}

/**
 * Altered consciousness: ACVPU other than alert when measured; only when it was not measured, the
 * findings altered_sensorium or coma.
 */
function alteredConsciousness(input: RuleInput): ConsciousnessEvidence | null {
  const c = input.vitals.consciousness;
  if (c !== undefined && c !== null) return c === 'alert' ? null : { kind: 'measured', level: c };
  const f = ['altered_sensorium', 'coma'].filter((n) => present(input.findings, n));
  return f.length > 0 ? { kind: 'reported', findings: f } : null;
}

/**
 * SEPSIS_SUSPECTED (critical): qSOFA ≥ 2 (Singer et al., Sepsis-3, JAMA 2016), or NEWS2 ≥ 5 with fever or
 * chills (RCP NEWS2 2017: "a NEWS2 of 5 or more … consider sepsis" in a patient who may have an
 * infection; NICE NG51 Sepsis, 2016/2024).
 */
function sepsis(input: RuleInput): RedFlag | null {
  let qsofa: Extract<RedFlagReason, { key: 'sepsis' }>['qsofa'] = null;
  if (input.qsofa !== null && input.qsofa.score >= 2) {
    const c = input.qsofa.criteria;
    qsofa = {
      score: input.qsofa.score,
      respiratoryRate: c.respiratoryRate ? (input.vitals.respiratoryRate as number) : null,
      consciousness: c.alteredMentation ? (input.vitals.consciousness as string) : null,
      systolicBp: c.systolicBp ? (input.vitals.systolicBp as number) : null,
    };
  }
  let news2: Extract<RedFlagReason, { key: 'sepsis' }>['news2'] = null;
  if (input.news2 !== null && input.news2.score >= 5) {
    const fever = feverEvidence(input);
    const chills = present(input.findings, 'chills');
    if (fever !== null || chills) news2 = { score: input.news2.score, fever, chills };
  }
  return qsofa !== null || news2 !== null ? flag('SEPSIS_SUSPECTED', 'critical', { key: 'sepsis', qsofa, news2 }) : null;
}

/**
 * MENINGITIS_RED_FLAGS (critical): fever with neck stiffness; or headache with neck stiffness and
 * altered consciousness. NICE NG240 Meningitis (bacterial) and meningococcal disease (2024), symptoms
 * and signs; Attia J et al., JAMA 1999;282:175–181 (the classic triad).
 */
function meningitis(input: RuleInput): RedFlag | null {
  if (!present(input.findings, 'stiff_neck')) return null;
  const fever = feverEvidence(input);
  if (fever !== null) return flag('MENINGITIS_RED_FLAGS', 'critical', { key: 'meningitisFever', fever });
  const altered = alteredConsciousness(input);
  if (present(input.findings, 'headache') && altered !== null) {
    return flag('MENINGITIS_RED_FLAGS', 'critical', { key: 'meningitisHeadache', consciousness: altered });
  }
  return null;
}

/**
 * STROKE_FAST (critical): any of facial droop, one-sided arm/leg weakness, slurred speech (FAST:
 * Harbison J et al., Stroke 2003;34:71–76; NICE NG128 Stroke and TIA, 2019/2022: use FAST outside
 * hospital; any one positive item is a suspected stroke). Hypoglycaemia mimics stroke: a measured low
 * glucose is named in the reason.
 */
function stroke(input: RuleInput): RedFlag | null {
  const signs = ['facial_droop', 'weakness_of_one_body_side', 'slurred_speech'].filter((n) => present(input.findings, n));
  if (signs.length === 0) return null;
  const glucose = input.labs.find((l) => l.loinc === '2345-7');
  const lowGlucose = glucose !== undefined && glucose.value < 70 ? glucose.value : null;
  return flag('STROKE_FAST', 'critical', { key: 'strokeFast', findings: signs, lowGlucose });
}

/**
 * ACS_RED_FLAGS (critical): chest pain with sweating, breathlessness, nausea or vomiting. NICE CG95
 * Recent-onset chest pain of suspected cardiac origin (2010/2016), 1.1.1: refer as an emergency if
 * current chest pain, and the associated features it lists (sweating, nausea and vomiting,
 * breathlessness); ESC 2023 Guidelines for the management of acute coronary syndromes.
 */
function acs(input: RuleInput): RedFlag | null {
  if (!present(input.findings, 'chest_pain')) return null;
  const assoc = ['sweating', 'breathlessness', 'nausea', 'vomiting'].filter((n) => present(input.findings, n));
  if (assoc.length === 0) return null;
  return flag('ACS_RED_FLAGS', 'critical', { key: 'acs', findings: assoc });
}

/**
 * SYNCOPE_RED_FLAGS (critical): syncope with chest pain or breathlessness. ESC 2018 Guidelines for the
 * diagnosis and management of syncope (Brignole et al., Eur Heart J 2018;39:1883–1948), table 6:
 * syncope with new-onset chest discomfort or breathlessness is a major high-risk feature (manage in
 * the emergency department); NICE CG109 Transient loss of consciousness (2010, updated 2023), 1.1.4.3:
 * TLoC with new or unexplained breathlessness needs cardiovascular assessment within 24 hours.
 */
function syncope(input: RuleInput): RedFlag | null {
  if (!present(input.findings, 'syncope')) return null;
  const with_ = ['chest_pain', 'breathlessness'].filter((n) => present(input.findings, n));
  if (with_.length === 0) return null;
  return flag('SYNCOPE_RED_FLAGS', 'critical', { key: 'syncope', findings: with_ });
}

/**
 * NEWS2 clinical response (RCP 2017, table 3): 7+ emergency response (critical); 5–6 urgent response
 * (urgent); a single parameter scoring 3 urgent ward-based review (warning).
 */
function news2Flag(input: RuleInput): RedFlag | null {
  const n = input.news2;
  if (n === null) return null;
  if (n.risk === 'high') return flag('NEWS2_HIGH', 'critical', { key: 'news2High', score: n.score });
  if (n.risk === 'medium') return flag('NEWS2_MEDIUM', 'urgent', { key: 'news2Medium', score: n.score });
  if (n.risk === 'low-medium') {
    const threes = Object.entries(n.parameters)
      .filter(([, s]) => s === 3)
      .map(([p]) => p);
    return flag('NEWS2_SINGLE_PARAMETER', 'warning', { key: 'news2SingleParameter', score: n.score, parameters: threes });
  }
  return null;
}

/**
 * CRITICAL_VITAL / CRITICAL_LAB (critical): a measured value beyond the clinical catalogue's critical
 * limits (models/runtime/vocab, one institution's "danger" limits from NLM flowsheet-lhc, plus the limits we
 * authored there), or beyond the guideline limits above. Critical limits are exceeded strictly, as in
 * classifyValue. Weight has no critical limits.
 */
function criticalValues(input: RuleInput): RedFlag[] {
  const flags: RedFlag[] = [];
  for (const def of input.catalogue.vitals) {
    const v = (input.vitals as Record<string, unknown>)[def.code];
    if (!num(v)) continue;
    const vital = { key: 'criticalVital', vital: def.code, value: v, unit: def.unit } as const;
    if (def.criticalLow !== null && v < def.criticalLow) {
      flags.push(flag('CRITICAL_VITAL', 'critical', { ...vital, direction: 'below', limit: def.criticalLow }));
    } else if (def.criticalHigh !== null && v > def.criticalHigh) {
      flags.push(flag('CRITICAL_VITAL', 'critical', { ...vital, direction: 'above', limit: def.criticalHigh }));
    }
  }
  for (const lab of input.labs) {
    const def = input.catalogue.labs.find((d) => d.loinc === lab.loinc);
    if (def === undefined || !num(lab.value)) continue;
    const g = guidelineLimits.find((x) => x.loinc === lab.loinc);
    const crossed: CrossedLimit[] = [];
    let direction: 'below' | 'above' | null = null;
    if (def.criticalLow !== null && lab.value < def.criticalLow) {
      direction = 'below';
      crossed.push({ value: def.criticalLow, source: null });
    }
    if (g?.criticalLow !== undefined && lab.value < g.criticalLow) {
      direction = 'below';
      crossed.unshift({ value: g.criticalLow, source: g.source });
    }
    if (def.criticalHigh !== null && lab.value > def.criticalHigh) {
      direction = 'above';
      crossed.push({ value: def.criticalHigh, source: null });
    }
    if (g?.criticalHigh !== undefined && lab.value > g.criticalHigh) {
      direction = 'above';
      crossed.unshift({ value: g.criticalHigh, source: g.source });
    }
    if (direction !== null) {
      flags.push(
        flag('CRITICAL_LAB', 'critical', {
          key: 'criticalLab',
          loinc: lab.loinc,
          name: def.name,
          value: lab.value,
          unit: def.unit,
          direction,
          limits: crossed,
        }),
      );
    }
  }
  return flags;
}

const severityOrder: Readonly<Record<FlagSeverity, number>> = { critical: 0, urgent: 1, warning: 2 };

/** Every rule, most severe first (stable within a severity: the order the rules are listed here). */
export function evaluateRedFlags(input: RuleInput): RedFlag[] {
  const flags = [sepsis(input), meningitis(input), stroke(input), acs(input), syncope(input), ...criticalValues(input), news2Flag(input)].filter(
    (f): f is RedFlag => f !== null,
  );
  return flags
    .map((f, i) => [f, i] as const)
    .sort((a, b) => severityOrder[a[0].severity] - severityOrder[b[0].severity] || a[1] - b[1])
    .map(([f]) => f);
}
