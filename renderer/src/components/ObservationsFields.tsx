import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseObservations } from '../../../electron/contract/ipcContract';

type Consciousness = NonNullable<CaseObservations['consciousness']>;
/** ACVPU in chart order (the contract's list; types only here, so zod stays out of the renderer). */
const consciousnessLevels: readonly Consciousness[] = ['alert', 'new-confusion', 'voice', 'pain', 'unresponsive'];

interface Props {
  value: CaseObservations;
  onChange: (next: CaseObservations) => void;
}

/** What NEWS2 needs beyond the numbers: ACVPU consciousness, air or oxygen, and SpO2 scale 2 where it applies. */
export function ObservationsFields({ value, onChange }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const oxygen = value.onSupplementalOxygen === undefined ? '' : value.onSupplementalOxygen ? 'oxygen' : 'air';
  const set = (patch: Partial<CaseObservations>) => {
    const next: CaseObservations = { ...value, ...patch };
    // "Not recorded" removes the key: unknown is not the same as alert or room air.
    for (const k of Object.keys(next) as (keyof CaseObservations)[]) if (next[k] === undefined) delete next[k];
    onChange(next);
  };
  return (
    <div className="observations-grid">
      <div className="field">
        <label htmlFor={`${ids}-acvpu`}>{t('observations.consciousness')}</label>
        <select
          id={`${ids}-acvpu`}
          value={value.consciousness ?? ''}
          onChange={(e) => set({ consciousness: e.target.value === '' ? undefined : (e.target.value as Consciousness) })}
        >
          <option value="">{t('observations.notRecorded')}</option>
          {consciousnessLevels.map((c) => (
            <option key={c} value={c}>
              {t(`observations.acvpu.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-o2`}>{t('observations.onSupplementalOxygen')}</label>
        <select
          id={`${ids}-o2`}
          value={oxygen}
          onChange={(e) => set({ onSupplementalOxygen: e.target.value === '' ? undefined : e.target.value === 'oxygen' })}
        >
          <option value="">{t('observations.notRecorded')}</option>
          <option value="air">{t('observations.air')}</option>
          <option value="oxygen">{t('observations.oxygen')}</option>
        </select>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.hypercapnicRespiratoryFailure === true}
          onChange={(e) => set({ hypercapnicRespiratoryFailure: e.target.checked ? true : undefined })}
        />
        {t('observations.hypercapnic')}
      </label>
    </div>
  );
}
