import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgreementRow, AuditFilter, AuditRow, ErrorPayload, UserAccount } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import {
  auditFilterProblem,
  clinicianOptions,
  decisionFilters,
  decisionsByLabel,
  distinctValues,
  emptyAuditFilterForm,
  toAuditFilter,
  type AuditFilterForm,
} from '../auditFilter';
import { AgreementStats } from '../components/audit/AgreementChart';
import { AuditChainStatusBox } from '../components/audit/AuditChainStatusBox';
import { SuggestionAuditPanel } from '../components/audit/SuggestionAuditPanel';
import { AuditTrailTable } from '../components/audit/AuditTrailTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFocusOnMount } from '../focus';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import type { Navigate } from '../navigation';
import { clearReady, useScreenReady } from '../readiness';
import { canManageUsers, useSessionUser } from '../roles';
import '../styles/accountability.css';
import { DateRangeFields } from '../components/DateRangeFields';

interface Results {
  rows: AuditRow[];
  agreement: AgreementRow[];
}

/**
 * The auditor's workspace (read-only): find suggestions by date, clinician, model, diagnosis and
 * decision; open one to see what the model saw and said and re-run it; agreement per model
 * version; the audit chain's state.
 */
export function AuditScreen({ navigate }: { navigate: Navigate }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const user = useSessionUser();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [form, setForm] = useState<AuditFilterForm>(emptyAuditFilterForm);
  const [applied, setApplied] = useState<AuditFilter>({});
  const [results, setResults] = useState<Results | null>(null);
  const [searching, setSearching] = useState(true);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [users, setUsers] = useState<UserAccount[] | null>(null);
  /** Every row seen this visit: the clinician and model choices an auditor (who cannot list users) gets. */
  const [seen, setSeen] = useState<AuditRow[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [chainLoaded, setChainLoaded] = useState(false);
  const onChainLoaded = useCallback(() => setChainLoaded(true), []);

  useScreenReady('audit', results !== null && !searching && chainLoaded);

  useEffect(() => {
    if (!canManageUsers(user?.role)) return;
    void api.listUsers({}).then((r) => {
      if (r.ok) setUsers(r.value);
    });
  }, [user?.role]);

  useEffect(() => {
    let live = true;
    setSearching(true);
    void Promise.all([api.searchAudit(applied), api.agreementStats(applied)]).then(([rows, agreement]) => {
      if (!live) return;
      setSearching(false);
      if (!rows.ok) return setError(rows.error);
      if (!agreement.ok) return setError(agreement.error);
      setError(null);
      setResults({ rows: rows.value, agreement: agreement.value });
      setSeen((prev) => [...new Map([...prev, ...rows.value].map((r) => [r.suggestionId, r])).values()]);
      // Keep the open detail only while its row is still among the results.
      setSelected((s) => (s && rows.value.some((r) => r.suggestionId === s) ? s : null));
    });
    return () => {
      live = false;
    };
  }, [applied]);

  function set<K extends keyof AuditFilterForm>(key: K, value: AuditFilterForm[K]) {
    setForm((f) => ({ ...f, [key]: value }));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = auditFilterProblem(form);
    if (problem) return setFormError(t(problem));
    setFormError(null);
    // Withdraw the ready signal now, so a test never reads the results of the old filter.
    clearReady();
    setSearching(true);
    setApplied(toAuditFilter(form));
  }

  function reset() {
    setForm(emptyAuditFilterForm);
    setFormError(null);
    clearReady();
    setSearching(true);
    setApplied({});
  }

  const clinicians = clinicianOptions(users, seen);
  const modelIds = distinctValues(seen, (r) => r.modelId);
  const versions = distinctValues(seen, (r) => r.modelVersion);
  const rows = results?.rows ?? [];

  return (
    <section className="screen audit-screen" data-screen="audit" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {t('audit.heading')}
      </h1>
      <p className="intro">{t('audit.intro')}</p>
      <AuditChainStatusBox onLoaded={onChainLoaded} />

      <form className="card form audit-filters" onSubmit={submit} noValidate aria-labelledby={`${ids}-filters`}>
        <h2 id={`${ids}-filters`}>{t('audit.filters')}</h2>
        <div className="filter-grid">
          <DateRangeFields
            idPrefix={ids}
            from={form.from}
            to={form.to}
            fromLabel={t('audit.from')}
            toLabel={t('audit.to')}
            onFrom={(v) => set('from', v)}
            onTo={(v) => set('to', v)}
          />
          <div className="field">
            <label htmlFor={`${ids}-clinician`}>{t('audit.clinician')}</label>
            <select id={`${ids}-clinician`} value={form.clinicianId} onChange={(e) => set('clinicianId', e.target.value)}>
              <option value="">{t('audit.any')}</option>
              {clinicians.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-model`}>{t('audit.modelId')}</label>
            <input
              id={`${ids}-model`}
              list={`${ids}-models`}
              autoComplete="off"
              spellCheck={false}
              value={form.modelId}
              maxLength={60}
              onChange={(e) => set('modelId', e.target.value)}
            />
            <datalist id={`${ids}-models`}>
              {modelIds.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-version`}>{t('audit.modelVersion')}</label>
            <input
              id={`${ids}-version`}
              list={`${ids}-versions`}
              autoComplete="off"
              spellCheck={false}
              value={form.modelVersion}
              maxLength={60}
              onChange={(e) => set('modelVersion', e.target.value)}
            />
            <datalist id={`${ids}-versions`}>
              {versions.map((v) => (
                <option key={v} value={v} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-dx`}>{t('audit.diagnosis')}</label>
            <input
              id={`${ids}-dx`}
              autoComplete="off"
              value={form.diagnosis}
              maxLength={200}
              aria-describedby={`${ids}-dx-hint`}
              onChange={(e) => set('diagnosis', e.target.value)}
            />
            <p id={`${ids}-dx-hint`} className="hint">
              {t('audit.diagnosisHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-decision`}>{t('audit.decision')}</label>
            <select id={`${ids}-decision`} value={form.decision} onChange={(e) => set('decision', e.target.value)}>
              <option value="">{t('audit.any')}</option>
              {decisionFilters.map((d) => (
                <option key={d} value={d}>
                  {t(`audit.decisionFilter.${d}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ErrorAlert message={formError} />
        <div className="actions">
          <button type="submit" className="primary" disabled={searching}>
            {t('audit.search')}
          </button>
          <button type="button" className="secondary" onClick={reset} disabled={searching}>
            {t('audit.clear')}
          </button>
        </div>
      </form>

      <section className="card" aria-labelledby={`${ids}-results`}>
        <h2 id={`${ids}-results`}>{t('audit.results')}</h2>
        <ErrorAlert error={error} />
        <p className="hint" role="status">
          {searching ? t('audit.searching') : results ? t('audit.resultCount', { count: rows.length }) : null}
        </p>
        {rows.length > 0 ? (
          <div className="table-scroll">
            <table className="data-table audit-table" aria-labelledby={`${ids}-results`} aria-busy={searching}>
              <thead>
                <tr>
                  <th scope="col">{t('audit.date')}</th>
                  <th scope="col">{t('audit.clinician')}</th>
                  <th scope="col">{t('audit.model')}</th>
                  <th scope="col">{t('audit.top')}</th>
                  <th scope="col">{t('audit.finalDiagnosis')}</th>
                  <th scope="col">{t('audit.decisions')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('audit.details')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.suggestionId} data-suggestion-id={r.suggestionId} data-case-id={r.caseId} aria-selected={r.suggestionId === selected}>
                    <td>{fmt.dateTime(r.createdAt)}</td>
                    <td>{r.clinicianName ?? t('decisions.unknownUser')}</td>
                    <td>{t('audit.modelAtVersion', { id: r.modelId, version: r.modelVersion })}</td>
                    <td>
                      {r.top.length === 0 ? (
                        '—'
                      ) : (
                        <ol className="compact-list">
                          {r.top.map((s) => (
                            <li key={s.label}>{t('audit.topItem', { label: s.label, probability: fmt.probability(s.probability) })}</li>
                          ))}
                        </ol>
                      )}
                    </td>
                    <td>{r.finalDiagnosis ?? '—'}</td>
                    <td>
                      {r.decisions.length === 0 ? (
                        <span className="muted">{t('audit.noDecisions')}</span>
                      ) : (
                        <ul className="compact-list">
                          {decisionsByLabel(r.decisions).map((d) => (
                            <li key={d.label}>{t('audit.decisionItem', { label: d.label, action: t(`decisions.action.${d.action}`) })}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="secondary small"
                        aria-pressed={r.suggestionId === selected}
                        aria-label={t('audit.detailsFor', { date: fmt.dateTime(r.createdAt), clinician: r.clinicianName ?? t('decisions.unknownUser') })}
                        onClick={() => setSelected(r.suggestionId)}
                      >
                        {t('audit.details')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : results && !searching ? (
          <p className="muted">{t('audit.noResults')}</p>
        ) : null}
      </section>

      {selected ? <SuggestionAuditPanel key={selected} suggestionId={selected} navigate={navigate} /> : null}

      {results ? <AgreementStats rows={results.agreement} /> : null}

      <AuditTrailTable />
    </section>
  );
}
