import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgreementRow, AuditFilter, AuditRow, ErrorPayload, Result, UserAccount } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { auditFilterProblem, clinicianOptions, distinctValues, emptyAuditFilterForm, toAuditFilter, type AuditFilterForm } from '../auditFilter';
import { AgreementStats } from '../components/audit/AgreementChart';
import { AuditChainStatusBox } from '../components/audit/AuditChainStatusBox';
import { SuggestionAuditPanel } from '../components/audit/SuggestionAuditPanel';
import { AuditTrailTable } from '../components/audit/AuditTrailTable';
import { AuditFilterPanel } from '../components/audit/AuditFilterPanel';
import { AuditResultsTable } from '../components/audit/AuditResultsTable';
import { useFocusOnMount } from '../focus';
import type { Navigate } from '../navigation';
import { clearReady, useScreenReady } from '../readiness';
import { canManageUsers, useSessionUser } from '../roles';
import { useIpcQuery } from '../useIpcQuery';
import '../styles/accountability.css';

const noUserList: Result<UserAccount[] | null> = { ok: true, value: null };

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
  const ids = useId();
  const user = useSessionUser();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [form, setForm] = useState<AuditFilterForm>(emptyAuditFilterForm);
  const [applied, setApplied] = useState<AuditFilter>({});
  const [results, setResults] = useState<Results | null>(null);
  const [searching, setSearching] = useState(true);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  /** Every row seen this visit: the clinician and model choices an auditor (who cannot list users) gets. */
  const [seen, setSeen] = useState<AuditRow[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [chainLoaded, setChainLoaded] = useState(false);
  const onChainLoaded = useCallback(() => setChainLoaded(true), []);

  useScreenReady('audit', results !== null && !searching && chainLoaded);

  // Only an administrator may list users; an auditor picks from the clinicians seen in results.
  const managesUsers = canManageUsers(user?.role);
  const { value: users } = useIpcQuery(useCallback(() => (managesUsers ? api.listUsers({}) : Promise.resolve(noUserList)), [managesUsers]));

  useEffect(() => {
    let live = true;
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

  return (
    <section className="screen audit-screen" data-screen="audit" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {t('audit.heading')}
      </h1>
      <p className="intro">{t('audit.intro')}</p>
      <AuditChainStatusBox onLoaded={onChainLoaded} />

      <AuditFilterPanel
        form={form}
        onChange={set}
        clinicians={clinicians}
        modelIds={modelIds}
        versions={versions}
        formError={formError}
        searching={searching}
        onSubmit={submit}
        onReset={reset}
      />

      <AuditResultsTable rows={results?.rows ?? null} searching={searching} error={error} selected={selected} onSelect={setSelected} />

      {selected ? <SuggestionAuditPanel key={selected} suggestionId={selected} navigate={navigate} /> : null}

      {results ? <AgreementStats rows={results.agreement} /> : null}

      <AuditTrailTable />
    </section>
  );
}
