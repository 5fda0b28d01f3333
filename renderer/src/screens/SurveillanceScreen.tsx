import { useCallback, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AgeBand,
  ErrorPayload,
  Sex,
  SurveillanceExport,
  SurveillanceExportFormat,
  SurveillanceGranularity,
  SurveillanceGrouping,
  SurveillanceReport,
  SurveillanceSeries,
} from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { ErrorAlert } from '../components/ErrorAlert';
import { MonthlyForecastChart, WeeklyCountsChart } from '../components/surveillance/SurveillanceCharts';
import { SurveillanceAlertList } from '../components/surveillance/SurveillanceAlertList';
import { useFocusOnMount } from '../focus';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import type { Navigate } from '../navigation';
import { clearReady, useScreenReady } from '../readiness';
import { chosenMethod, defaultSurveillanceRange, downloadText, forecastView, weeklyView } from '../surveillanceView';
import '../styles/surveillance.css';
import { DateRangeFields } from '../components/DateRangeFields';
import { useIpcQuery } from '../useIpcQuery';
import { FormActions } from '../components/FormActions';

// The contract's lists, repeated here because the renderer imports the contract for types only.
const groupings: SurveillanceGrouping[] = ['icd10Category', 'diagnosis'];
const bands: AgeBand[] = ['0-4', '5-14', '15-24', '25-44', '45-64', '65+', 'unknown'];
const sexes: Sex[] = ['female', 'male', 'other', 'unknown'];
const granularities: SurveillanceGranularity[] = ['week', 'month'];
const formats: SurveillanceExportFormat[] = ['csv', 'fhir-measure-report'];

interface Filters {
  from: string;
  to: string;
  groupBy: SurveillanceGrouping;
  ageBand: AgeBand | '';
  sex: Sex | '';
}

function requestOf(f: Filters) {
  return { from: f.from, to: f.to, groupBy: f.groupBy, ...(f.ageBand ? { ageBand: f.ageBand } : {}), ...(f.sex ? { sex: f.sex } : {}) };
}

/**
 * Clinic surveillance: counts of clinician-confirmed final diagnoses over a range, per ICD-10
 * category or diagnosis, by age band and sex; next month's forecast beside its backtest; weeks
 * above the expected range with the cases behind them; the export for the district office.
 */
