import { Fragment, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { KidneyFunction, RiskAssessment, RiskContribution } from '../../../electron/contract/ipcContract';
import type { RiskNamer } from '../catalogue';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { riskValueText } from './riskValueText';

const CONTRIBUTIONS_SHOWN = 5;

interface Props {
  assessments: RiskAssessment[];
  names: RiskNamer;
  /** The run's eGFR: shown first, above the CKD model's card. */
  kidneyFunction?: KidneyFunction | undefined;
}

const ckdModelId = 'chronic-kidney-disease';

/** The risk models' results: probability with its inputs' contributions, or why a model did not run. */
export function RiskScoresPanel({ assessments, names, kidneyFunction }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  if (assessments.length === 0 && !kidneyFunction) return null;

  // The deterministic eGFR comes before the model's estimate (or first, without a CKD card).
  const kidneyFirst = kidneyFunction !== undefined && !assessments.some((a) => a.modelId === ckdModelId);
  const kidneyCard = (k: KidneyFunction) => (
    <li className="risk-card kidney-function" data-kidney-function={k.gStage}>
      <h4>{t('risk.kidney.heading')}</h4>
      <div className="ranked-head">
        <span className="kidney-egfr">{t('risk.kidney.egfr', { egfr: fmt.number(k.egfr) })}</span>
        <span className="kidney-stage">{k.gStage}</span>
      </div>
      <p className="kidney-g">{t('risk.kidney.gStage', { stage: k.gStage, meaning: t(`risk.kidney.G.${k.gStage}`) })}</p>
      {k.aStage ? (
        <p className="kidney-a">
          {k.aStage.approximate
            ? t('risk.kidney.aStageApproximate', { stage: k.aStage.stage, meaning: t(`risk.kidney.A.${k.aStage.stage}`), note: k.aStage.note })
            : t('risk.kidney.aStage', { stage: k.aStage.stage, meaning: t(`risk.kidney.A.${k.aStage.stage}`) })}
        </p>
      ) : null}
      <p className="kidney-from">
        {t('risk.kidney.from', {
          creatinine: fmt.number(k.creatinineMgDl),
          source: t(k.creatinineFrom.startsWith('labs.') ? 'risk.kidney.sourceLab' : 'risk.kidney.sourceForm'),
          age: fmt.number(k.ageYears),
          sex: t(`risk.kidney.sex.${k.sex}`),
        })}
      </p>
      <p className="kidney-formula muted">{t('risk.kidney.formula', { formula: k.formula })}</p>
    </li>
  );

  function valueText(modelId: string, c: RiskContribution): string {
    if (c.value === null) return t('risk.valueUnknown');
    return riskValueText(t, fmt.number, names, modelId, c.input, c.value);
  }

  const list = (modelId: string, inputs: string[]) => inputs.map((i) => names.input(modelId, i)).join(t('common.listSeparator'));

  return (
    <section className="risk-scores" aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>{t('risk.heading')}</h3>
      <ul className="risk-list">
        {kidneyFirst ? kidneyCard(kidneyFunction) : null}
        {assessments.map((a) => (
          <Fragment key={a.modelId}>
            {a.modelId === ckdModelId && kidneyFunction ? kidneyCard(kidneyFunction) : null}
            <li className={`risk-card risk-${a.status}`} data-risk-model={a.modelId} data-status={a.status}>
              <h4>{names.model(a.modelId)}</h4>
              <p className="risk-meta">
                {a.status === 'ran'
                  ? t('risk.modelWithSha', { id: a.modelId, version: a.modelVersion, sha: a.modelSha256.slice(0, 12) })
                  : t('risk.model', { id: a.modelId, version: a.modelVersion })}
              </p>
              {a.status === 'ran' ? (
                <>
                  {a.scope ? <p className="risk-scope">{t('risk.scope', { population: a.scope })}</p> : null}
                  {a.calibration ? <p className="risk-calibration">{t('risk.calibration', { summary: a.calibration.summary })}</p> : null}
                  <p className="risk-preliminary">{t('risk.preliminary')}</p>
                  <div className="ranked-head">
                    <span>{t('risk.probabilityOf', { label: a.positiveLabel })}</span>
                    <span className="probability">{fmt.probability(a.probability)}</span>
                  </div>
                  <div className="bar" aria-hidden="true">
                    <div className="bar-fill risk-fill" style={{ width: `${Math.max(0, Math.min(1, a.probability)) * 100}%` }} />
                  </div>
                  {a.imputed.length > 0 ? <p className="risk-imputed">{t('risk.imputed', { list: list(a.modelId, a.imputed) })}</p> : null}
                  {a.contributions.length > 0 ? (
                    <div className="risk-contributions">
                      <span className="contributions-heading">{t('risk.contributions')}</span>
                      <ul>
                        {[...a.contributions]
                          .sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight))
                          .slice(0, CONTRIBUTIONS_SHOWN)
                          .map((c) => (
                            <li key={c.input} className={c.weight >= 0 ? 'up' : 'down'}>
                              {t(c.imputed ? 'risk.contributionImputed' : 'risk.contribution', {
                                input: names.input(a.modelId, c.input),
                                value: valueText(a.modelId, c),
                                weight: fmt.signedNumber(c.weight),
                              })}
                            </li>
                          ))}
                      </ul>
                    </div>
                  ) : null}
                </>
              ) : a.abstained ? (
                <div data-risk-abstention={a.abstained.code}>
                  <p className="risk-not-assessed">
                    <strong>{t('risk.notAssessed')}</strong>: {t(`risk.abstention.${a.abstained.code}`)}
                  </p>
                  <p className="risk-reason">{a.abstained.message}</p>
                  {a.abstained.code === 'INSUFFICIENT_INPUTS' && a.missing.length > 0 ? (
                    <p className="risk-missing">{t('risk.toAdd', { list: list(a.modelId, a.missing) })}</p>
                  ) : null}
                </div>
              ) : (
                <>
                  <p className="risk-reason">{t('risk.notRun', { reason: a.reason })}</p>
                  {a.missing.length > 0 ? <p className="risk-missing">{t('risk.missing', { list: list(a.modelId, a.missing) })}</p> : null}
                </>
              )}
            </li>
          </Fragment>
        ))}
      </ul>
    </section>
  );
}
