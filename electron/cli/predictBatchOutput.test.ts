/**
 * `lantern predict --model symptom-differential` writes, byte for byte, what the straightforward
 * per-line path wrote before the batch-speed work (issue 13): readline over the input,
 * JSON.stringify({id, ...answer}) per line, the calibrated score computed term by term as in
 * models/runtime/forest/calibratedDifferential.ts (forest votes, log θ sums, softmax, the Newton flattening).
 * The reference below is that path, written out plainly; the input is a few thousand seeded random
 * lines with present, absent and unknown findings, true/false, bad values, unknown findings, blank
 * lines and CRLF endings.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { predictCommand } from './jsonlCommands';
import { makeTempDir } from '../../db/testing/tmpStore';
import { loadModelRegistry } from '../../models/runtime/registry';
import { mulberry32 } from '../../models/runtime/common/rng';
import { forestInternals } from '../../models/runtime/forest/forestRuntime';
import { bucketFor, coverageStatistic, findingsToAsk, frequencyTables, type CalibratedDifferential } from '../../models/runtime/forest/calibratedDifferential';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

const registry = loadModelRegistry();
const diff = registry.calibratedDifferential('symptom-differential') as CalibratedDifferential;
const features = diff.model.features;
const labels = diff.model.labels;

/** The calibrated answer as first written: allocation per step, Math.max(...p), tuples in Newton. */
function referenceAnswer(values: Record<string, unknown>): Record<string, unknown> {
  const t = frequencyTables(diff.frequencies);
  const cal = diff.calibration;
  const forest = forestInternals(diff.model);
  const present: number[] = [];
  const absent: number[] = [];
  for (const [key, v] of Object.entries(values)) {
    const i = features.indexOf(key);
    if (i < 0) throw Object.assign(new Error(`model ${diff.model.id} has no input "${key}"`), { feature: key });
    if (v === null || v === undefined || v === '' || v === '?') continue;
    if (v === 1 || v === true) present.push(i);
    else if (v === 0 || v === false) absent.push(i);
    else throw Object.assign(new Error('bad'), { feature: key });
  }
  present.sort((a, b) => a - b);
  absent.sort((a, b) => a - b);
  const nF = t.nFeatures;
  const presentLogLik = new Float64Array(t.nLabels);
  const absentLogLik = new Float64Array(t.nLabels);
  for (let d = 0; d < t.nLabels; d++) {
    let a = 0;
    for (const f of present) a += t.logTheta[d * nF + f] as number;
    let b = 0;
    for (const f of absent) b += t.logNotTheta[d * nF + f] as number;
    presentLogLik[d] = a;
    absentLogLik[d] = b;
  }
  const x = Float64Array.from(forest.encode({}));
  for (const f of present) x[f] = 1;
  const counts = forest.votes(x);
  const votes = Float64Array.from(counts, (c) => c / forest.nTrees);
  const k = present.length;
  if (k === 0) return { abstained: { code: absent.length > 0 ? 'OUT_OF_DISTRIBUTION' : 'INSUFFICIENT_INPUTS' } };
  const w = bucketFor(cal, k).weights;
  const z = new Float64Array(t.nLabels);
  for (let d = 0; d < t.nLabels; d++) {
    z[d] =
      w.forest * Math.log((votes[d] as number) + cal.forestEpsilon) +
      w.likelihood * ((presentLogLik[d] as number) + (absentLogLik[d] as number)) -
      w.patternSize * k * (t.logSize[d] as number);
  }
  const softmax = (zz: Float64Array): Float64Array => {
    let max = -Infinity;
    for (const v of zz) if (v > max) max = v;
    const e = Float64Array.from(zz, (v) => Math.exp((v - max) / 1));
    let sum = 0;
    for (const v of e) sum += v;
    return e.map((v) => v / sum);
  };
  let p = softmax(z);
  const terms = { present, absent, votes, presentLogLik, absentLogLik };
  const sorted = [...p].sort((a, b) => b - a);
  const carries =
    (sorted[0] as number) >= cal.minimumEvidence.carryProbability && (sorted[0] as number) - (sorted[1] as number) >= (cal.minimumEvidence.carryMargin ?? 0);
  if (k < cal.minimumEvidence.minFindings && !carries) {
    const ask = findingsToAsk(t, p, new Set([...present, ...absent]), w.likelihood, cal.askCount);
    return { abstained: { code: 'INSUFFICIENT_INPUTS', ask: ask.map((a) => features[a.feature]) } };
  }
  let warning = false;
  if (coverageStatistic(terms) < cal.coverage.threshold) {
    warning = true;
    let zMax = -Infinity;
    for (const v of z) if (v > zMax) zMax = v;
    const target = 1 / cal.coverage.maxProbability;
    const g = (beta: number): [number, number] => {
      let s = 0;
      let ds = 0;
      for (const v of z) {
        const d = v - zMax;
        const e = Math.exp(beta * d);
        s += e;
        ds += d * e;
      }
      return [s, ds];
    };
    let beta = 1;
    let [s, ds] = g(beta);
    if (s < target) {
      let safe = 0;
      for (let i = 0; i < 50 && ds < 0; i++) {
        const next = Math.max(0, beta - (s - target) / ds);
        const step = Math.abs(next - beta);
        beta = next;
        [s, ds] = g(beta);
        if (s >= target) safe = beta;
        if (step <= 1e-9 * Math.max(beta, 1e-9) && s >= target) break;
      }
      const q = Float64Array.from(z, (v) => Math.exp(safe * (v - zMax)));
      let sum = 0;
      for (const v of q) sum += v;
      p = q.map((v) => v / sum);
    }
  }
  const probabilities: Record<string, number> = {};
  labels.forEach((l, i) => (probabilities[l] = p[i] as number));
  return { probabilities, warning };
}