export function SurveillanceScreen({ navigate }: { navigate: Navigate }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [form, setForm] = useState<Filters>(() => ({ ...defaultSurveillanceRange(), groupBy: 'icd10Category', ageBand: '', sex: '' }));
  const [applied, setApplied] = useState<Filters>(form);
  // A failed range shows no numbers: the previous range's would read as this one's.
  const { value: report, loading, error } = useIpcQuery(useCallback(() => api.surveillanceReport(requestOf(applied)), [applied]));
  const [formError, setFormError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useScreenReady('surveillance', report !== null && !loading);

  function set<K extends keyof Filters>(key: K, value: Filters[K]) {
    setForm((f) => ({ ...f, [key]: value }));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.from || !form.to) return setFormError(t('surveillance.rangeRequired'));
    if (form.from > form.to) return setFormError(t('surveillance.rangeProblem'));
    setFormError(null);
    // Withdraw the ready signal now, so a test never reads the numbers of the previous range.
    clearReady();
    setApplied({ ...form });
  }

  // The chosen series while the report still has it, else the first.
  const series = report?.series.find((s) => s.key === selected) ?? report?.series[0] ?? null;
  const seriesName = (s: SurveillanceSeries) => (s.icd10Category && s.icd10Category !== s.label ? `${s.label} (${s.icd10Category})` : s.label);

  return (
    <section className="screen surveillance-screen" data-screen="surveillance" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {t('surveillance.heading')}
      </h1>
      <p className="intro">{t('surveillance.intro')}</p>

      <form className="card form surveillance-filters" onSubmit={submit} noValidate aria-labelledby={`${ids}-filters`}>
        <h2 id={`${ids}-filters`}>{t('surveillance.filters')}</h2>
        <div className="filter-grid">
          <DateRangeFields
            idPrefix={ids}
            from={form.from}
            to={form.to}
            fromLabel={t('surveillance.from')}
            toLabel={t('surveillance.to')}
            onFrom={(v) => set('from', v)}
            onTo={(v) => set('to', v)}
          />
          <div className="field">
            <label htmlFor={`${ids}-group`}>{t('surveillance.groupBy')}</label>
            <select id={`${ids}-group`} value={form.groupBy} onChange={(e) => set('groupBy', e.target.value as SurveillanceGrouping)}>
              {groupings.map((g) => (
                <option key={g} value={g}>
                  {t(`surveillance.grouping.${g}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-band`}>{t('surveillance.ageBand')}</label>
            <select id={`${ids}-band`} value={form.ageBand} onChange={(e) => set('ageBand', e.target.value as AgeBand | '')}>
              <option value="">{t('surveillance.any')}</option>
              {bands.map((b) => (
                <option key={b} value={b}>
                  {t(`surveillance.band.${b}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-sex`}>{t('surveillance.sex')}</label>
            <select id={`${ids}-sex`} value={form.sex} onChange={(e) => set('sex', e.target.value as Sex | '')}>
              <option value="">{t('surveillance.any')}</option>
              {sexes.map((s) => (
                <option key={s} value={s}>
                  {t(`sex.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ErrorAlert message={formError} />
        <FormActions submitLabel={t('surveillance.show')} busy={loading} status={loading ? t('surveillance.loading') : null} />
      </form>

      <ErrorAlert error={error} />

      {report ? (
        <>
          <p className="surveillance-total" role="status" data-total-cases={report.totalCases}>
            {t('surveillance.totalCases', { count: report.totalCases, from: fmt.calendarDate(report.from), to: fmt.calendarDate(report.to) })}
          </p>
          {report.series.length === 0 ? <p className="muted">{t('surveillance.none')}</p> : <SeriesTable report={report} seriesName={seriesName} />}

          <section className="card" aria-labelledby={`${ids}-alerts`}>
            <h2 id={`${ids}-alerts`}>{t('surveillance.alertsHeading')}</h2>
            <p className="hint">{t('surveillance.alertsHint')}</p>
            {report.alerts.length === 0 ? (
              <p className="muted">{t('surveillance.alertsNone')}</p>
            ) : (
              <SurveillanceAlertList alerts={report.alerts} navigate={navigate} label={t('surveillance.alertsHeading')} />
            )}
          </section>

          {series ? (
            <section className="card surveillance-detail" aria-labelledby={`${ids}-detail`}>
              <div className="field series-picker">
                <label htmlFor={`${ids}-series`}>{t('surveillance.select')}</label>
                <select id={`${ids}-series`} value={series.key} onChange={(e) => setSelected(e.target.value)}>
                  {report.series.map((s) => (
                    <option key={s.key} value={s.key}>
                      {seriesName(s)}
                    </option>
                  ))}
                </select>
              </div>
              <h2 id={`${ids}-detail`}>{seriesName(series)}</h2>
              <h3>{t('surveillance.weeklyHeading')}</h3>
              <WeeklyCountsChart key={`w-${series.key}`} view={weeklyView(report, series)} name={seriesName(series)} />
              <ForecastPanel series={series} name={seriesName(series)} report={report} />
              <StrataTable report={report} series={series} />
            </section>
          ) : null}

          <ExportPanel applied={applied} />
        </>
      ) : null}
    </section>
  );
}

function SeriesTable({ report, seriesName }: { report: SurveillanceReport; seriesName: (s: SurveillanceSeries) => string }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  return (
    <section className="card" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('surveillance.seriesHeading')}</h2>
      <table className="data-table surveillance-series" aria-labelledby={`${ids}-h`}>
        <thead>
          <tr>
            <th scope="col">{t('surveillance.diagnosis')}</th>
            <th scope="col">{t('surveillance.icd10')}</th>
            <th scope="col">{t('surveillance.cases')}</th>
            <th scope="col">{t('surveillance.nextMonth')}</th>
            <th scope="col">{t('surveillance.forecastColumn')}</th>
            <th scope="col">{t('surveillance.methodColumn')}</th>
          </tr>
        </thead>
        <tbody>
          {report.series.map((s) => {
            const m = chosenMethod(s.forecast);
            return (
              <tr key={s.key} data-series={s.key}>
                <th scope="row">{seriesName(s)}</th>
                <td>{s.icd10Category ?? t('surveillance.uncoded')}</td>
                <td data-cell="total">{fmt.number(s.total)}</td>
                <td>{s.forecast.targetMonth}</td>
                <td data-cell="forecast">
                  {m
                    ? t('surveillance.pointAndRange', {
                        point: fmt.number(Math.round(m.point)),
                        lower: fmt.number(Math.round(m.lower)),
                        upper: fmt.number(Math.round(m.upper)),
                      })
                    : t('surveillance.noForecast')}
                </td>
                <td>{m ? t(`surveillance.method.${m.method}`) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function ForecastPanel({ series, name, report }: { series: SurveillanceSeries; name: string; report: SurveillanceReport }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const f = series.forecast;
  const view = forecastView(report, series);
  const m = view.method;
  const summary =
    f.status === 'not-enough-history' || m === null
      ? t('surveillance.monthlyChartLabelNone', { name, months: f.historyMonths })
      : t('surveillance.monthlyChartLabel', {
          name,
          month: f.targetMonth,
          point: fmt.number(Math.round(m.point)),
          lower: fmt.number(Math.round(m.lower)),
          upper: fmt.number(Math.round(m.upper)),
        });
  return (
    <div className="forecast-panel">
      <h3>{t('surveillance.forecastHeading', { month: f.targetMonth })}</h3>
      {f.status === 'not-enough-history' ? (
        <p className="muted" data-forecast="none">
          {t('surveillance.notEnoughHistory', { months: f.historyMonths, needed: f.monthsNeeded })}
        </p>
      ) : (
        <>
          <table className="data-table forecast-methods" data-forecast="methods">
            <thead>
              <tr>
                <th scope="col">{t('surveillance.methodColumn')}</th>
                <th scope="col">{t('surveillance.forecastColumn')}</th>
                <th scope="col">{t('surveillance.mae')}</th>
                <th scope="col">{t('surveillance.coverage')}</th>
              </tr>
            </thead>
            <tbody>
              {f.methods.map((method) => (
                <tr key={method.method} data-method={method.method} className={method.method === f.chosen ? 'chosen' : undefined}>
                  <th scope="row">
                    {t(`surveillance.method.${method.method}`)}
                    {method.method === f.chosen ? <span className="badge">{t('surveillance.chosen')}</span> : null}
                    {method.parameters ? (
                      <span className="hint method-parameters">
                        {t('surveillance.parameters', {
                          alpha: method.parameters.alpha,
                          beta: method.parameters.beta ?? t('surveillance.noTrend'),
                          gamma: method.parameters.gamma,
                        })}
                      </span>
                    ) : null}
                  </th>
                  <td data-cell="forecast">
                    {t('surveillance.pointAndRange', {
                      point: fmt.number(Math.round(method.point)),
                      lower: fmt.number(Math.round(method.lower)),
                      upper: fmt.number(Math.round(method.upper)),
                    })}
                  </td>
                  <td data-cell="mae">
                    {method.backtest
                      ? t('surveillance.maeValue', { mae: fmt.number(method.backtest.mae), count: method.backtest.origins })
                      : t('surveillance.noBacktest')}
                  </td>
                  <td data-cell="coverage">{method.backtest ? fmt.percent(method.backtest.coverage) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">{t('surveillance.forecastHint', { level: fmt.percent(f.level) })}</p>
        </>
      )}
      <h3>{t('surveillance.monthlyHeading')}</h3>
      <MonthlyForecastChart key={`m-${series.key}`} view={view} name={name} summary={summary} />
    </div>
  );
}

function StrataTable({ report, series }: { report: SurveillanceReport; series: SurveillanceSeries }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const cells = new Map(report.strata.filter((s) => s.series === series.key).map((s) => [`${s.ageBand}|${s.sex}`, s.count]));
  const rows = bands.filter((b) => sexes.some((s) => cells.has(`${b}|${s}`)));
  return (
    <div className="strata">
      <h3 id={`${ids}-h`}>{t('surveillance.strataHeading')}</h3>
      <table className="data-table" data-table="strata" aria-labelledby={`${ids}-h`}>
        <thead>
          <tr>
            <th scope="col">{t('surveillance.ageBand')}</th>
            {sexes.map((s) => (
              <th scope="col" key={s}>
                {t(`sex.${s}`)}
              </th>
            ))}
            <th scope="col">{t('surveillance.total')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={b} data-band={b}>
              <th scope="row">{t(`surveillance.band.${b}`)}</th>
              {sexes.map((s) => (
                <td key={s} data-sex={s}>
                  {fmt.number(cells.get(`${b}|${s}`) ?? 0)}
                </td>
              ))}
              <td data-sex="all">{fmt.number(sexes.reduce((a, s) => a + (cells.get(`${b}|${s}`) ?? 0), 0))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ExportPanel({ applied }: { applied: Filters }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const [granularity, setGranularity] = useState<SurveillanceGranularity>('month');
  const [format, setFormat] = useState<SurveillanceExportFormat>('csv');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<SurveillanceExport | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  async function exportTable(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await api.exportSurveillance({ from: applied.from, to: applied.to, groupBy: applied.groupBy, granularity, format });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setDone(r.value);
    downloadText(r.value.fileName, r.value.mediaType, r.value.content);
  }

  return (
    <form className="card form surveillance-export" onSubmit={(e) => void exportTable(e)} aria-labelledby={`${ids}-h`} aria-busy={busy}>
      <h2 id={`${ids}-h`}>{t('surveillance.exportHeading')}</h2>
      <p className="hint">{t('surveillance.exportHint', { from: fmt.calendarDate(applied.from), to: fmt.calendarDate(applied.to) })}</p>
      <div className="filter-grid">
        <div className="field">
          <label htmlFor={`${ids}-gran`}>{t('surveillance.granularity')}</label>
          <select id={`${ids}-gran`} value={granularity} onChange={(e) => setGranularity(e.target.value as SurveillanceGranularity)}>
            {granularities.map((g) => (
              <option key={g} value={g}>
                {t(`surveillance.granularityValue.${g}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-format`}>{t('surveillance.format')}</label>
          <select id={`${ids}-format`} value={format} onChange={(e) => setFormat(e.target.value as SurveillanceExportFormat)}>
            {formats.map((f) => (
              <option key={f} value={f}>
                {t(`surveillance.formatValue.${f}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorAlert error={error} />
      <FormActions
        submitLabel={busy ? t('surveillance.exporting') : t('surveillance.export')}
        busy={busy}
        secondary={
          done
            ? { label: t('surveillance.downloadAgain'), onClick: () => downloadText(done.fileName, done.mediaType, done.content), whileBusy: true }
            : undefined
        }
      />
      <p className="hint" role="status" data-export-sha256={done?.sha256}>
        {done ? t('surveillance.exported', { file: done.fileName, rows: fmt.number(done.rows), sha: done.sha256 }) : null}
      </p>
    </form>
  );
}
