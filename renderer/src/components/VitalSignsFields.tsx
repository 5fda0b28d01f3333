import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { VitalCode, VitalDefinition } from '../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { checkValue } from '../ranges';
import { implausibleText, normalRangeText } from './measureText';
import { RangeFlagBadge } from './RangeFlagBadge';

interface Props {
  vitals: VitalDefinition[];
  values: Partial<Record<VitalCode, string>>;
  onChange: (code: VitalCode, text: string) => void;
}

/** One number field per vital in the catalogue, with its range flag shown as the user types. */
export function VitalSignsFields({ vitals, values, onChange }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  return (
    <div className="vitals-grid">
      {vitals.map((def) => {
        const id = `${ids}-${def.code}`;
        const name = t(`vital.${def.code}`);
        const text = values[def.code] ?? '';
        const check = checkValue(text, def);
        const range = normalRangeText(t, def, def.unit, fmt.number);
        const error =
          check.status === 'implausible'
            ? implausibleText(t, name, def, def.unit, fmt.number)
            : check.status === 'invalid'
              ? t('measure.notANumber', { name })
              : null;
        return (
          <div key={def.code} className={`field vital-field${error ? ' has-error' : ''}`}>
            <label htmlFor={id}>{t('measure.fieldLabel', { name, unit: def.unit })}</label>
            <div className="input-with-flag">
              <input
                id={id}
                data-vital={def.code}
                type="number"
                inputMode="decimal"
                step="any"
                value={text}
                aria-invalid={error ? true : undefined}
                aria-describedby={`${id}-range ${id}-flag ${id}-error`}
                onChange={(e) => onChange(def.code, e.target.value)}
              />
              <span id={`${id}-flag`}>{check.status === 'ok' ? <RangeFlagBadge flag={check.flag} /> : null}</span>
            </div>
            {range ? (
              <p id={`${id}-range`} className="hint">
                {range}
              </p>
            ) : null}
            <p id={`${id}-error`} className="field-error" aria-live="polite">
              {error}
            </p>
          </div>
        );
      })}
    </div>
  );
}