/** Seeded lines like the app's and the benchmark's, with the odd ones a file from outside may hold. */
function randomInput(n: number): string {
  const rng = mulberry32(1313);
  const pick = () => features[Math.floor(rng() * features.length)] as string;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng();
    if (r < 0.01) {
      lines.push('');
      continue;
    }
    if (r < 0.015) {
      lines.push('{not json');
      continue;
    }
    const f: Record<string, unknown> = {};
    const present = Math.floor(rng() * 9);
    for (let j = 0; j < present; j++) f[pick()] = rng() < 0.9 ? 1 : true;
    const absent = Math.floor(rng() * 4);
    for (let j = 0; j < absent; j++) f[pick()] ??= rng() < 0.9 ? 0 : false;
    if (rng() < 0.1) f[pick()] ??= [null, '', '?'][Math.floor(rng() * 3)];
    if (rng() < 0.01) f['no_such_finding'] = 1;
    if (rng() < 0.01) f[pick()] = 2;
    const line: Record<string, unknown> = { id: rng() < 0.9 ? `case-${i}` : i, features: f };
    if (rng() < 0.05) line['patient'] = { ageYears: Math.floor(rng() * 90), sex: rng() < 0.5 ? 'female' : 'male' };
    lines.push(JSON.stringify(line));
  }
  // Mixed endings: readline's \n, \r\n and a lone \r all end a line.
  return lines.map((l, i) => l + (i % 17 === 0 ? '\r\n' : i % 97 === 0 ? '\r' : '\n')).join('');
}

describe('lantern predict --model symptom-differential: batch output unchanged by the speed work', () => {
  it('gives, line for line, the answers of the plain per-line computation on 3,000 random lines', async () => {
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    writeFileSync(input, randomInput(3000));
    const summary = await predictCommand('symptom-differential', input, output);
    const written = readFileSync(output, 'utf8');
    expect(written.endsWith('\n')).toBe(true);
    const out = written.slice(0, -1).split('\n');

    // The input as readline splits it, in order, blank lines skipped.
    const rawLines: string[] = [];
    for await (const raw of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) if (raw.trim() !== '') rawLines.push(raw);
    expect(out).toHaveLength(rawLines.length);
    let errors = 0;
    let answered = 0;
    let warned = 0;
    rawLines.forEach((raw, n) => {
      const got = JSON.parse(out[n] as string) as Record<string, unknown>;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        expect(got).toMatchObject({ id: null, error: { code: 'VALIDATION_FAILED' } });
        errors++;
        return;
      }
      expect(got['id']).toBe(parsed['id']);
      let want: Record<string, unknown>;
      try {
        want = referenceAnswer(parsed['features'] as Record<string, unknown>);
      } catch (e) {
        expect(got['error']).toMatchObject({ code: 'VALIDATION_FAILED', field: `features.${(e as { feature: string }).feature}` });
        errors++;
        return;
      }
      if ('abstained' in want) {
        const a = want['abstained'] as { code: string; ask?: string[] };
        expect((got['abstained'] as { code: string }).code).toBe(a.code);
        if (a.ask)
          expect((got['abstained'] as { missing?: string[]; message: string }).message).toContain(a.ask.map((f) => f.replace(/_+/g, ' ').trim()).join(', '));
        return;
      }
      answered++;
      // Byte for byte: the line as JSON.stringify({id, probabilities, warning?}) writes the reference values.
      const w = want['warning'] === true ? got['warning'] : undefined;
      if (want['warning'] === true) warned++;
      expect(w === undefined ? 'warning' in got : typeof w === 'object').toBe(want['warning'] === true);
      expect(out[n]).toBe(JSON.stringify({ id: parsed['id'], probabilities: want['probabilities'], ...(w === undefined ? {} : { warning: w }) }));
    });
    expect(answered).toBeGreaterThan(1500);
    expect(warned).toBeGreaterThan(100);
    expect(answered - warned).toBeGreaterThan(100);
    expect(errors).toBeGreaterThan(20);
    expect(summary).toContain(`${errors} with errors`);
  });
});
