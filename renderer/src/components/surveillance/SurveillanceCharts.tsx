import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useId, type ReactNode } from 'react';
import { Chart } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import type { ForecastView, WeeklyView } from '../../surveillanceView';

// Only what these mixed bar/line charts use (tree-shaken bundle); registering twice is harmless.
ChartJS.register(BarController, LineController, BarElement, LineElement, PointElement, CategoryScale, LinearScale, Filler, Tooltip, Legend);

/** The stylesheet's accent, muted ink, danger and soft accent (a canvas cannot read CSS variables cheaply). */
const COUNT_COLOUR = '#0b5cad';
const EXPECTED_COLOUR = '#4a5866';
const ALERT_COLOUR = '#a4161a';
const BAND_COLOUR = 'rgba(11, 92, 173, 0.18)';

/** The options both charts share: a settled record (no animation) in the user's locale, counts from zero. */
function countChartOptions(locale: string, axisTitle: string) {
  return {
    // No animation: the chart is a record, and tests read a settled page.
    animation: false as const,
    maintainAspectRatio: false,
    locale,
    interaction: { mode: 'index' as const, intersect: false },
    scales: { y: { beginAtZero: true, title: { display: true, text: axisTitle } } },
  };
}

interface FigureProps {
  /** Names the chart and its table (`data-chart`, `data-table`). */
  kind: 'weekly' | 'monthly';
  /** One sentence for screen readers, on the figure and the canvas. */
  summary: string;
  chart: ReactNode;
  /** The table's head and body: every number the chart draws. */
  children: ReactNode;
}

/** A chart with its one-sentence summary as the caption and, folded under it, the table of its numbers. */
function ChartFigure({ kind, summary, chart, children }: FigureProps) {
  const { t } = useTranslation();
  const ids = useId();
  return (
    <figure className="surveillance-figure" aria-labelledby={`${ids}-cap`}>
      <figcaption id={`${ids}-cap`} className="sr-only">
        {summary}
      </figcaption>
      <div className="surveillance-chart" data-chart={kind}>
        {chart}
      </div>
      <details className="chart-numbers">
        <summary>{t('surveillance.showNumbers')}</summary>
        <table className="data-table" data-table={kind}>
          {children}
        </table>
      </details>
    </figure>
  );
}

interface WeeklyProps {
  view: WeeklyView;
  name: string;
}

/**
 * Weekly counts as bars, the alert rule's expected count and threshold as lines, alerting weeks
 * marked. The canvas carries a one-sentence summary; the table under it carries every number.
 */
export function WeeklyCountsChart({ view, name }: WeeklyProps) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const total = view.counts.reduce((a, b) => a + b, 0);
  const summary = t('surveillance.weeklyChartLabel', {
    name,
    first: view.labels[0] ?? '',
    last: view.labels.at(-1) ?? '',
    count: total,
    alerts: view.alertWeeks,
  });
  return (
    <ChartFigure
      kind="weekly"
      summary={summary}
      chart={
        <Chart
          type="bar"
          role="img"
          aria-label={summary}
          data={{
            labels: view.labels,
            datasets: [
              { type: 'bar', label: t('surveillance.datasetCount'), data: view.counts, backgroundColor: COUNT_COLOUR, order: 3 },
              {
                type: 'line',
                label: t('surveillance.datasetExpected'),
                data: view.expected,
                borderColor: EXPECTED_COLOUR,
                borderWidth: 1.5,
                pointRadius: 0,
                order: 2,
              },
              {
                type: 'line',
                label: t('surveillance.datasetThreshold'),
                data: view.threshold,
                borderColor: ALERT_COLOUR,
                borderDash: [6, 4],
                borderWidth: 1.5,
                pointRadius: 0,
                order: 1,
              },
              {
                type: 'line',
                label: t('surveillance.datasetAlert'),
                data: view.alerts,
                showLine: false,
                pointStyle: 'triangle',
                pointRadius: 7,
                pointBackgroundColor: ALERT_COLOUR,
                borderColor: ALERT_COLOUR,
                order: 0,
              },
            ],
          }}
          options={{ ...countChartOptions(fmt.locale, t('surveillance.axisCases')), plugins: { legend: { position: 'bottom' } } }}
        />
      }
    >
      <thead>
        <tr>
          <th scope="col">{t('surveillance.week')}</th>
          <th scope="col">{t('surveillance.datasetCount')}</th>
          <th scope="col">{t('surveillance.datasetExpected')}</th>
          <th scope="col">{t('surveillance.datasetThreshold')}</th>
          <th scope="col">{t('surveillance.datasetAlert')}</th>
        </tr>
      </thead>
      <tbody>
        {view.labels.map((week, i) => (
          <tr key={week} data-week={week}>
            <th scope="row">{week}</th>
            <td>{fmt.number(view.counts[i] ?? 0)}</td>
            <td>{view.expected[i] == null ? '—' : fmt.number(view.expected[i]!)}</td>
            <td>{view.threshold[i] == null ? '—' : fmt.number(view.threshold[i]!)}</td>
            <td>{view.alerts[i] == null ? '' : t('surveillance.yes')}</td>
          </tr>
        ))}
      </tbody>
    </ChartFigure>
  );
}

interface ForecastProps {
  view: ForecastView;
  name: string;
  summary: string;
}

/** Monthly counts, the chosen method's backtest forecasts with their 95% band, and next month's. */
export function MonthlyForecastChart({ view, name, summary }: ForecastProps) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  return (
    <ChartFigure
      kind="monthly"
      summary={summary}
      chart={
        <Chart
          type="line"
          role="img"
          aria-label={summary}
          data={{
            labels: view.labels,
            datasets: [
              // The band: the upper line fills down to the lower one (the dataset before it).
              { label: t('surveillance.datasetLower'), data: view.lower, borderColor: 'transparent', pointRadius: 0, fill: false },
              { label: t('surveillance.datasetUpper'), data: view.upper, borderColor: 'transparent', backgroundColor: BAND_COLOUR, pointRadius: 0, fill: '-1' },
              { label: t('surveillance.datasetPredicted'), data: view.predicted, borderColor: EXPECTED_COLOUR, borderDash: [6, 4], pointRadius: 3 },
              { label: t('surveillance.datasetActual', { name }), data: view.actual, borderColor: COUNT_COLOUR, backgroundColor: COUNT_COLOUR, pointRadius: 3 },
            ],
          }}
          options={{
            ...countChartOptions(fmt.locale, t('surveillance.axisCases')),
            plugins: { legend: { position: 'bottom', labels: { filter: (item) => item.datasetIndex !== 0 } } },
          }}
        />
      }
    >
      <thead>
        <tr>
          <th scope="col">{t('surveillance.month')}</th>
          <th scope="col">{t('surveillance.datasetActual', { name })}</th>
          <th scope="col">{t('surveillance.datasetPredicted')}</th>
          <th scope="col">{t('surveillance.interval')}</th>
        </tr>
      </thead>
      <tbody>
        {view.labels.map((month, i) => (
          <tr key={month} data-month={month}>
            <th scope="row">{month}</th>
            <td>{view.actual[i] == null ? '—' : fmt.number(view.actual[i]!)}</td>
            <td>{view.predicted[i] == null ? '—' : fmt.number(Math.round(view.predicted[i]!))}</td>
            <td>
              {view.lower[i] == null || view.upper[i] == null
                ? '—'
                : t('surveillance.range', { lower: fmt.number(Math.round(view.lower[i]!)), upper: fmt.number(Math.round(view.upper[i]!)) })}
            </td>
          </tr>
        ))}
      </tbody>
    </ChartFigure>
  );
}
