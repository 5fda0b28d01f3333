/**
 * The model explanations and clinician decisions as one-line text, worded the same in the PDF
 * report and in the FHIR bundle (RiskAssessment rationale and notes).
 */
import type { Decision, DifferentialItem, RiskAssessment } from '../../contract/ipcContract';
import { symptomLabel } from '../cases/catalogueService';

const signed = (w: number) => `${w >= 0 ? '+' : ''}${w.toFixed(3)}`;

/** `Cough (present) +0.249; Chills (unknown) +0.076`: the findings that moved an item, strongest first. */
export function contributionList(item: DifferentialItem, limit = item.contributions.length): string {
  if (item.contributions.length === 0) return 'none (the prior alone)';
  return item.contributions
    .slice(0, limit)
    .map((c) => `${symptomLabel(c.feature)} (${c.state}) ${signed(c.weight)}`)
    .join('; ');
}

/** `thalach = 120 +0.079; oldpeak = not given (imputed) -0.028`, then the imputed inputs. */
export function riskContributionList(r: Extract<RiskAssessment, { status: 'ran' }>): string {
  const parts = r.contributions.map(
    (c) => `${c.input} = ${c.value === null ? 'not given' : String(c.value)}${c.imputed ? ' (imputed)' : ''} ${signed(c.weight)}`,
  );
  const imputed = r.imputed.length > 0 ? ` Imputed inputs: ${r.imputed.join(', ')}.` : '';
  return `${parts.join('; ') || 'none'}.${imputed}`;
}

export function decisionText(d: Decision): string {
  return `${d.action} "${d.label}"${d.reason ? `: ${d.reason}` : ''}`;
}
