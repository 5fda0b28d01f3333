import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FindingState, NoteFinding } from '../../../../electron/contract/ipcContract';
import { groupFindings, type GroupedFinding } from '../../note/noteResults';

interface Props {
  findings: NoteFinding[];
  /** Symptom codes the picker knows; others cannot be accepted. */
  known: ReadonlySet<string>;
  current: Record<string, FindingState>;
  nameOf: (code: string) => string;
  /** Sets findings in the case (state 'unknown' clears one). */
  onSet: (changes: { feature: string; state: FindingState }[]) => void;
}

interface Accepted {
  state: 'present' | 'absent';
  /** What the case said before, restored by undo. */
  previous: FindingState;
}

/**
 * The findings the note states, each with a checkbox; "Accept into case" copies the checked ones
 * into the symptom picker, and each accepted one can be undone on its own.
 */
export function ExtractedFindings({ findings, known, current, nameOf, onSet }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const groups = useMemo(() => groupFindings(findings), [findings]);
  const [checked, setChecked] = useState<Set<string>>(
    () =>
      new Set(
        groups.filter((g) => g.state !== 'unknown' && known.has(g.feature) && !g.conflict && (current[g.feature] ?? 'unknown') !== g.state).map((g) => g.key),
      ),
  );
  const [accepted, setAccepted] = useState<Record<string, Accepted>>({});
  const [announcement, setAnnouncement] = useState('');

  function toggle(g: GroupedFinding, on: boolean) {
    setChecked((prev) => {
      const next = new Set(prev);
      if (on) {
        next.add(g.key);
        // One state per symptom: checking "absent" unchecks "present".
        for (const other of groups) if (other.feature === g.feature && other.key !== g.key) next.delete(other.key);
      } else next.delete(g.key);
      return next;
    });
  }

  function accept() {
    const chosen = groups.filter(
      (g): g is GroupedFinding & { state: 'present' | 'absent' } => g.state !== 'unknown' && checked.has(g.key) && !accepted[g.feature] && known.has(g.feature),
    );
    if (chosen.length === 0) return;
    const added: Record<string, Accepted> = {};
    for (const g of chosen) added[g.feature] = { state: g.state, previous: current[g.feature] ?? 'unknown' };
    onSet(chosen.map((g) => ({ feature: g.feature, state: g.state })));
    setAccepted((prev) => ({ ...prev, ...added }));
    setAnnouncement(t('note.acceptedCount', { count: chosen.length }));
  }

  function undo(feature: string) {
    const a = accepted[feature];
    if (!a) return;
    // Only restore if the case still says what we put there; a later manual change wins.
    if ((current[feature] ?? 'unknown') === a.state) onSet([{ feature, state: a.previous }]);
    setAccepted((prev) => {
      const next = { ...prev };
      delete next[feature];
      return next;
    });
    setAnnouncement(t('note.undone', { symptom: nameOf(feature) }));
  }

  const pending = groups.filter((g) => g.state !== 'unknown' && checked.has(g.key) && !accepted[g.feature] && known.has(g.feature)).length;

  return (
    <section className="note-findings" aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>{t('note.findingsHeading')}</h3>
      {groups.length === 0 ? (
        <p className="muted">{t('note.noFindings')}</p>
      ) : (
        <>
          <ul className="note-finding-list" aria-labelledby={`${ids}-h`}>
            {groups.map((g) => {
              const name = nameOf(g.feature);
              const isKnown = known.has(g.feature);
              const acc = accepted[g.feature];
              const isAcceptedRow = acc?.state === g.state;
              const id = `${ids}-${g.key}`;
              return (
                <li key={g.key} className={`note-finding state-${g.state}`} data-feature={g.feature} data-state={g.state}>
                  <input
                    id={id}
                    type="checkbox"
                    checked={isAcceptedRow || checked.has(g.key)}
                    disabled={!isKnown || acc !== undefined || g.state === 'unknown'}
                    onChange={(e) => toggle(g, e.target.checked)}
                  />
                  <label htmlFor={id}>
                    {t('note.findingName', {
                      symptom: name,
                      // possible / hypothetical / historical / family: say which, not "unknown"
                      state: g.state === 'unknown' ? t(`note.assertion.${g.first.assertion}`) : t(`findingStateLower.${g.state}`),
                    })}
                  </label>
                  {g.state === 'unknown' ? <span className="muted">{t('note.notEntered')}</span> : null}
                  <q className="note-quote">{g.first.text}</q>
                  {g.mentions > 1 ? <span className="muted">{t('note.mentions', { count: g.mentions })}</span> : null}
                  {g.conflict ? <span className="badge badge-warn">{t('note.conflict')}</span> : null}
                  {!isKnown ? <span className="muted">{t('note.unknownSymptom')}</span> : null}
                  {isAcceptedRow ? (
                    <span className="note-accepted">
                      <span className="badge badge-ok">{t('note.accepted')}</span>
                      <button type="button" className="link-button" aria-label={t('note.undoLabel', { symptom: name })} onClick={() => undo(g.feature)}>
                        {t('note.undo')}
                      </button>
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
          <div className="actions">
            <button type="button" className="primary" disabled={pending === 0} onClick={accept}>
              {t('note.accept')}
            </button>
            <span className="hint">{t('note.pending', { count: pending })}</span>
          </div>
        </>
      )}
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </section>
  );
}
