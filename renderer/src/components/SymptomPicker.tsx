import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FindingState, SymptomDefinition } from '../../../electron/contract/ipcContract';

const states: FindingState[] = ['present', 'absent', 'unknown'];

interface Props {
  symptoms: SymptomDefinition[];
  findings: Record<string, FindingState>;
  onChange: (code: string, state: FindingState) => void;
  nameOf: (code: string) => string;
}

function fold(text: string): string {
  return text
    .toLocaleLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();
}

/**
 * Findings entry built for the keyboard: type to filter, Enter / Shift+Enter marks the first
 * match present / absent. The list is one Tab stop (roving tabindex: only the active row's checked
 * radio is tabbable), so Tab leaves it at once; inside, Up/Down move between symptoms, Home/End to
 * the first/last, Left/Right change the state (native radio behaviour), Up from the first row
 * returns to the search field.
 */
export function SymptomPicker({ symptoms, findings, onChange, nameOf }: Props) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const ids = useId();

  const rows = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return symptoms
      .map((s) => ({ code: s.code, name: nameOf(s.code), keys: [fold(nameOf(s.code)), fold(s.label), fold(s.code)] }))
      .sort((a, b) => collator.compare(a.name, b.name));
  }, [symptoms, nameOf, i18n.language]);

  const matches = useMemo(() => {
    const q = fold(query);
    if (!q) return rows;
    // Names that start with the query come first: typing "fev" should offer "Fever" before "High fever".
    const prefix = rows.filter((r) => r.keys.some((k) => k.startsWith(q)));
    const inner = rows.filter((r) => !prefix.includes(r) && r.keys.some((k) => k.includes(q)));
    return [...prefix, ...inner];
  }, [rows, query]);

  const selected = Object.entries(findings).filter(([, state]) => state !== 'unknown');
  const [activeCode, setActiveCode] = useState<string | null>(null);
  // The row holding the list's one tab stop: the last one visited if still shown, else the first.
  const tabRow = matches.some((m) => m.code === activeCode) ? activeCode : (matches[0]?.code ?? null);

  function focusRow(index: number) {
    const row = matches[index];
    if (!row) return;
    setActiveCode(row.code);
    listRef.current?.querySelector<HTMLInputElement>(`li[data-code="${CSS.escape(row.code)}"] input:checked`)?.focus();
  }

  function onListKey(e: KeyboardEvent<HTMLUListElement>) {
    const code = (e.target as HTMLElement).closest('li')?.dataset['code'];
    const index = matches.findIndex((m) => m.code === code);
    if (index < 0) return;
    const to = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: matches.length - 1 }[e.key];
    if (to === undefined) return;
    // Up/Down would otherwise change the radio's state; here they move between symptoms.
    e.preventDefault();
    if (to < 0) searchRef.current?.focus();
    else focusRow(Math.min(to, matches.length - 1));
  }

  function mark(code: string, state: FindingState) {
    onChange(code, state);
    setAnnouncement(t('symptoms.marked', { symptom: nameOf(code), state: t(`findingStateLower.${state}`) }));
  }

  function onSearchKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') {
      e.preventDefault();
      const first = matches[0];
      if (!first || !query.trim()) return;
      mark(first.code, e.shiftKey ? 'absent' : 'present');
      setQuery('');
    } else if (e.key === 'ArrowDown') {
      // Jump into the list at its first row.
      e.preventDefault();
      focusRow(0);
    }
  }

  return (
    <div className="symptom-picker">
      <div className="field">
        <label htmlFor={`${ids}-find`}>{t('symptoms.find')}</label>
        <input
          ref={searchRef}
          id={`${ids}-find`}
          type="search"
          autoComplete="off"
          value={query}
          aria-describedby={`${ids}-hint ${ids}-count`}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
        />
        <p id={`${ids}-hint`} className="hint">
          {t('symptoms.findHint')}
        </p>
        <p id={`${ids}-list-hint`} className="hint">
          {t('symptoms.listHint')}
        </p>
        <p id={`${ids}-count`} className="hint" aria-live="polite">
          {matches.length === 0 ? t('symptoms.noMatch', { query }) : t('symptoms.shown', { shown: matches.length, total: rows.length })}
        </p>
      </div>

      {/* Arrow keys are handled on the list for every radio inside it. */}
      <ul ref={listRef} className="symptom-list" aria-label={t('symptoms.list')} aria-describedby={`${ids}-list-hint`} onKeyDown={onListKey}>
        {matches.map(({ code, name }) => {
          const current = findings[code] ?? 'unknown';
          return (
            <li key={code} data-code={code} className={`symptom-row state-${current}`}>
              <fieldset>
                <legend>{name}</legend>
                <div className="tri-state">
                  {states.map((state) => (
                    <label key={state} className={`tri-option tri-${state}`}>
                      <input
                        type="radio"
                        name={`finding-${ids}-${code}`}
                        value={state}
                        checked={current === state}
                        tabIndex={code === tabRow && current === state ? 0 : -1}
                        onFocus={() => setActiveCode(code)}
                        aria-label={t('symptoms.radioName', { symptom: name, state: t(`findingStateLower.${state}`) })}
                        onChange={() => mark(code, state)}
                      />
                      <span aria-hidden="true">{t(`findingState.${state}`)}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            </li>
          );
        })}
      </ul>

      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>

      <section className="selected-findings" aria-labelledby={`${ids}-selected`}>
        <h3 id={`${ids}-selected`}>{t('symptoms.selected')}</h3>
        {selected.length === 0 ? (
          <p className="muted">{t('symptoms.noneSelected')}</p>
        ) : (
          <ul>
            {selected.map(([code, state]) => (
              <li key={code} className={`chip chip-${state}`}>
                <span>
                  {nameOf(code)} — {t(`findingState.${state}`)}
                </span>
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={t('symptoms.removeFinding', { symptom: nameOf(code) })}
                  onClick={() => {
                    onChange(code, 'unknown');
                    // The button is about to disappear; keep focus somewhere useful.
                    searchRef.current?.focus();
                  }}
                >
                  {t('common.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
