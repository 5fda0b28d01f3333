import { describe, expect, it } from 'vitest';

import { FOREST_FORMAT, validateForestArtefact, type ForestTreeJson } from '../forest/forestFormat';
import { createForestModel } from '../forest/forestRuntime';
import { DdxEncoder, EVIDENCES_FORMAT, type EvidencesFile } from './ddxplusEncoding';
import { ANSWER_FREQUENCIES_FORMAT, DdxplusModel, type AnswerFrequenciesFile } from './ddxplusModel';

const FILE: EvidencesFile = {
  format: EVIDENCES_FORMAT,
  source: 'test',
  evidences: [
    { name: 'E_53', type: 'binary', antecedent: false, question: { en: 'Pain?', fr: 'Douleur?' } },
    {
      name: 'E_56',
      type: 'categorical',
      parent: 'E_53',
      antecedent: false,
      question: { en: 'How intense?', fr: 'Intensité?' },
      values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      defaultValue: 0,
    },
    { name: 'E_91', type: 'binary', antecedent: false, question: { en: 'Fever?', fr: 'Fièvre?' } },
    { name: 'E_97', type: 'binary', antecedent: false, question: { en: 'Sore throat?', fr: 'Gorge?' } },
  ],
};
const enc = new DdxEncoder(FILE);
const col = (name: string): number => enc.columns.indexOf(name);

/** A tree from nested nodes: [column, threshold, left, right] or a leaf's label index. */
type Node = number | [string, number, Node, Node];
function tree(root: Node): ForestTreeJson {
  const t: ForestTreeJson = { feature: [], threshold: [], left: [], right: [], vote: [], samples: [], dist: [] };
  const walk = (n: Node): number[] => {
    const id = t.feature.length;
    t.feature.push(-1);
    t.threshold.push(0);
    t.left.push(-1);
    t.right.push(-1);
    t.vote.push(-1);
    t.samples.push(0);
    t.dist.push([]);
    let counts: number[];
    if (typeof n === 'number') {
      t.vote[id] = n;
      counts = [0, 0];
      counts[n] = 1;
    } else {
      t.feature[id] = col(n[0]);
      t.threshold[id] = n[1];
      t.left[id] = t.feature.length;
      const l = walk(n[2]);
      t.right[id] = t.feature.length;
      const r = walk(n[3]);
      counts = [l[0]! + r[0]!, l[1]! + r[1]!];
    }
    t.samples[id] = counts[0]! + counts[1]!;
    t.dist[id] = counts.flatMap((k, c) => (k > 0 ? [c, k] : []));
    return counts;
  };
  walk(root);
  return t;
}

const A = 0;
const B = 1;
// Fever decides A (yes) or B (no). While fever is unknown, two trees say A unless the pain is >= 5,
// two say B: 50/50. A sore throat is read by no tree.
const trees = [
  tree(['E_91', 0.5, ['E_91', -0.5, ['E_56', 5, A, B], B], A]),
  tree(['E_91', 0.5, ['E_91', -0.5, ['E_56', 5, A, B], B], A]),
  tree(['E_91', 0.5, ['E_91', -0.5, B, B], A]),
  tree(['E_91', 0.5, ['E_91', -0.5, B, B], A]),
];
const artefact = validateForestArtefact({
  format: FOREST_FORMAT,
  id: 'ddxplus-test',
  version: '0',
  kind: 'random-forest',
  features: enc.columns.slice(),
  featureEncoding: 'numeric',
  missingValue: -1,
  unknownHandling: 'unknown-branch',
  labels: ['A', 'B'],
  trees,
});
const bin = (yesA: number, yesB: number, n = 10) => ({
  answers: [1, 0],
  counts: [
    [yesA, n - yesA],
    [yesB, n - yesB],
  ],
  n: [n, n],
});
const frequencies: AnswerFrequenciesFile = {
  format: ANSWER_FREQUENCIES_FORMAT,
  labels: ['A', 'B'],
  alpha: 0.5,
  evidences: {
    E_53: bin(10, 10),
    E_56: {
      answers: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      counts: [
        [0, 0, 5, 5, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 5, 5, 0, 0],
      ],
      n: [10, 10],
    },
    E_91: bin(9, 1),
    E_97: bin(5, 5),
  },
};
const model = new DdxplusModel(createForestModel(artefact, 'x'.repeat(64)), FILE, frequencies, {
  ageYears: { min: 0, max: 109 },
  initialEvidences: ['E_53', 'E_91', 'E_97'],
});
const patient = { ageYears: 40, sex: 'female' as const };

