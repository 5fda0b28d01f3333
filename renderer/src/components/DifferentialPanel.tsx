import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue, Contribution, CriticalValue, Differential, DifferentialItem } from '../../../electron/contract/ipcContract';
import { findLab, useRiskNamer } from '../catalogue';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { useDifferentialReady } from '../readiness';
import { AskNextList } from './AskNextList';
import { isKnownVital } from './measureText';
import { RangeFlagBadge } from './RangeFlagBadge';
import { RiskScoresPanel } from './RiskScoresPanel';
import { localisedConditionName } from '../i18n/conditionNames';
import i18n from 'i18next';

const TOP_N = 10;
const CONTRIBUTIONS_EACH = 5;
const MAX_SEVERITY = 5;

interface Props {
  differential: Differential;
  catalogue: Catalogue | null;
  nameOf: (code: string) => string;
  /** Answering an "ask next" question (new-case screen only); without it the list is not shown. */
  onAnswer?: (feature: string, state: 'present' | 'absent') => void;
  answerDisabled?: boolean;
  /** Move focus to the heading when shown (after an answer re-ran the model). */
  focusOnMount?: boolean;
}

/** The clinical name in the UI's language (never the dataset's label where a name is known). */
export function diagnosisName(item: Pick<DifferentialItem, 'displayName' | 'label'>, locale: string = i18n.language ?? 'en'): string {
  return localisedConditionName(item.label, item.displayName, locale);
}

