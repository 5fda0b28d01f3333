import { useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LabDefinition } from '../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { checkValue, rangeFlag } from '../ranges';
import { implausibleText, normalRangeText } from './measureText';
import { RangeFlagBadge } from './RangeFlagBadge';
import { localiseLab } from '../i18n/labNames';

export interface LabEntry {
  /** Local identity only, so two results for the same test can be told apart. */
  key: number;
  loinc: string;
  value: number;
}

interface Props {
  labs: LabDefinition[];
  entries: LabEntry[];
  onAdd: (loinc: string, value: number) => void;
  onRemove: (key: number) => void;
}

export function LabResultsEditor({ labs, entries, onAdd, onRemove }: Props) {
  const { t, i18n } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const [loinc, setLoinc] = useState('');
  const [text, setText] = useState('');
  const [submitError, setSubmitError] = useState<string | null>(null);
  const selectRef = useRef<HTMLSelectElement>(null);

  const sorted = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return labs.map((l) => localiseLab(l, i18n.language)).sort((a, b) => collator.compare(a.name, b.name));
  }, [labs, i18n.language]);
  const byLoinc = useMemo(() => new Map(sorted.map((l) => [l.loinc, l] as const)), [sorted]);
  const def = byLoinc.get(loinc);

  const check = def ? checkValue(text, def) : null;
  const liveError =
    def && check?.status === 'implausible'
      ? implausibleText(t, def.name, def, def.unit, fmt.number)
      : def && check?.status === 'invalid'
        ? t('measure.notANumber', { name: def.name })
        : null;
  const error = liveError ?? submitError;

  function add() {
    if (!def) return setSubmitError(t('labs.chooseFirst'));
    if (!check || check.status === 'empty') return setSubmitError(t('labs.valueRequired'));
    // Implausible values are refused here: they are typing errors, and the app would reject the case.
    if (check.status !== 'ok') return;
    onAdd(def.loinc, check.value);
    setText('');
    setSubmitError(null);
  }

  return (
    <div className="lab-editor">
      <div className="lab-add">
        <div className="field">
          <label htmlFor={`${ids}-test`}>{t('labs.test')}</label>
          <select
            ref={selectRef}
            id={`${ids}-test`}
            value={loinc}
            onChange={(e) => {
              setLoinc(e.target.value);
              setSubmitError(null);
            }}
          >
            <option value="">{t('labs.choose')}</option>
            {sorted.map((l) => (
              <option key={l.loinc} value={l.loinc}>
                {t('labs.option', { name: l.name, loinc: l.loinc, unit: l.unit })}
              </option>
            ))}
          </select>
        </div>
        <div className={`field${error ? ' has-error' : ''}`}>
          <label htmlFor={`${ids}-value`}>{def ? t('labs.valueWithUnit', { unit: def.unit }) : t('labs.value')}</label>
          <div className="input-with-flag">
            <input
              id={`${ids}-value`}
              type="number"
              inputMode="decimal"
              step="any"
              value={text}
              aria-invalid={liveError ? true : undefined}
              aria-describedby={`${ids}-range ${ids}-flag ${ids}-error`}
              onChange={(e) => {
                setText(e.target.value);
                setSubmitError(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  add();
                }
              }}
            />
            <span id={`${ids}-flag`}>{check?.status === 'ok' ? <RangeFlagBadge flag={check.flag} /> : null}</span>
          </div>
          {def ? (
            <p id={`${ids}-range`} className="hint">
              {normalRangeText(t, def, def.unit, fmt.number)}
            </p>
          ) : null}
          <p id={`${ids}-error`} className="field-error" aria-live="polite">
            {error}
          </p>
        </div>
        <button type="button" className="secondary" onClick={add}>
          {t('labs.add')}
        </button>
      </div>

      <h3 id={`${ids}-added`}>{t('labs.added')}</h3>
      {entries.length === 0 ? (
        <p className="muted">{t('labs.none')}</p>
      ) : (
        <ul className="lab-list" aria-labelledby={`${ids}-added`}>
          {entries.map((entry) => {
            const lab = byLoinc.get(entry.loinc);
            const name = lab?.name ?? t('labs.loinc', { loinc: entry.loinc });
            return (
              <li key={entry.key} className="lab-row">
                <span className="lab-name">{name}</span>
                <span className="muted">{t('labs.loinc', { loinc: entry.loinc })}</span>
                <span className="lab-value">{t('measure.valueWithUnit', { value: fmt.number(entry.value), unit: lab?.unit ?? '' })}</span>
                {lab ? <RangeFlagBadge flag={rangeFlag(entry.value, lab)} /> : null}
                <button
                  type="button"
                  className="link-button"
                  aria-label={t('labs.remove', { name })}
                  onClick={() => {
                    onRemove(entry.key);
                    // The row and its button go away; do not drop focus to the page body.
                    selectRef.current?.focus();
                  }}
                >
                  {t('common.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
