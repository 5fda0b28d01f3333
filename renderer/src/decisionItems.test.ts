import { describe, expect, it } from 'vitest';
import type { Decision, Differential, DifferentialItem } from '../../electron/contract/ipcContract';
import { decidableItems, latestDecisions } from './decisionItems';

function item(label: string, probability: number, cantMiss = false): DifferentialItem {
  return { label, probability, contributions: [], displayName: label, summary: '', icd10: null, severity: 1, cantMiss };
}

function differential(items: DifferentialItem[]): Differential {
  return {
    modelId: 'symptom-differential',
    modelVersion: '1',
    modelSha256: 'x',
    items,
    unknownFindings: 0,
    criticalValues: [],
    askNext: [],
    riskAssessments: [
      {
        status: 'ran',
        modelId: 'heart-disease',
        modelVersion: '1',
        modelSha256: 'y',
        positiveLabel: 'disease',
        probability: 0.3,
        probabilities: {},
        imputed: [],
        contributions: [],
      },
      { status: 'not-run', modelId: 'diabetes-onset', modelVersion: '1', reason: 'too few inputs', missing: [] },
    ],
  };
}

describe('decidableItems', () => {
  it('takes the top ten by probability, then can\u2019t-miss items below them, then risk models that ran', () => {
    const items = Array.from({ length: 14 }, (_, i) => item(`d${i}`, (14 - i) / 100, i === 12));
    items.push(item('never', 0, true));
    const labels = decidableItems(differential(items.reverse())).map((d) => d.label);
    expect(labels).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd12', 'heart-disease']);
  });
});

describe('latestDecisions', () => {
  const base = { suggestionId: 's1', reason: null, userId: 'u', userName: 'U' };
  it('keeps the newest decision per label of the given suggestion only', () => {
    const decisions: Decision[] = [
      { ...base, label: 'a', action: 'accept', createdAt: '2025-01-01T10:00:00.000Z' },
      { ...base, label: 'a', action: 'reject', createdAt: '2025-01-01T11:00:00.000Z' },
      { ...base, label: 'b', action: 'defer', createdAt: '2025-01-01T10:30:00.000Z' },
      { ...base, suggestionId: 's0', label: 'c', action: 'accept', createdAt: '2025-01-01T12:00:00.000Z' },
    ];
    const latest = latestDecisions(decisions, 's1');
    expect([...latest.entries()].map(([label, d]) => [label, d.action])).toEqual([
      ['a', 'reject'],
      ['b', 'defer'],
    ]);
  });
});
