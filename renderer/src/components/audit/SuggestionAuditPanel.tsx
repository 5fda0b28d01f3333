import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, RerunResult } from '../../../../electron/contract/ipcContract';
import { api } from '../../api/lanternClient';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import type { Navigate } from '../../navigation';
import { ErrorAlert } from '../ErrorAlert';
import { DecisionHistoryTable } from '../DecisionHistoryTable';
import { useIpcQuery } from '../../useIpcQuery';

/** Findings as the model saw them, where the snapshot has the differential's shape. */
function snapshotFindings(snapshot: unknown): { present: string[]; absent: string[] } | null {
  const findings = (snapshot as { findings?: unknown } | null)?.findings;
  if (typeof findings !== 'object' || findings === null) return null;
  const entries = Object.entries(findings as Record<string, unknown>);
  return {
    present: entries.filter(([, s]) => s === 'present').map(([k]) => k),
    absent: entries.filter(([, s]) => s === 'absent').map(([k]) => k),
  };
}

/**
 * One stored suggestion as an auditor needs it: exactly what the model was given and what it
 * returned (verbatim JSON, nothing re-derived), the decisions on it, and a re-run of the stored
 * model version on the stored inputs.
 */
export function SuggestionAuditPanel({ suggestionId, navigate }: { suggestionId: string; navigate: Navigate }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const { value: detail, error } = useIpcQuery(useCallback(() => api.getSuggestionAudit({ suggestionId }), [suggestionId]));
  const [rerun, setRerun] = useState<RerunResult | null>(null);
  const [rerunError, setRerunError] = useState<ErrorPayload | null>(null);
  const [running, setRunning] = useState(false);

  async function runAgain() {
    setRunning(true);
    setRerunError(null);
    setRerun(null);
    const result = await api.rerunSuggestion({ suggestionId });
    setRunning(false);
    if (result.ok) setRerun(result.value);
    else setRerunError(result.error);
  }

  const row = detail?.row;
  const findings = detail ? snapshotFindings(detail.inputSnapshot) : null;

  return (
    <section className="card suggestion-audit" aria-labelledby={`${ids}-h`} data-suggestion-id={suggestionId} aria-busy={!detail && !error}>
      <h2 id={`${ids}-h`}>{row ? t('audit.detailHeading', { date: fmt.dateTime(row.createdAt) }) : t('app.loading')}</h2>
      <ErrorAlert error={error} />
      {row && detail ? (
        <>
          <dl className="audit-meta">
            <dt>{t('audit.clinician')}</dt>
            <dd>{row.clinicianName ?? t('decisions.unknownUser')}</dd>
            <dt>{t('audit.model')}</dt>
            <dd>{t('audit.modelAtVersion', { id: row.modelId, version: row.modelVersion })}</dd>
            <dt>{t('audit.sha')}</dt>
            <dd>
              <code className="hash">{row.modelSha256}</code>
            </dd>
            <dt>{t('audit.finalDiagnosis')}</dt>
            <dd>{row.finalDiagnosis ?? t('audit.noFinal')}</dd>
          </dl>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => navigate({ screen: 'case-detail', caseId: row.caseId })}>
              {t('audit.openCase')}
            </button>
            <button type="button" className="primary" onClick={() => void runAgain()} disabled={running}>
              {t('audit.rerun')}
            </button>
            <span className="busy" role="status">
              {running ? t('audit.rerunning') : null}
            </span>
          </div>
          <ErrorAlert error={rerunError} />
          {rerun ? (
            <div className={`rerun-result ${rerun.reproduced ? 'is-reproduced' : 'is-different'}`} role="status" data-reproduced={String(rerun.reproduced)}>
              <p>
                <strong>{rerun.reproduced ? t('audit.reproducedYes') : t('audit.reproducedNo')}</strong> {rerun.reason}
              </p>
              <p className="muted">
                {t('audit.rerunVersions', {
                  stored: rerun.storedVersion,
                  installed: rerun.installedVersion ?? t('audit.notInstalled'),
                })}
                {rerun.maxDifference !== null ? ` · ${t('audit.maxDifference', { value: rerun.maxDifference.toExponential(2) })}` : null}
              </p>
            </div>
          ) : null}

          <section className="audit-json" aria-labelledby={`${ids}-in`}>
            <h3 id={`${ids}-in`}>{t('audit.inputs')}</h3>
            {findings ? (
              <p className="audit-findings">
                {t('audit.findingsPresent', { list: findings.present.join(t('common.listSeparator')) || '—' })}
                <br />
                {t('audit.findingsAbsent', { list: findings.absent.join(t('common.listSeparator')) || '—' })}
              </p>
            ) : null}
            <pre className="json" tabIndex={0} aria-labelledby={`${ids}-in`}>
              {JSON.stringify(detail.inputSnapshot, null, 2)}
            </pre>
          </section>
          <section className="audit-json" aria-labelledby={`${ids}-out`}>
            <h3 id={`${ids}-out`}>{t('audit.output')}</h3>
            {row.top.length > 0 ? (
              <ol className="audit-top">
                {row.top.map((s) => (
                  <li key={s.label}>{t('audit.topItem', { label: s.label, probability: fmt.probability(s.probability) })}</li>
                ))}
              </ol>
            ) : null}
            <pre className="json" tabIndex={0} aria-labelledby={`${ids}-out`}>
              {JSON.stringify(detail.output, null, 2)}
            </pre>
          </section>
          <section aria-labelledby={`${ids}-dec`}>
            <h3 id={`${ids}-dec`}>{t('decisions.heading')}</h3>
            <DecisionHistoryTable decisions={detail.decisions} labelledBy={`${ids}-dec`} />
          </section>
        </>
      ) : null}
    </section>
  );
}
