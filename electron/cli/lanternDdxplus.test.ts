/** `lantern predict` / `lantern ask-next` with the ddxplus-differential model, in-process. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './lantern';
import { makeTempDir } from '../../db/testing/tmpStore';

let dir: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

const chestPain = {
  id: 'chest',
  patient: { ageYears: 64, sex: 'male' },
  features: { E_53: 1, E_55: ['V_101', 'V_29'], E_56: 7, E_91: 0 },
};

async function run(command: 'predict' | 'ask-next', lines: unknown[]): Promise<Record<string, unknown>[]> {
  const input = join(dir, 'in.jsonl');
  const output = join(dir, 'out.jsonl');
  writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  expect(await main([command, '--model', 'ddxplus-differential', '--input', input, '--output', output])).toBe(0);
  return readFileSync(output, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('lantern predict / ask-next --model ddxplus-differential', () => {
  it('predicts probabilities over the 49 pathologies, abstains outside the scope, names the bad field', async () => {
    const out = await run('predict', [
      chestPain,
      { id: 'old', patient: { ageYears: 118, sex: 'female' }, features: { E_53: 1 } },
      { id: 'nothing', patient: { ageYears: 30, sex: 'female' }, features: {} },
      { id: 'bad-scale', patient: { ageYears: 30, sex: 'female' }, features: { E_53: 1, E_56: 12 } },
      { id: 'bad-choice', patient: { ageYears: 30, sex: 'female' }, features: { E_53: 1, E_55: 'V_29' } },
      { id: 'bad-sex', patient: { ageYears: 30, sex: 'F' }, features: { E_53: 1 } },
    ]);
    const probs = out[0]!['probabilities'] as Record<string, number>;
    expect(Object.keys(probs)).toHaveLength(49);
    expect(Object.values(probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(probs).toHaveProperty('Unstable angina');
    expect(out[1]).toEqual({ id: 'old', abstained: expect.objectContaining({ code: 'OUT_OF_SCOPE' }) });
    expect(out[2]).toEqual({ id: 'nothing', abstained: expect.objectContaining({ code: 'INSUFFICIENT_INPUTS' }) });
    expect(out[3]).toMatchObject({ id: 'bad-scale', error: { code: 'VALIDATION_FAILED', field: 'features.E_56' } });
    expect(out[4]).toMatchObject({ id: 'bad-choice', error: { field: 'features.E_55' } });
    expect(out[5]).toMatchObject({ id: 'bad-sex', error: { field: 'patient.sex' } });
  });

  it('ask-next adds questions best first, never one already answered', async () => {
    const [line] = await run('ask-next', [chestPain]);
    const ask = line!['askNext'] as { feature: string; gain: number }[];
    expect(line!['probabilities']).toBeDefined();
    expect(ask.length).toBeGreaterThan(0);
    for (const q of ask) {
      expect(q.feature).toMatch(/^E_\d+$/);
      expect(Object.keys(chestPain.features)).not.toContain(q.feature);
    }
    const gains = ask.map((q) => q.gain);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
  });
});
