/**
 * Runtime of the `ddxplus-differential` model: a Lantern forest over the DDXPlus columns
 * (ddxplusEncoding.ts) for the differential, with scope checks, and "ask next" by expected
 * information gain (ddxplusQuestions.ts). Node built-ins only.
 */
import { forestInternals, type ForestInternals, type ForestModel } from '../forest/forestRuntime';
import { DdxEncoder, DdxInputError, type DdxFeatures, type DdxPatient, type EvidencesFile } from './ddxplusEncoding';
import { DdxQuestionPicker, type AnswerFrequenciesFile, type AskNextItem } from './ddxplusQuestions';
import { applyTemperature } from './ddxplusCalibration';

export { ANSWER_FREQUENCIES_FORMAT, validateAnswerFrequencies } from './ddxplusQuestions';
export type { AnswerFrequenciesFile, AskNextItem } from './ddxplusQuestions';

export type AbstentionCode = 'INSUFFICIENT_INPUTS' | 'OUT_OF_SCOPE' | 'OUT_OF_DISTRIBUTION' | 'MEETS_DIAGNOSTIC_CRITERIA';
export interface Abstention {
  code: AbstentionCode;
  message: string;
  missing?: string[];
}

export interface DdxScope {
  ageYears: { min: number; max: number };
  /** Evidences that may be the initial complaint (those seen as one in training). */
  initialEvidences: string[];
}

export type DdxPrediction = { probabilities: Record<string, number> } | { abstained: Abstention };

export class DdxplusModel {
  readonly forest: ForestModel;
  readonly encoder: DdxEncoder;
  readonly scope: DdxScope;
  readonly labels: readonly string[];
  readonly questions: DdxQuestionPicker;
  private readonly fi: ForestInternals;
  private readonly initial: Set<string>;
  /** Temperature on the vote fractions (ddxplusCalibration.ts); 1 = raw fractions. */
  readonly temperature: number;

  constructor(forest: ForestModel, evidences: EvidencesFile, frequencies: AnswerFrequenciesFile, scope: DdxScope, temperature = 1) {
    this.forest = forest;
    this.encoder = new DdxEncoder(evidences);
    if (JSON.stringify(this.encoder.columns) !== JSON.stringify(forest.features))
      throw new TypeError('DDXPlus evidences file does not give the forest’s columns');
    this.labels = forest.labels;
    if (JSON.stringify(frequencies.labels) !== JSON.stringify(forest.labels)) throw new TypeError('DDXPlus answer frequencies do not name the forest’s labels');
    this.questions = new DdxQuestionPicker(this.encoder, frequencies);
    this.scope = scope;
    this.initial = new Set(scope.initialEvidences);
    this.fi = forestInternals(forest);
    this.temperature = temperature;
  }

  /** Validates a line's patient and features (throws DdxInputError naming the field). */
  parse(patient: unknown, features: unknown): { patient: DdxPatient; features: DdxFeatures } {
    return { patient: this.encoder.normalisePatient(patient), features: this.encoder.normalise(features) };
  }

  /** Scope: age inside the training range; age, sex and an initial complaint (an evidence answered yes) known. */
  checkScope(patient: DdxPatient, features: DdxFeatures): Abstention | null {
    const { min, max } = this.scope.ageYears;
    if (patient.ageYears !== undefined && (patient.ageYears < min || patient.ageYears > max)) {
      return { code: 'OUT_OF_SCOPE', message: `The DDXPlus model was trained on patients aged ${min}–${max} years; this patient is ${patient.ageYears}.` };
    }
    const missing: string[] = [];
    if (patient.ageYears === undefined) missing.push('patient.ageYears');
    if (patient.sex === undefined) missing.push('patient.sex');
    const hasComplaint = Object.entries(features).some(([k, v]) => v === 1 && this.initial.has(k));
    if (!hasComplaint) missing.push('initial complaint');
    if (missing.length > 0) {
      return {
        code: 'INSUFFICIENT_INPUTS',
        message: `The differential needs the patient's age, sex and the presenting complaint (a symptom answered yes, such as chest pain E_53 or cough E_201); missing: ${missing.join(', ')}.`,
        missing,
      };
    }
    return null;
  }

  /** Vote fractions per label (no scope check; for evaluation of encoded rows). */
  votesOf(x: Float64Array): Int32Array {
    return this.fi.votes(x);
  }

  predictChecked(patient: DdxPatient, features: DdxFeatures): DdxPrediction {
    const abst = this.checkScope(patient, features);
    if (abst !== null) return { abstained: abst };
    return { probabilities: this.probabilitiesOf(this.fi.votes(this.encoder.encode(patient, features))) };
  }

  /** Raw line fields → prediction or abstention; throws DdxInputError for a bad value. */
  predict(patient: unknown, features: unknown): DdxPrediction {
    const p = this.parse(patient, features);
    return this.predictChecked(p.patient, p.features);
  }

  /** Vote counts → calibrated probabilities per label. */
  probabilitiesOf(counts: Int32Array): Record<string, number> {
    const nT = this.fi.nTrees;
    const p = applyTemperature(
      Float64Array.from(counts, (k) => k / nT),
      this.temperature,
    );
    const out: Record<string, number> = {};
    this.labels.forEach((l, i) => {
      out[l] = p[i] as number;
    });
    return out;
  }

  /** The best `count` questions to ask next, best first; never an evidence already known. */
  askNext(_patient: DdxPatient, features: DdxFeatures, count = 5): AskNextItem[] {
    return this.questions.askNext(features, count);
  }
}

export { DdxInputError };
