import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, Patient, Sex } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { ErrorAlert } from '../components/ErrorAlert';
import { HomeAlertsPanel } from '../components/surveillance/HomeAlertsPanel';
import { useFocusOnMount } from '../focus';
import { todayIsoDate } from '../format';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import type { Navigate } from '../navigation';
import { clearReady, useScreenReady } from '../readiness';
import { canEditClinical, useSessionUser } from '../roles';
import { FormActions } from '../components/FormActions';

const sexes: Sex[] = ['female', 'male', 'other', 'unknown'];
const SEARCH_DEBOUNCE_MS = 200;

function isSex(value: string): value is Sex {
  return (sexes as string[]).includes(value);
}

export function PatientsScreen({ navigate }: { navigate: Navigate }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const loadedOnce = useRef(false);
  // Auditors may look patients up but not add them.
  const canCreate = canEditClinical(useSessionUser()?.role);

  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Patient[] | null>(null);
  const [searching, setSearching] = useState(true);
  const [searchError, setSearchError] = useState<ErrorPayload | null>(null);

  const [name, setName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [sex, setSex] = useState('');
  const [identifier, setIdentifier] = useState('');
  const [phone, setPhone] = useState('');
  const [address, setAddress] = useState('');
  const [creating, setCreating] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [createError, setCreateError] = useState<ErrorPayload | null>(null);

  useScreenReady('patients', results !== null && !searching);

  useEffect(() => {
    let live = true;
    // The first load is immediate; later ones wait for a pause in typing.
    const delay = loadedOnce.current ? SEARCH_DEBOUNCE_MS : 0;
    const timer = window.setTimeout(() => {
      void api.searchPatients({ query: query.trim() }).then((result) => {
        if (!live) return;
        loadedOnce.current = true;
        if (result.ok) {
          setResults(result.value);
          setSearchError(null);
        } else {
          setResults([]);
          setSearchError(result.error);
        }
        setSearching(false);
      });
    }, delay);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [query]);

  async function createPatient(e: FormEvent) {
    e.preventDefault();
    setCreateError(null);
    if (!name.trim()) return setFormError(t('patients.nameRequired'));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return setFormError(t('patients.birthDateRequired'));
    if (birthDate > todayIsoDate()) return setFormError(t('patients.birthDateFuture'));
    if (!isSex(sex)) return setFormError(t('patients.sexRequired'));
    setFormError(null);
    setCreating(true);
    const details = Object.fromEntries(
      Object.entries({ identifier, phone, address })
        .map(([k, v]) => [k, v.trim()])
        .filter(([, v]) => v !== ''),
    ) as { identifier?: string; phone?: string; address?: string };
    const result = await api.createPatient({ name: name.trim(), birthDate, sex, ...details });
    setCreating(false);
    if (result.ok) navigate({ screen: 'patient', patientId: result.value.id });
    else setCreateError(result.error);
  }

  return (
    <section className="screen" data-screen="patients" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {t('patients.heading')}
      </h1>
      <HomeAlertsPanel navigate={navigate} />
      <div className="columns">
        <div className="card">
          <div className="field">
            <label htmlFor={`${ids}-search`}>{t('patients.search')}</label>
            <input
              id={`${ids}-search`}
              type="search"
              autoComplete="off"
              value={query}
              maxLength={200}
              aria-describedby={`${ids}-search-hint`}
              onChange={(e) => {
                // Withdraw the ready signal now, so a test never reads results of the old query.
                clearReady();
                setSearching(true);
                setQuery(e.target.value);
              }}
            />
            <p id={`${ids}-search-hint`} className="hint">
              {t('patients.searchHint')}
            </p>
          </div>
          <ErrorAlert error={searchError} />
          <p className="hint" role="status">
            {searching ? t('patients.searching') : results ? t('patients.resultCount', { count: results.length }) : null}
          </p>
          {results && results.length === 0 && !searching && !searchError ? <p className="muted">{t('patients.noResults')}</p> : null}
          {results && results.length > 0 ? (
            <ul className="patient-list" aria-label={t('patients.results')} aria-busy={searching}>
              {results.map((p) => (
                <li key={p.id}>
                  <button type="button" className="list-button" onClick={() => navigate({ screen: 'patient', patientId: p.id })}>
                    <span className="patient-name">{p.name}</span>
                    <span className="patient-meta">
                      {t('patients.bornOn', { date: fmt.calendarDate(p.birthDate) })} · {t(`sex.${p.sex}`)}
                      {p.identifier ? ` · ${t('patients.identifierShort', { id: p.identifier })}` : ''}
                      {p.address ? ` · ${p.address}` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>

        <form className="card form" onSubmit={createPatient} noValidate aria-labelledby={`${ids}-new`} aria-busy={creating} hidden={!canCreate}>
          <h2 id={`${ids}-new`}>{t('patients.newHeading')}</h2>
          <div className="field">
            <label htmlFor={`${ids}-name`}>{t('patients.fullName')}</label>
            <input id={`${ids}-name`} autoComplete="off" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-dob`}>{t('patients.birthDate')}</label>
            <input id={`${ids}-dob`} type="date" value={birthDate} min="1900-01-01" max={todayIsoDate()} onChange={(e) => setBirthDate(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-sex`}>{t('patients.sex')}</label>
            <select id={`${ids}-sex`} value={sex} onChange={(e) => setSex(e.target.value)}>
              <option value="" disabled>
                {t('patients.sexPlaceholder')}
              </option>
              {sexes.map((s) => (
                <option key={s} value={s}>
                  {t(`sex.${s}`)}
                </option>
              ))}
            </select>
          </div>
          {(
            [
              ['identifier', identifier, setIdentifier, 64, 'off'],
              ['phone', phone, setPhone, 40, 'off'],
              ['address', address, setAddress, 300, 'off'],
            ] as const
          ).map(([field, value, set, max]) => (
            <div className="field" key={field}>
              <label htmlFor={`${ids}-${field}`}>{t(`patients.${field}`)}</label>
              <input
                id={`${ids}-${field}`}
                type={field === 'phone' ? 'tel' : 'text'}
                autoComplete="off"
                value={value}
                maxLength={max}
                onChange={(e) => set(e.target.value)}
              />
            </div>
          ))}
          <ErrorAlert message={formError} />
          <ErrorAlert error={createError} />
          <FormActions submitLabel={t('patients.create')} busy={creating} status={creating ? t('patients.creating') : null} />
        </form>
      </div>
    </section>
  );
}
