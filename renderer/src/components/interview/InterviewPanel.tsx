import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseTriage, ErrorPayload, InterviewQuestion, InterviewResult, LocalText, Patient } from '../../../../electron/contract/ipcContract';
import { api } from '../../api/lanternClient';
import { ErrorAlert } from '../ErrorAlert';
import { TriagePanel } from '../TriagePanel';
import { BodyMap } from './BodyMap';
import { isLocationQuestion } from './bodyRegions';

type Answer = number | string | string[];

/** Chinese where we have reviewed text, English otherwise (the card says so). */
export function localText(t: LocalText, lang: string): string {
  return lang.startsWith('zh') && t.zh !== undefined ? t.zh : t.en;
}

/**
 * The case form's triage (vitals, NEWS2, its flags) with the flags the interview's answers raise:
 * one panel, most severe first, each flag once.
 */
export function mergeTriage(caseTriage: CaseTriage | undefined, interview: CaseTriage | undefined): CaseTriage | undefined {
  if (caseTriage === undefined) return interview;
  if (interview === undefined) return caseTriage;
  const order = { critical: 0, urgent: 1, warning: 2 } as const;
  const seen = new Set(caseTriage.flags.map((f) => `${f.code}\u0000${f.reason}`));
  const flags = [...caseTriage.flags, ...interview.flags.filter((f) => !seen.has(`${f.code}\u0000${f.reason}`))];
  return {
    ...caseTriage,
    flags: flags
      .map((f, i) => [f, i] as const)
      .sort((a, b) => order[a[0].severity] - order[b[0].severity] || a[1] - b[1])
      .map(([f]) => f),
  };
}

/**
 * The DDXPlus interview: age and sex from the patient, the presenting complaint from a searchable
 * list, then one question at a time (ask-next's best first) with its answer widget, and the
 * differential beside it. The clinician may answer, skip a question (it stays unknown) or stop.
 */
