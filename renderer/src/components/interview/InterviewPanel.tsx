import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, InterviewQuestion, InterviewResult, LocalText, Patient } from '../../../../electron/contract/ipcContract';
import { api } from '../../api/lanternClient';
import { ErrorAlert } from '../ErrorAlert';

type Answer = number | string | string[];

/** Chinese where we have reviewed text, English otherwise (the card says so). */
export function localText(t: LocalText, lang: string): string {
  return lang.startsWith('zh') && t.zh !== undefined ? t.zh : t.en;
}

/**
 * The DDXPlus interview: age and sex from the patient, the presenting complaint from a searchable
 * list, then one question at a time (ask-next's best first) with its answer widget, and the
 * differential beside it. The clinician may answer, skip a question (it stays unknown) or stop.
 */
export function InterviewPanel({ patient }: { patient: Patient }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const ids = useId();
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [skipped, setSkipped] = useState<string[]>([]);
  const [result, setResult] = useState<InterviewResult | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  // Busy from the first render: the interview runs once on mount.
  const [busy, setBusy] = useState(true);
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

  return (
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
            <p>{(result.askNext.length > 0 ? t('interview.allSkipped') : t('interview.noMore'))}</p>
          ) : null}
          {hasComplaint ? (
            <div className="actions">
              <button type="button" className="secondary" onClick={() => setStopped((s) => !s)}>
                {stopped ? t('interview.resume') : t('interview.stop')}
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
  );
}

function QuestionCard({ q, lang, busy, onAnswer, onSkip }: { q: InterviewQuestion; lang: string; busy: boolean; onAnswer: (v: Answer) => void; onSkip: () => void }) {
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
              <strong>{localText(d.displayName, lang)}</strong> {Math.round(d.probability * 100)}%{' '}
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
      <p className="muted">
        {t('interview.model', { id: result.modelId, version: result.modelVersion })}
      </p>
    </section>
  );
}
