import { describe, expect, it } from 'vitest';
import type { AuditRow, UserAccount } from '../../electron/contract/ipcContract';
import { auditFilterProblem, clinicianOptions, decisionsByLabel, emptyAuditFilterForm, toAuditFilter } from './auditFilter';

const row = (over: Partial<AuditRow>): AuditRow => ({
  suggestionId: 's',
  caseId: 'c',
  patientId: 'p',
  createdAt: '2025-01-01T00:00:00.000Z',
  clinicianId: null,
  clinicianName: null,
  modelId: 'symptom-differential',
  modelVersion: '1',
  modelSha256: 'x',
  top: [],
  finalDiagnosis: null,
  decisions: [],
  ...over,
});

describe('toAuditFilter', () => {
  it('leaves empty fields out', () => {
    expect(toAuditFilter(emptyAuditFilterForm)).toEqual({});
  });

  it('trims text, lower-cases the model id and keeps a known decision', () => {
    expect(
      toAuditFilter({
        from: '2025-01-01',
        to: '2025-02-01',
        clinicianId: 'u1',
        modelId: ' Symptom-Differential ',
        modelVersion: ' 1.2 ',
        diagnosis: ' flu ',
        decision: 'none',
      }),
    ).toEqual({
      from: '2025-01-01',
      to: '2025-02-01',
      clinicianId: 'u1',
      modelId: 'symptom-differential',
      modelVersion: '1.2',
      diagnosis: 'flu',
      decision: 'none',
    });
    expect(toAuditFilter({ ...emptyAuditFilterForm, decision: 'bogus' })).toEqual({});
  });

  it('names a reversed date range', () => {
    expect(auditFilterProblem({ ...emptyAuditFilterForm, from: '2025-03-01', to: '2025-02-01' })).toBe('audit.rangeReversed');
    expect(auditFilterProblem({ ...emptyAuditFilterForm, from: '2025-03-01' })).toBeNull();
  });
});

describe('clinicianOptions', () => {
  it('merges accounts with clinicians seen in results, once each, by name', () => {
    const users = [{ id: 'u2', displayName: 'Zed' } as UserAccount];
    const seen = [row({ clinicianId: 'u1', clinicianName: 'Amy' }), row({ clinicianId: 'u2', clinicianName: 'Zed' }), row({})];
    expect(clinicianOptions(users, seen)).toEqual([
      { id: 'u1', name: 'Amy' },
      { id: 'u2', name: 'Zed' },
    ]);
  });
});

describe('decisionsByLabel', () => {
  it('keeps the last action per label', () => {
    expect(
      decisionsByLabel([
        { label: 'a', action: 'accept' },
        { label: 'b', action: 'defer' },
        { label: 'a', action: 'reject' },
      ]),
    ).toEqual([
      { label: 'a', action: 'reject' },
      { label: 'b', action: 'defer' },
    ]);
  });
});
