import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseTriage, TriageFlag } from '../../../electron/contract/ipcContract';
import { renderRedFlagReason } from '../../../electron/contract/redFlagReason';
import { clinicalNamesFor } from '../i18n/clinicalNameTables';
import '../styles/triage.css';

/** Flag codes with a translated title; any other code is shown as sent. */
const knownFlagCodes = [
  'SEPSIS_SUSPECTED',
  'MENINGITIS_RED_FLAGS',
  'STROKE_FAST',
  'ACS_RED_FLAGS',
  'SYNCOPE_RED_FLAGS',
  'CRITICAL_VITAL',
  'CRITICAL_LAB',
  'NEWS2_HIGH',
  'NEWS2_MEDIUM',
  'NEWS2_SINGLE_PARAMETER',
] as const;

const observationParams = ['consciousness', 'onSupplementalOxygen'] as const;

const isKnownFlag = (code: string): code is (typeof knownFlagCodes)[number] => (knownFlagCodes as readonly string[]).includes(code);
const isObservation = (p: string): p is (typeof observationParams)[number] => (observationParams as readonly string[]).includes(p);

/**
 * Early-warning scores and red flags from the rules (no model): shown before the differential, so a
 * model's output never comes first. The reason names the findings and values, worded from the rules'
 * parts in the UI's language as the PDF words it (triage stored before the parts shows the rules' English).
 */
export function TriagePanel({ triage }: { triage: CaseTriage | undefined }) {
  const { t, i18n } = useTranslation();
  const ids = useId();
  // Differentials stored before triage existed carry none: say nothing rather than "no flags".
  if (triage === undefined) return null;

  const paramName = (p: string): string => (isObservation(p) ? t(`observations.${p}`) : t(`vital.${p}`, { defaultValue: p }));
  const missing = triage.missing.map(paramName).join(t('triage.listSeparator'));
  const title = (f: TriageFlag): string => (isKnownFlag(f.code) ? t(`triage.flag.${f.code}`) : f.code);
  const language = i18n.language.startsWith('zh') ? 'zh-CN' : 'en';
  const reason = (f: TriageFlag): string => (f.reasonParts ? renderRedFlagReason(f.reasonParts, language, clinicalNamesFor('zh-CN')) : f.reason);

  return (
    <section className="triage card" aria-labelledby={`${ids}-h`} data-triage="true">
      <h2 id={`${ids}-h`}>{t('triage.heading')}</h2>
      {triage.flags.length > 0 ? (
        <ul className="red-flags" aria-label={t('triage.flagsLabel')}>
          {triage.flags.map((f, i) => (
            <li key={`${f.code}-${i}`} className={`red-flag red-flag-${f.severity}`} data-flag-code={f.code} data-severity={f.severity}>
              <span className={`badge triage-severity triage-severity-${f.severity}`}>{t(`triage.severity.${f.severity}`)}</span> <strong>{title(f)}</strong>
              <span className="red-flag-reason">{reason(f)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted" data-no-flags="true">
          {t('triage.noFlags')}
        </p>
      )}
      <dl className="triage-scores">
        <div data-score="news2" data-risk={triage.news2?.risk}>
          <dt>{t('triage.news2')}</dt>
          <dd>
            {triage.news2 ? (
              <>
                <strong className="score-value">{triage.news2.score}</strong>{' '}
                <span className={`badge triage-risk triage-risk-${triage.news2.risk}`}>{t(`triage.risk.${triage.news2.risk}`)}</span>
              </>
            ) : (
              <span className="muted">{t('triage.notScored', { missing })}</span>
            )}
          </dd>
        </div>
        <div data-score="qsofa">
          <dt>{t('triage.qsofa')}</dt>
          <dd>
            {triage.qsofa ? (
              <strong className="score-value">{t('triage.qsofaValue', { score: triage.qsofa.score })}</strong>
            ) : (
              <span className="muted">{t('triage.notScoredShort')}</span>
            )}
          </dd>
        </div>
      </dl>
      <p className="hint">{t('triage.source')}</p>
    </section>
  );
}
