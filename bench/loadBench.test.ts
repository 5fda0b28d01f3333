/**
 * The load benchmark at a small scale, so it keeps working between `npm run bench` runs: the rows it
 * builds, the shape of its report, and an unencrypted copy holding the same rows. No timing is
 * asserted here; the budgets are checked by the benchmark itself.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../db/testing/tmpStore';
import { runLoadBench } from './loadBench';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

describe('load benchmark', () => {
  it('builds the cases with their findings, suggestions and audit events and reports every figure', { timeout: 120_000 }, async () => {
    const report = await runLoadBench(dir, { cases: 120, findingsPerCase: 10, templates: 5, searches: 10, opens: 10, log: () => undefined });
    expect(report['built']).toMatchObject({ patients: 60, cases: 120, findings: 1200, suggestions: 120 });
    // case.create plus one model.run per model that ran, per case; plus setup's own events.
    expect(report['built'].auditEvents).toBeGreaterThanOrEqual(120 * 2);
    expect(report['database']).toMatchObject({ withinBudget: true, storedDifferentialBytesPerCase: expect.any(Number) });
    expect(report['database'].bytesByTableOrIndex).toHaveProperty('suggestions');
    expect(report['backup']).toMatchObject({ bytes: expect.any(Number) });
    for (const key of ['patientSearch', 'openCase'] as const)
      expect(report[key]).toMatchObject({ n: 10, medianMs: expect.any(Number), p95Ms: expect.any(Number), withinBudget: expect.any(Boolean) });
    const ratio = report['encryptedVsPlain'];
    expect(ratio.search.plain.n).toBe(10);
    expect(ratio.plainCases).toBe(120);
    expect(ratio.size.plainBytes).toBeGreaterThan(0);
    expect(ratio.size.ratio).toBeGreaterThan(0.5);
  });
});
