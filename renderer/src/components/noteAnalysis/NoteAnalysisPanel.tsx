import { useEffect, useId, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { FindingState } from '../../../../electron/contract/ipcContract';
import type { NoteAnalysisState } from '../../note/useNoteAnalysis';
import { ErrorAlert } from '../ErrorAlert';
import { EntityLegend } from './EntityLegend';
import { entityColourMap } from './entityColours';
import { ExtractedFindings } from './ExtractedFindings';
import { HighlightedNote } from './HighlightedNote';

interface Props {
  note: string;
  state: NoteAnalysisState;
  onAnalyse: () => void;
  onCancel: () => void;
  known: ReadonlySet<string>;
  /** The catalogue's spelling of a feature the note analysis names. */
  resolveSymptom: (feature: string) => string;
  findings: Record<string, FindingState>;
  nameOf: (code: string) => string;
  onSetFindings: (changes: { feature: string; state: FindingState }[]) => void;
}

/** "Analyse note" with its progress, then the highlighted note and the findings it states. */
export function NoteAnalysisPanel(props: Props) {
  const { note, state, onAnalyse, onCancel, known, resolveSymptom, findings, nameOf, onSetFindings } = props;
  const { t } = useTranslation();
  const ids = useId();
  const result = state.phase === 'done' ? state.result : null;
  const colours = useMemo(() => entityColourMap((result?.entities ?? []).map((e) => e.label)), [result]);
  const running = state.phase === 'running';
  // After each finished analysis, focus goes to the findings it extracted (what to act on next).
  const findingsRef = useRef<HTMLDivElement>(null);
  const finishedRun = state.phase === 'done' ? state.run : null;
  useEffect(() => {
    if (finishedRun !== null) findingsRef.current?.focus();
  }, [finishedRun]);
  const run = state.phase === 'done' ? state.run : 0;
  const stale = result !== null && result.text !== note;
  const noteFindings = useMemo(() => (result?.findings ?? []).map((f) => ({ ...f, feature: resolveSymptom(f.feature) })), [result, resolveSymptom]);

  return (
    <div className="note-analysis">
      <div className="actions">
        <button type="button" className="secondary" onClick={onAnalyse} disabled={running || note.trim() === ''}>
          {t('note.analyse')}
        </button>
        {running ? (
          <button type="button" className="link-button" onClick={onCancel}>
            {t('note.cancel')}
          </button>
        ) : null}
        <span className="note-progress" role="status">
          {running ? (
            <>
              <label htmlFor={`${ids}-progress`}>{t('note.progress', { done: state.done, total: state.total })}</label>
              <progress id={`${ids}-progress`} max={Math.max(1, state.total)} value={state.done} />
            </>
          ) : null}
        </span>
      </div>
      {state.phase === 'failed' ? (
        <ErrorAlert error={state.error} detail={t('note.failedChunk', { chunk: state.chunk, total: state.total, message: state.error.message })} />
      ) : null}
      {result ? (
        <>
          {stale ? <p className="hint note-stale">{t('note.stale')}</p> : null}
          {/* Highlights of an older text are not shown beside the edited note: they would sit above it and
              quote what the note no longer says. The findings stay, so accepted ones can still be undone. */}
          {stale ? null : (
            <>
              <h3 id={`${ids}-analysed`}>{t('note.analysedHeading')}</h3>
              <EntityLegend colours={colours} />
              {result.entities.length === 0 ? <p className="muted">{t('note.noEntities')}</p> : null}
              <HighlightedNote key={`highlights-${run}`} text={result.text} entities={result.entities} colours={colours} labelledBy={`${ids}-analysed`} />
            </>
          )}
          <div ref={findingsRef} tabIndex={-1} className="focus-target" role="group" aria-label={t('note.findingsHeading')} data-testid="note-findings">
            <ExtractedFindings
              // distinct keys per sibling: two children with one key made React keep old highlight blocks
              key={`findings-${run}`}
              findings={noteFindings}
              known={known}
              current={findings}
              nameOf={nameOf}
              onSet={onSetFindings}
            />
          </div>
        </>
      ) : null}
    </div>
  );
}
