import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../../../electron/contract/ipcContract';
import { emptyAuditFilterForm } from '../../auditFilter';
import { AuditFilterPanel } from './AuditFilterPanel';
import { AuditResultsTable } from './AuditResultsTable';

const row: AuditRow = {
  suggestionId: 's1',
  caseId: 'c1',
  patientId: 'p1',
  createdAt: '2026-01-02T10:00:00.000Z',
  clinicianId: 'u1',
  clinicianName: 'Dr Ana Lima',
  modelId: 'symptom-differential',
  modelVersion: '3.0.0',
  modelSha256: 'ab'.repeat(32),
  top: [{ label: 'Malaria', probability: 0.6 }],
  finalDiagnosis: null,
  decisions: [],
};

const noop = () => undefined;

describe('AuditFilterPanel', () => {
  it('offers the clinicians and seen model ids, and locks search and clear while a search runs', () => {
    const html = renderToStaticMarkup(
      createElement(AuditFilterPanel, {
        form: { ...emptyAuditFilterForm, modelId: 'symptom-differential' },
        onChange: noop,
        clinicians: [{ id: 'u1', name: 'Dr Ana Lima' }],
        modelIds: ['symptom-differential', 'heart-disease'],
        versions: ['3.0.0'],
        formError: null,
        searching: true,
        onSubmit: noop,
        onReset: noop,
      }),
    );
    expect(html).toContain('<option value="u1">Dr Ana Lima</option>');
    expect(html).toContain('<option value="heart-disease">');
    expect(html).toContain('value="symptom-differential"');
    expect(html).toMatch(/<button type="submit" class="primary" disabled="">/);
    expect(html).toMatch(/<button type="button" class="secondary" disabled="">/);
  });
});

describe('AuditResultsTable', () => {
  it('shows one row per suggestion, marks the selected one, and nothing before the first answer', () => {
    const html = renderToStaticMarkup(createElement(AuditResultsTable, { rows: [row], searching: false, error: null, selected: 's1', onSelect: noop }));
    expect(html).toContain('data-suggestion-id="s1"');
    expect(html).toContain('aria-selected="true"');
    expect(html).toContain('Dr Ana Lima');
    const before = renderToStaticMarkup(createElement(AuditResultsTable, { rows: null, searching: true, error: null, selected: null, onSelect: noop }));
    expect(before).not.toContain('<table');
  });

  it('shows the error the search answered with, by its code', () => {
    const html = renderToStaticMarkup(
      createElement(AuditResultsTable, {
        rows: [],
        searching: false,
        error: { code: 'FORBIDDEN', message: 'Your role may not do this.' },
        selected: null,
        onSelect: noop,
      }),
    );
    expect(html).toContain('data-error-code="FORBIDDEN"');
  });
});
