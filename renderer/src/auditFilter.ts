/**
 * The audit workspace's filter form, turned into the contract's AuditFilter, and the option lists
 * it offers. Pure, so the rules (empty fields mean "any") are unit-tested apart from the screen.
 */
import type { AuditFilter, AuditRow, DecisionAction, UserAccount } from '../../electron/contract/ipcContract';

export type DecisionFilter = DecisionAction | 'none';

export interface AuditFilterForm {
  from: string;
  to: string;
  clinicianId: string;
  modelId: string;
  modelVersion: string;
  diagnosis: string;
  decision: string;
}

export const emptyAuditFilterForm: AuditFilterForm = { from: '', to: '', clinicianId: '', modelId: '', modelVersion: '', diagnosis: '', decision: '' };

/** The decision filter's values in menu order (the compiler checks them against the contract). */
export const decisionFilters = ['accept', 'reject', 'defer', 'none'] as const satisfies readonly DecisionFilter[];

function isDecisionFilter(value: string): value is DecisionFilter {
  return (decisionFilters as readonly string[]).includes(value);
}

/** Empty fields are left out (= any); text is trimmed; a model id is the manifest's lower-case id. */
export function toAuditFilter(form: AuditFilterForm): AuditFilter {
  const filter: AuditFilter = {};
  if (form.from) filter.from = form.from;
  if (form.to) filter.to = form.to;
  if (form.clinicianId) filter.clinicianId = form.clinicianId;
  const modelId = form.modelId.trim().toLowerCase();
  if (modelId) filter.modelId = modelId;
  const version = form.modelVersion.trim();
  if (version) filter.modelVersion = version;
  const diagnosis = form.diagnosis.trim();
  if (diagnosis) filter.diagnosis = diagnosis;
  if (isDecisionFilter(form.decision)) filter.decision = form.decision;
  return filter;
}

/** Null when the form is usable, else the translation key of what is wrong. */
export function auditFilterProblem(form: AuditFilterForm): 'audit.rangeReversed' | null {
  return form.from && form.to && form.from > form.to ? 'audit.rangeReversed' : null;
}

export interface ClinicianOption {
  id: string;
  name: string;
}

/**
 * Clinicians to filter by: every account when the user may list them (administrators), plus
 * anyone seen in results so far (all an auditor has), sorted by name, each once.
 */
export function clinicianOptions(users: readonly UserAccount[] | null, seen: readonly AuditRow[]): ClinicianOption[] {
  const byId = new Map<string, string>();
  for (const u of users ?? []) byId.set(u.id, u.displayName);
  for (const r of seen) if (r.clinicianId && !byId.has(r.clinicianId)) byId.set(r.clinicianId, r.clinicianName ?? r.clinicianId);
  return [...byId.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Distinct values of one column of the rows seen, sorted: suggestions for the model fields. */
export function distinctValues(rows: readonly AuditRow[], pick: (r: AuditRow) => string): string[] {
  return [...new Set(rows.map(pick))].sort();
}

/** One entry per suggestion label with its latest action as listed (the app lists them oldest first). */
export function decisionsByLabel(decisions: AuditRow['decisions']): { label: string; action: DecisionAction }[] {
  const latest = new Map<string, DecisionAction>();
  for (const d of decisions) latest.set(d.label, d.action);
  return [...latest.entries()].map(([label, action]) => ({ label, action }));
}
