import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { useId } from 'react';
import { Bar } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import type { AgreementRow } from '../../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';

// Only the parts a bar chart needs (tree-shaken bundle); registering twice is harmless.
ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

/** Same hues as the stylesheet's accent and ok colours (a canvas cannot read CSS variables cheaply). */
const TOP1_COLOUR = '#0b5cad';
const TOP3_COLOUR = '#1d6b37';

/**
 * Agreement of clinicians' final diagnoses with the stored differential, per model version: the
 * table carries the numbers (and is the chart's text alternative), the chart shows the rates.
 */
export function AgreementStats({ rows }: { rows: AgreementRow[] }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const rate = (r: number | null) => (r === null ? t('audit.noRate') : fmt.percent(r));
  const withCases = rows.filter((r) => r.cases > 0);

  return (
    <section className="card agreement" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('audit.agreementHeading')}</h2>
      <p className="hint">{t('audit.agreementHint')}</p>
      {rows.length === 0 ? (
        <p className="muted">{t('audit.agreementNone')}</p>
      ) : (
        <>
          <table className="data-table agreement-table" aria-labelledby={`${ids}-h`}>
            <thead>
              <tr>
                <th scope="col">{t('audit.model')}</th>
                <th scope="col">{t('audit.cases')}</th>
                <th scope="col">{t('audit.top1')}</th>
                <th scope="col">{t('audit.top3')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.modelId}@${r.modelVersion}`} data-model={`${r.modelId}@${r.modelVersion}`}>
                  <th scope="row">{t('audit.modelAtVersion', { id: r.modelId, version: r.modelVersion })}</th>
                  <td>{fmt.number(r.cases)}</td>
                  <td>{t('audit.countAndRate', { count: fmt.number(r.top1), rate: rate(r.top1Rate) })}</td>
                  <td>{t('audit.countAndRate', { count: fmt.number(r.top3), rate: rate(r.top3Rate) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {withCases.length > 0 ? (
            <div className="agreement-chart">
              <Bar
                role="img"
                aria-label={t('audit.chartLabel')}
                data={{
                  labels: withCases.map((r) => t('audit.modelAtVersion', { id: r.modelId, version: r.modelVersion })),
                  datasets: [
                    { label: t('audit.top1'), data: withCases.map((r) => (r.top1Rate ?? 0) * 100), backgroundColor: TOP1_COLOUR },
                    { label: t('audit.top3'), data: withCases.map((r) => (r.top3Rate ?? 0) * 100), backgroundColor: TOP3_COLOUR },
                  ],
                }}
                options={{
                  // No animation: the chart is a record, and tests read a settled page.
                  animation: false,
                  maintainAspectRatio: false,
                  locale: fmt.locale,
                  scales: { y: { min: 0, max: 100, title: { display: true, text: t('audit.axisPercent') } } },
                  plugins: { legend: { position: 'bottom' } },
                }}
              />
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
