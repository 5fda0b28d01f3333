/**
 * The model explanations and clinician decisions as one-line text, worded the same in the PDF
 * report and in the FHIR bundle (RiskAssessment rationale and notes). The PDF passes its own
 * language's words; the FHIR bundle uses the English defaults.
 */
import type { Decision, DifferentialItem, FindingState, RiskAssessment } from '../../contract/ipcContract';
import { symptomLabel } from '../cases/catalogueService';

const signed = (w: number) => `${w >= 0 ? '+' : ''}${w.toFixed(3)}`;

/** The words an explanation is written in (English unless the report asks otherwise). */
export interface ExplanationWords {
  symptom: (code: string) => string;
  /** A risk model's input by its dataset name. */
  input: (name: string) => string;
  state: Record<FindingState, string>;
  priorAlone: string;
  notGiven: string;
  imputed: string;
  imputedInputs: (names: string) => string;
  none: string;
  /** Between items of a list. */
  separator: string;
  /** Closes a sentence. */
  stop: string;
}

export const englishExplanationWords: ExplanationWords = {
  symptom: symptomLabel,
  input: (name) => name,
  state: { present: 'present', absent: 'absent', unknown: 'unknown' },
  priorAlone: 'none (the prior alone)',
  notGiven: 'not given',
  imputed: ' (imputed)',
  imputedInputs: (names) => ` Imputed inputs: ${names}.`,
  none: 'none',
  separator: '; ',
  stop: '.',
};

/** `Cough (present) +0.249; Chills (unknown) +0.076`: the findings that moved an item, strongest first. */
export function contributionList(item: DifferentialItem, limit = item.contributions.length, w: ExplanationWords = englishExplanationWords): string {
  if (item.contributions.length === 0) return w.priorAlone;
  return item.contributions
    .slice(0, limit)
    .map((c) => `${w.symptom(c.feature)} (${w.state[c.state]}) ${signed(c.weight)}`)
    .join(w.separator);
}

/** `thalach = 120 +0.079; oldpeak = not given (imputed) -0.028`, then the imputed inputs. */
export function riskContributionList(r: Extract<RiskAssessment, { status: 'ran' }>, w: ExplanationWords = englishExplanationWords): string {
  const parts = r.contributions.map(
    (c) => `${w.input(c.input)} = ${c.value === null ? w.notGiven : String(c.value)}${c.imputed ? w.imputed : ''} ${signed(c.weight)}`,
  );
  const imputed = r.imputed.length > 0 ? w.imputedInputs(r.imputed.map(w.input).join(', ')) : '';
  return `${parts.join(w.separator) || w.none}${w.stop}${imputed}`;
}

export function decisionText(d: Decision): string {
  return `${d.action} "${d.label}"${d.reason ? `: ${d.reason}` : ''}`;
}
