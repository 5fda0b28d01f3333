/**
 * The calibration line beside every risk number comes from the model's own metrics.json, and the
 * committed manifest holds exactly what the script derives (no hand-edited figures).
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { calibrationOfMetrics } from './riskCalibration';
import { loadModelRegistry } from '../runtime/registry';

const modelsDir = path.join(__dirname, '..', 'artefacts');
const bin = (from: number, cases: number, meanPredicted: number, observed: number) => ({ from, to: from + 0.1, cases, meanPredicted, observed });

describe('calibrationOfMetrics', () => {
  it('all inputs, 30% removed, and the largest gap among tenths with 20+ patients (a noisy small bin is ignored)', () => {
    const c = calibrationOfMetrics({
      validation: {
        conditions: [
          { name: 'all inputs', cases: 100, brier: 0.1234, ece: 0.0456, reliability: [bin(0, 50, 0.05, 0.04), bin(0.3, 30, 0.35, 0.45), bin(0.5, 5, 0.55, 1)] },
          { name: '30% of known inputs removed at random', cases: 300, brier: 0.2, ece: 0.0789 },
        ],
      },
    });
    expect(c).toEqual({
      summary:
        'out-of-fold on 100 patients: ECE 0.046, Brier 0.123 with all inputs; ECE 0.079 with 30% of known inputs removed; under-estimates by 10 points at 30–40% (largest gap in a tenth with 20+ patients)',
      ece: 0.0456,
      brier: 0.1234,
      cases: 100,
    });
  });

  it('refuses metrics without validation conditions', () => {
    expect(() => calibrationOfMetrics({ validation: {} })).toThrow(/validation.conditions/);
  });

  it('the manifest carries what the script derives from each risk model’s metrics.json, and the registry passes it on', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8')) as { models: Record<string, unknown>[] };
    const risk = manifest.models.filter((m) => m['task'] === 'risk');
    expect(risk.map((m) => m['id']).sort()).toEqual(['chronic-kidney-disease', 'diabetes-onset', 'heart-disease']);
    const registry = loadModelRegistry();
    for (const m of risk) {
      const id = m['id'] as string;
      const derived = calibrationOfMetrics(JSON.parse(fs.readFileSync(path.join(modelsDir, id, 'metrics.json'), 'utf8')));
      expect(m['calibration']).toEqual(derived);
      expect(registry.describe(id).calibration).toEqual(derived);
    }
  });
});
