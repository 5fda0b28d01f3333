/**
 * Triage per case: what `lantern triage` does for one line (validate against the catalogue and the
 * finding names, NEWS2, qSOFA, every red-flag rule), over random cases whose vitals span the
 * physiological range, with some parameters missing and findings drawn from the rules' own.
 * `node build/bench/triageBench.js` runs it alone.
 */
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../models/runtime/common/rng';
import { consciousnessLevels } from '../models/runtime/rules/news2';
import { ruleFindings } from '../models/runtime/rules/redFlags';
import { triage } from '../models/runtime/rules/triage';
import { loadClinicalCatalogue } from '../models/runtime/vocab/clinicalCatalogue';
import { parseTriageLine, triageFindingNames } from '../electron/cli/triageCommand';
import { stats } from './forestBench';

export const triageBudgetMedianMs = 0.5;

function randomLine(rng: () => number): Record<string, unknown> {
  const maybe = <T>(v: T): T | undefined => (rng() < 0.9 ? v : undefined);
  const between = (lo: number, hi: number, dp = 0) => Math.round((lo + rng() * (hi - lo)) * 10 ** dp) / 10 ** dp;
  const findings: Record<string, string> = {};
  for (const f of ruleFindings) if (rng() < 0.3) findings[f] = rng() < 0.5 ? 'present' : 'absent';
  return {
    id: 'bench',
    patient: { ageYears: between(18, 95), sex: rng() < 0.5 ? 'female' : 'male' },
    vitals: {
      respiratoryRate: maybe(between(6, 40)),
      spo2: maybe(between(80, 100)),
      onSupplementalOxygen: maybe(rng() < 0.2),
      temperature: maybe(between(34, 41, 1)),
      systolicBp: maybe(between(70, 230)),
      heartRate: maybe(between(35, 160)),
      consciousness: maybe(rng() < 0.8 ? 'alert' : consciousnessLevels[1 + Math.floor(rng() * 4)]),
    },
    findings,
    labs:
      rng() < 0.5
        ? [
            { loinc: '2345-7', value: between(30, 400) },
            { loinc: '2823-3', value: between(2, 7.5, 1) },
          ]
        : [],
  };
}

export function runTriageBench(cases = 5000): object {
  const catalogue = loadClinicalCatalogue();
  const names = triageFindingNames();
  const rng = mulberry32(12);
  // JSON round trip: the command parses each line from text.
  const lines = Array.from({ length: cases }, () => JSON.stringify(randomLine(rng)));
  const samples: number[] = [];
  let flagged = 0;
  for (let i = 0; i < 200; i++) triage(parseTriageLine(JSON.parse(lines[i]!) as Record<string, unknown>, catalogue, names), catalogue);
  for (const text of lines) {
    const t0 = performance.now();
    const r = triage(parseTriageLine(JSON.parse(text) as Record<string, unknown>, catalogue, names), catalogue);
    samples.push(performance.now() - t0);
    if (r.flags.length > 0) flagged += 1;
  }
  const s = stats(samples);
  return { perCase: { ...s, budgetMedianMs: triageBudgetMedianMs, withinBudget: s.medianMs <= triageBudgetMedianMs }, casesWithFlags: flagged };
}

if (require.main === module) process.stdout.write(`${JSON.stringify(runTriageBench(), null, 2)}\n`);