/** Expected information gain (bits) of a yes/no question over two labels, by hand. */
function binaryGain(pi: [number, number], pYes: [number, number]): number {
  const h = (p: number[]) => -p.filter((x) => x > 0).reduce((acc, x) => acc + x * Math.log2(x), 0);
  let expected = 0;
  for (const yes of [true, false]) {
    const joint = pi.map((x, c) => x * (yes ? pYes[c]! : 1 - pYes[c]!));
    const pa = joint[0]! + joint[1]!;
    expected += pa * h(joint.map((x) => x / pa));
  }
  return h(pi) - expected;
}

describe('DDXPlus ask-next', () => {
  it('ranks questions by expected information gain and leaves out those that cannot change the ranking', () => {
    const next = model.askNext(patient, enc.normalise({ E_53: 1 }), 5);
    // Pain intensity separates A (2–3) from B (7–8) best; fever next; pain itself and a sore throat
    // are as common in A as in B, so no answer moves the ranking.
    expect(next.map((q) => q.feature)).toEqual(['E_56', 'E_91']);
    expect(next[1]!.gain).toBeCloseTo(binaryGain([0.5, 0.5], [9.5 / 11, 1.5 / 11]), 10);
    expect(next[0]!.gain).toBeGreaterThan(next[1]!.gain);
  });

  it('asks a follow-up only after its parent is answered yes', () => {
    expect(model.askNext(patient, enc.normalise({ E_97: 1 }), 5).map((q) => q.feature)).toEqual(['E_91']);
    expect(model.askNext(patient, enc.normalise({ E_97: 1, E_53: 0 }), 5).map((q) => q.feature)).toEqual(['E_91']);
  });

  it('never asks what is known, and returns nothing when no answer can change the ranking', () => {
    const known = enc.normalise({ E_53: 1, E_56: 3, E_91: 1 });
    expect(model.askNext(patient, known, 5)).toEqual([]); // only the sore throat is left
    const afterFever = model.askNext(patient, enc.normalise({ E_91: 1, E_53: 1 }), 5);
    expect(afterFever.map((q) => q.feature)).toEqual(['E_56']);
  });

  it('the posterior follows the answers', () => {
    const p = model.questions.posterior(enc.normalise({ E_91: 1 }));
    expect(p[0]).toBeCloseTo(9.5 / 11 / (9.5 / 11 + 1.5 / 11), 10);
  });

  it('predicts vote fractions and abstains outside its scope', () => {
    expect(model.predict(patient, { E_91: 1 })).toEqual({ probabilities: { A: 1, B: 0 } });
    expect(model.predict(patient, { E_53: 1 })).toEqual({ probabilities: { A: 0.5, B: 0.5 } });
    const young = model.predict({ ageYears: 110, sex: 'male' }, { E_91: 1 });
    expect('abstained' in young && young.abstained.code).toBe('OUT_OF_SCOPE');
    const noSex = model.predict({ ageYears: 30 }, { E_91: 1 });
    expect('abstained' in noSex && noSex.abstained).toMatchObject({ code: 'INSUFFICIENT_INPUTS', missing: ['patient.sex'] });
    const noComplaint = model.predict(patient, { E_91: 0 });
    expect('abstained' in noComplaint && noComplaint.abstained.missing).toEqual(['initial complaint']);
  });
});