export function InterviewPanel({ patient, caseTriage, onSaved }: { patient: Patient; caseTriage?: CaseTriage; onSaved?: (caseId: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const ids = useId();
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [skipped, setSkipped] = useState<string[]>([]);
  const [result, setResult] = useState<InterviewResult | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  // Busy from the first render: the interview runs once on mount.
  const [busy, setBusy] = useState(true);
  const [saving, setSaving] = useState(false);
  const [stopped, setStopped] = useState(false);
  const [search, setSearch] = useState('');
  /** A question the clinician chose instead of ask-next's first. */
  const [picked, setPicked] = useState<string | null>(null);

  const fetchWith = useCallback(
    (next: Record<string, Answer>) =>
      api.runInterview({ patientId: patient.id, answers: next }).then((r) => {
        setBusy(false);
        if (r.ok) {
          setResult(r.value);
          setError(null);
        } else setError(r.error);
      }),
    [patient.id],
  );

  useEffect(() => {
    void fetchWith({});
  }, [fetchWith]);

  const runWith = (next: Record<string, Answer>) => {
    setBusy(true);
    void fetchWith(next);
  };

  const save = async () => {
    setSaving(true);
    const r = await api.saveInterview({ patientId: patient.id, answers });
    setSaving(false);
    if (r.ok) onSaved?.(r.value.id);
    else setError(r.error);
  };

  const answer = (feature: string, value: Answer) => {
    const next = { ...answers, [feature]: value };
    setPicked(null);
    setAnswers(next);
    void runWith(next);
  };

  const hasComplaint = result !== null && result.complaints.some((c) => answers[c.feature] === 1);
  const open = (result?.askNext ?? []).filter((q) => !skipped.includes(q.feature));
  const question: InterviewQuestion | undefined = open.find((q) => q.feature === picked) ?? open[0];
  const others = open.filter((q) => q !== question);
  const complaints = useMemo(() => {
    const s = search.trim().toLowerCase();
    const list = result?.complaints ?? [];
    return s === '' ? list : list.filter((c) => c.question.en.toLowerCase().includes(s) || (c.question.zh ?? '').includes(s) || c.feature.toLowerCase() === s);
  }, [result, search]);
  const answeredCount = Object.keys(answers).length;

  // Rules first: red flags from the case form and from these answers, above the questions and the differential.
  const shownTriage = mergeTriage(caseTriage, result?.triage);
  return (
    <>
      {shownTriage !== undefined && (shownTriage.flags.length > 0 || caseTriage !== undefined) ? <TriagePanel triage={shownTriage} /> : null}
      <div className="case-layout interview" data-interview-busy={busy ? 'true' : 'false'} data-interview-answered={answeredCount}>
        <div className="case-form">
          <section className="card" aria-labelledby={`${ids}-h`}>
            <h2 id={`${ids}-h`}>{t('interview.heading')}</h2>
            <p className="muted">
              {t('interview.patientFacts', {
                age: result?.ageYears ?? t('interview.unknown'),
                sex: result?.sex === null || result === null ? t('interview.unknown') : t(`interview.sex.${result.sex}`),
              })}
            </p>
            {lang.startsWith('zh') ? <p className="muted">{t('interview.englishQuestions')}</p> : null}
            <ErrorAlert error={error} />
            {result !== null && !hasComplaint ? (
              <div className="field">
                <label htmlFor={`${ids}-cc`}>{t('interview.complaint')}</label>
                <input id={`${ids}-cc`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('interview.complaintSearch')} />
                <ul className="interview-complaints" aria-label={t('interview.complaint')}>
                  {complaints.slice(0, 12).map((c) => (
                    <li key={c.feature}>
                      <button type="button" className="secondary" data-feature={c.feature} disabled={busy} onClick={() => answer(c.feature, 1)}>
                        {localText(c.question, lang)}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {hasComplaint && !stopped && question !== undefined ? (
              <QuestionCard
                key={question.feature}
                q={question}
                lang={lang}
                busy={busy}
                onAnswer={(v) => answer(question.feature, v)}
                onSkip={() => setSkipped((s) => [...s, question.feature])}
              />
            ) : null}
            {hasComplaint && !stopped && others.length > 0 ? (
              <div className="field">
                <p className="muted">{t('interview.others')}</p>
                <ul className="interview-others">
                  {others.map((q) => (
                    <li key={q.feature}>
                      <button type="button" className="link-button" data-feature={q.feature} disabled={busy} onClick={() => setPicked(q.feature)}>
                        {localText(q.question, lang)}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {hasComplaint && !stopped && question === undefined && result !== null && !busy ? (
              <p>{result.askNext.length > 0 ? t('interview.allSkipped') : t('interview.noMore')}</p>
            ) : null}
            {hasComplaint ? (
              <div className="actions">
                <button type="button" className="secondary" onClick={() => setStopped((s) => !s)}>
                  {stopped ? t('interview.resume') : t('interview.stop')}
                </button>
                <button
                  type="button"
                  className="primary"
                  data-action="save-interview"
                  disabled={busy || saving || result?.abstained !== undefined}
                  onClick={() => void save()}
                >
                  {saving ? t('interview.saving') : t('interview.save')}
                </button>
                <span className="muted" role="status">
                  {t('interview.answered', { count: answeredCount })}
                </span>
              </div>
            ) : null}
          </section>
        </div>
        <div className="case-result">
          <InterviewDifferential result={result} lang={lang} />
        </div>
      </div>
    </>
  );
}

function QuestionCard({
  q,
  lang,
  busy,
  onAnswer,
  onSkip,
}: {
  q: InterviewQuestion;
  lang: string;
  busy: boolean;
  onAnswer: (v: Answer) => void;
  onSkip: () => void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const [scale, setScale] = useState(0);
  const [chosen, setChosen] = useState<string[]>([]);
  return (
    <fieldset className="interview-question" data-feature={q.feature} data-kind={q.kind}>
      <legend id={`${ids}-q`}>{localText(q.question, lang)}</legend>
      {q.kind === 'binary' ? (
        <div className="actions">
          <button type="button" className="primary" data-answer="yes" disabled={busy} onClick={() => onAnswer(1)}>
            {t('interview.yes')}
          </button>
          <button type="button" className="secondary" data-answer="no" disabled={busy} onClick={() => onAnswer(0)}>
            {t('interview.no')}
          </button>
        </div>
      ) : null}
      {q.kind === 'scale' ? (
        <div className="field">
          <label htmlFor={`${ids}-s`}>{t('interview.scale', { value: scale })}</label>
          <input id={`${ids}-s`} type="range" min={0} max={10} step={1} value={scale} onChange={(e) => setScale(Number(e.target.value))} />
          <button type="button" className="primary" data-answer="confirm" disabled={busy} onClick={() => onAnswer(scale)}>
            {t('interview.confirm')}
          </button>
        </div>
      ) : null}
      {q.kind === 'choice' ? (
        <ul className="interview-options">
          {(q.options ?? []).map((o) => (
            <li key={String(o.value)}>
              <button type="button" className="secondary" data-value={String(o.value)} disabled={busy} onClick={() => onAnswer(o.value)}>
                {localText(o.label, lang)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {q.kind === 'multi' ? (
        <div>
          {isLocationQuestion((q.options ?? []).map((o) => String(o.value))) ? (
            <BodyMap options={(q.options ?? []).map((o) => String(o.value))} chosen={chosen} onChange={setChosen} disabled={busy} />
          ) : null}
          <ul className="interview-options">
            {(q.options ?? []).map((o) => {
              const v = String(o.value);
              return (
                <li key={v}>
                  <label>
                    <input
                      type="checkbox"
                      data-value={v}
                      checked={chosen.includes(v)}
                      onChange={(e) => setChosen((c) => (e.target.checked ? [...c, v] : c.filter((x) => x !== v)))}
                    />{' '}
                    {localText(o.label, lang)}
                  </label>
                </li>
              );
            })}
          </ul>
          <button type="button" className="primary" data-answer="confirm" disabled={busy || chosen.length === 0} onClick={() => onAnswer(chosen)}>
            {t('interview.confirm')}
          </button>
        </div>
      ) : null}
      <div className="actions">
        <button type="button" className="secondary" data-answer="skip" disabled={busy} onClick={onSkip}>
          {t('interview.dontKnow')}
        </button>
      </div>
    </fieldset>
  );
}

/** Whole percent as this list shows it, never "100%" (no model here is certain). */
const wholePercent = (p: number): string => (Math.round(p * 100) >= 100 ? '> 99%' : `${Math.round(p * 100)}%`);

function InterviewDifferential({ result, lang }: { result: InterviewResult | null; lang: string }) {
  const { t } = useTranslation();
  const ids = useId();
  if (result === null) return <p className="muted placeholder">{t('interview.loading')}</p>;
  return (
    <section className="card interview-differential" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('interview.differential')}</h2>
      <p className="muted">{t('interview.population', { population: result.population })}</p>
      {result.abstained !== undefined ? (
        <p role="note" data-abstained={result.abstained.code}>
          {result.abstained.code === 'INSUFFICIENT_INPUTS' ? t('interview.needComplaint') : result.abstained.message}
        </p>
      ) : (
        <ol className="interview-conditions">
          {result.differential.map((d) => (
            <li key={d.pathology} data-pathology={d.pathology} data-cant-miss={d.cantMiss ? 'true' : 'false'}>
              <strong>{localText(d.displayName, lang)}</strong> {wholePercent(d.probability)}{' '}
              <span className="muted">
                {d.icd10 ? `ICD-10 ${d.icd10.code}` : null} · {t('interview.severity', { severity: d.severity })}
              </span>
              {d.cantMiss ? <span className="badge">{t('interview.cantMiss')}</span> : null}
              {d.movedBy.length > 0 ? (
                <p className="muted interview-moved">
                  {t('interview.movedBy', {
                    list: d.movedBy.map((m) => `${localText(m.question, lang)} (+${Math.round(m.delta * 100)}%)`).join('; '),
                  })}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <p className="muted">{t('interview.model', { id: result.modelId, version: result.modelVersion })}</p>
    </section>
  );
}
