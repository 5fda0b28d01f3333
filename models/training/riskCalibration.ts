/**
 * One line of calibration per risk model, derived from its metrics.json (out-of-fold predictions on
 * patients each forest did not train on), written into the model's manifest entry as `calibration`
 * so the app and the reports can put it beside every probability. The trainer writes the same entry;
 * `npm run build:calibration` rewrites it from the committed metrics without retraining.
 * Deterministic: same metrics.json, same line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findProjectRoot } from '../runtime/common/paths';

export interface RiskCalibration {
  summary: string;
  ece: number;
  brier: number;
  cases: number;
}

interface ReliabilityBin {
  from: number;
  to: number;
  cases: number;
  meanPredicted: number;
  observed: number;
}

interface Condition {
  name: string;
  cases: number;
  brier: number;
  ece: number;
  reliability?: ReliabilityBin[];
}

/** Bins with fewer patients than this are too noisy to report their gap. */
export const minBinCases = 20;

const fixed3 = (x: number) => x.toFixed(3);

function conditionsOf(metrics: unknown): Condition[] {
  const v = (metrics as { validation?: { conditions?: unknown } } | null)?.validation?.conditions;
  if (!Array.isArray(v) || v.length === 0) throw new Error('metrics.json has no validation.conditions');
  for (const c of v as Record<string, unknown>[]) {
    if (typeof c['name'] !== 'string' || typeof c['cases'] !== 'number' || typeof c['brier'] !== 'number' || typeof c['ece'] !== 'number') {
      throw new Error(`metrics.json condition ${JSON.stringify(c['name'])}: name, cases, brier, ece expected`);
    }
  }
  return v as Condition[];
}

/** The calibration line of a risk model's metrics: all inputs, 30% of inputs removed, the largest bin gap. */
export function calibrationOfMetrics(metrics: unknown): RiskCalibration {
  const conditions = conditionsOf(metrics);
  const all = conditions.find((c) => c.name === 'all inputs') ?? (conditions[0] as Condition);
  const masked = conditions.find((c) => c.name.startsWith('30%'));
  const parts = [`out-of-fold on ${all.cases} patients: ECE ${fixed3(all.ece)}, Brier ${fixed3(all.brier)} with all inputs`];
  if (masked) parts.push(`ECE ${fixed3(masked.ece)} with ${masked.name.replace(/ at random$/, '')}`);
  const bins = (all.reliability ?? []).filter((b) => b.cases >= minBinCases);
  if (bins.length > 0) {
    const worst = bins.reduce((a, b) => (Math.abs(b.meanPredicted - b.observed) > Math.abs(a.meanPredicted - a.observed) ? b : a));
    const gap = Math.round(Math.abs(worst.meanPredicted - worst.observed) * 100);
    const direction = worst.meanPredicted < worst.observed ? 'under-estimates' : 'over-estimates';
    parts.push(
      gap === 0
        ? `predicted and observed agree to within 1 point in every tenth with ${minBinCases}+ patients`
        : `${direction} by ${gap} point${gap === 1 ? '' : 's'} at ${Math.round(worst.from * 100)}–${Math.round(worst.to * 100)}% (largest gap in a tenth with ${minBinCases}+ patients)`,
    );
  }
  return { summary: parts.join('; '), ece: all.ece, brier: all.brier, cases: all.cases };
}

/** Writes `calibration` into every risk forest entry of the manifest from models/<id>/metrics.json; returns the ids written. */
export function applyCalibration(modelsDir: string): string[] {
  const manifestFile = path.join(modelsDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { models: Record<string, unknown>[] };
  const written: string[] = [];
  manifest.models = manifest.models.map((entry) => {
    if (entry['kind'] !== 'random-forest' || entry['task'] !== 'risk') return entry;
    const id = entry['id'] as string;
    const metrics: unknown = JSON.parse(fs.readFileSync(path.join(modelsDir, id, 'metrics.json'), 'utf8'));
    written.push(id);
    // Right after `scope`, where the trainer puts it, so both write the same bytes.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entry)) {
      if (k === 'calibration') continue;
      out[k] = v;
      if (k === 'scope') out['calibration'] = calibrationOfMetrics(metrics);
    }
    if (!('calibration' in out)) out['calibration'] = calibrationOfMetrics(metrics);
    return out;
  });
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return written;
}

if (require.main === module) {
  const root = findProjectRoot(__dirname);
  const ids = applyCalibration(path.join(root, 'models', 'artefacts'));
  console.log(`calibration written for ${ids.join(', ')}`);
}