/** Shared by the new-case form (a preview) and the case detail (the stored result). */
export function DifferentialPanel({ differential, catalogue, nameOf, onAnswer, answerDisabled, focusOnMount }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const names = useRiskNamer(catalogue);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useDifferentialReady();

  useEffect(() => {
    if (focusOnMount) headingRef.current?.focus();
  }, [focusOnMount]);

  const byProbability = [...differential.items].sort((a, b) => b.probability - a.probability);
  const items = byProbability.slice(0, TOP_N);
  // Whatever their rank: a can't-miss condition far down the list is exactly the one to surface
  // (one the model gives no probability at all is not in the differential).
  const cantMiss = byProbability.filter((i) => i.cantMiss && i.probability > 0);
  const critical = differential.criticalValues ?? [];
  const askNext = differential.askNext ?? [];
  const risks = differential.riskAssessments ?? [];

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
              {c.fromMeasurement ? (
                <span className="muted from-measurement" data-from-measurement={c.feature}>
                  {' '}
                  {t('differential.fromMeasurement', { measured: c.fromMeasurement })}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    );
  }

  function severity(level: number) {
    const clamped = Math.max(1, Math.min(MAX_SEVERITY, Math.round(level)));
    return (
      <span className={`severity severity-${clamped}`} data-severity={clamped}>
        <span className="severity-pips" aria-hidden="true">
          {Array.from({ length: MAX_SEVERITY }, (_, i) => (
            <span key={i} className={i < clamped ? 'pip on' : 'pip'} />
          ))}
        </span>
        {t('differential.severity', { level: clamped, max: MAX_SEVERITY })}
      </span>
    );
  }

  function meta(item: DifferentialItem) {
    const name = diagnosisName(item);
    return (
      <p className="diagnosis-meta">
        {item.icd10 ? (
          <span className="icd10">{t('differential.icd10', { code: item.icd10.code, title: item.icd10.title })}</span>
        ) : (
          <span className="icd10 muted">{t('differential.noIcd10')}</span>
        )}
        {severity(item.severity)}
        {name !== item.label ? <span className="model-label muted">{t('differential.modelLabel', { label: item.label })}</span> : null}
      </p>
    );
  }

  return (
    <section className="differential" aria-label={t('differential.region')}>
      <h2 ref={headingRef} tabIndex={-1}>
        {t('differential.heading')}
      </h2>

      {cantMiss.length > 0 || critical.length > 0 ? (
        <div className="cant-miss" role="group" aria-labelledby={`${ids}-cant-miss`}>
          <h3 id={`${ids}-cant-miss`}>
            <span aria-hidden="true">⚠ </span>
            {t('differential.cantMissHeading')}
          </h3>
          {cantMiss.length > 0 ? (
            <>
              <h4 id={`${ids}-cm-dx`}>{t('differential.cantMissDiagnoses')}</h4>
              <ul className="cant-miss-list" aria-labelledby={`${ids}-cm-dx`}>
                {cantMiss.map((item) => (
                  <li key={item.label} data-label={item.label}>
                    <div className="ranked-head">
                      <strong className="diagnosis">{diagnosisName(item)}</strong>
                      <span className="probability">{fmt.probability(item.probability)}</span>
                    </div>
                    {meta(item)}
                    {item.summary ? <p className="diagnosis-summary">{item.summary}</p> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {critical.length > 0 ? (
            <>
              <h4 id={`${ids}-critical`}>{t('differential.critical')}</h4>
              <ul aria-labelledby={`${ids}-critical`}>
                {critical.map((cv) => (
                  <li key={`${cv.kind}-${cv.code}-${cv.value}`}>
                    <strong>{criticalName(cv)}</strong> {t('measure.valueWithUnit', { value: fmt.number(cv.value), unit: cv.unit })}{' '}
                    <RangeFlagBadge flag={cv.flag} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}

      {differential.coverageWarning ? (
        <div className="coverage-warning" role="alert" data-coverage={differential.coverageWarning.code}>
          <p>
            <strong>{t('differential.notCovered')}</strong>: {t('differential.notCoveredText')}
          </p>
          <p className="muted">{differential.coverageWarning.message}</p>
        </div>
      ) : null}

      {differential.measuredFindings && differential.measuredFindings.length > 0 ? (
        // Derived from the vitals and labs: listed apart so they are never read as the clinician's entries.
        <div className="measured-findings" data-measured-findings="">
          <p>
            <strong>{t('differential.measuredFindings')}</strong>
          </p>
          <ul>
            {differential.measuredFindings.map((m) => (
              <li key={m.feature} data-feature={m.feature} data-applied={m.applied ? 'true' : 'false'}>
                {t('differential.measuredFinding', { symptom: nameOf(m.feature), measured: m.measured, rule: m.rule })}
                {m.applied ? null : <span className="muted"> — {t('differential.measuredNotApplied')}</span>}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <h3 id={`${ids}-ranked`}>{t('differential.ranked')}</h3>
      {differential.abstained ? (
        // No ranking is shown at all: the model said why, and what would let it answer.
        <div className="differential-abstained" role="status" data-abstention={differential.abstained.code}>
          <p>
            <strong>{t('differential.notAssessed')}</strong>: {t(`differential.abstention.${differential.abstained.code}`)}
          </p>
          {differential.abstained.missing && differential.abstained.missing.length > 0 ? (
            <p className="differential-to-add">{t('differential.toAdd', { list: differential.abstained.missing.map(nameOf).join(', ') })}</p>
          ) : null}
          <p className="muted">{differential.abstained.message}</p>
        </div>
      ) : items.length === 0 ? (
        <p className="muted">{t('differential.empty')}</p>
      ) : (
        <ol className="ranked" aria-labelledby={`${ids}-ranked`}>
          {items.map((item) => {
            const sorted = [...item.contributions].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
            const up = sorted.filter((c) => c.weight > 0).slice(0, CONTRIBUTIONS_EACH);
            const down = sorted.filter((c) => c.weight < 0).slice(0, CONTRIBUTIONS_EACH);
            const pct = Math.max(0, Math.min(1, item.probability)) * 100;
            return (
              <li
                key={item.label}
                className={`ranked-item${item.cantMiss ? ' is-cant-miss' : ''}`}
                data-label={item.label}
                data-cant-miss={item.cantMiss ? 'true' : undefined}
              >
                <div className="ranked-head">
                  <span className="diagnosis">
                    {diagnosisName(item)}
                    {item.cantMiss ? <span className="badge badge-cant-miss">{t('differential.cantMissBadge')}</span> : null}
                  </span>
                  <span className="probability">{fmt.probability(item.probability)}</span>
                </div>
                {/* The bar repeats the percentage visually; the text above carries it for assistive tech. */}
                <div className="bar" aria-hidden="true">
                  <div className="bar-fill" style={{ width: `${pct}%` }} />
                </div>
                {meta(item)}
                {item.summary ? <p className="diagnosis-summary">{item.summary}</p> : null}
                {item.cantMissContradictedBy ? (
                  <p className="hint cant-miss-ruled-out">{t('differential.cantMissRuledOut', { reason: item.cantMissContradictedBy })}</p>
                ) : null}
                {item.cantMissNote ? <p className="hint cant-miss-note">{t('differential.cantMissNote', { note: item.cantMissNote })}</p> : null}
                {contributionList(up, t('differential.supports'), 'up')}
                {contributionList(down, t('differential.against'), 'down')}
              </li>
            );
          })}
        </ol>
      )}

      {onAnswer && askNext.length > 0 ? <AskNextList items={askNext} nameOf={nameOf} onAnswer={onAnswer} disabled={answerDisabled ?? false} /> : null}

      <RiskScoresPanel assessments={risks} names={names} kidneyFunction={differential.kidneyFunction} />

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
