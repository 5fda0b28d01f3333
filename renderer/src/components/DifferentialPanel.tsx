import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue, Contribution, CriticalValue, Differential } from '../../../electron/contract/ipcContract';
import { findLab } from '../catalogue';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { useDifferentialReady } from '../readiness';
import { isKnownVital } from './measureText';
import { RangeFlagBadge } from './RangeFlagBadge';

const TOP_N = 10;
const CONTRIBUTIONS_EACH = 5;

interface Props {
  differential: Differential;
  catalogue: Catalogue | null;
  nameOf: (code: string) => string;
}

/** Shared by the new-case form (a preview) and the case detail (the stored result). */
export function DifferentialPanel({ differential, catalogue, nameOf }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  useDifferentialReady();

  const items = [...differential.items].sort((a, b) => b.probability - a.probability).slice(0, TOP_N);

  function criticalName(cv: CriticalValue): string {
    if (cv.kind === 'vital' && isKnownVital(cv.code)) return t(`vital.${cv.code}`);
    return findLab(catalogue, cv.code)?.name ?? t('labs.loinc', { loinc: cv.code });
  }

  function contributionList(list: Contribution[], heading: string, kind: 'up' | 'down') {
    if (list.length === 0) return null;
    return (
      <div className={`contributions contributions-${kind}`}>
        <span className="contributions-heading">{heading}</span>
        <ul>
          {list.map((c) => (
            <li key={c.feature}>
              {t('differential.contribution', {
                symptom: nameOf(c.feature),
                state: t(`findingStateLower.${c.state}`),
                weight: fmt.signedPercent(c.weight),
              })}
            </li>
          ))}
        </ul>
      </div>
    );
  }

  return (
    <section className="differential" aria-label={t('differential.region')}>
      <h2>{t('differential.heading')}</h2>

      {differential.criticalValues.length > 0 ? (
        <div className="critical-values" role="group" aria-labelledby={`${ids}-critical`}>
          <h3 id={`${ids}-critical`}>{t('differential.critical')}</h3>
          <ul>
            {differential.criticalValues.map((cv) => (
              <li key={`${cv.kind}-${cv.code}-${cv.value}`}>
                <strong>{criticalName(cv)}</strong>{' '}
                {t('measure.valueWithUnit', { value: fmt.number(cv.value), unit: cv.unit })}{' '}
                <RangeFlagBadge flag={cv.flag} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <h3 id={`${ids}-ranked`}>{t('differential.ranked')}</h3>
      {items.length === 0 ? (
        <p className="muted">{t('differential.empty')}</p>
      ) : (
        <ol className="ranked" aria-labelledby={`${ids}-ranked`}>
          {items.map((item) => {
            const sorted = [...item.contributions].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
            const up = sorted.filter((c) => c.weight > 0).slice(0, CONTRIBUTIONS_EACH);
            const down = sorted.filter((c) => c.weight < 0).slice(0, CONTRIBUTIONS_EACH);
            const pct = Math.max(0, Math.min(1, item.probability)) * 100;
            return (
              <li key={item.label} className="ranked-item">
                <div className="ranked-head">
                  <span className="diagnosis">{item.label}</span>
                  <span className="probability">{fmt.percent(item.probability)}</span>
                </div>
                {/* The bar repeats the percentage visually; the text above carries it for assistive tech. */}
                <div className="bar" aria-hidden="true">
                  <div className="bar-fill" style={{ width: `${pct}%` }} />
                </div>
                {contributionList(up, t('differential.supports'), 'up')}
                {contributionList(down, t('differential.against'), 'down')}
              </li>
            );
          })}
        </ol>
      )}

      <footer className="differential-footer">
        <p>
          {t('differential.model', {
            id: differential.modelId,
            version: differential.modelVersion,
            sha: differential.modelSha256.slice(0, 12),
          })}
        </p>
        <p>{t('differential.unknownFindings', { count: differential.unknownFindings })}</p>
        <p className="muted">{t('differential.disclaimer')}</p>
      </footer>
    </section>
  );
}
