import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import { parseNumber } from '../../ranges';
import type { DisplayWindow } from './pixels';
import { matchingPreset, type WindowPreset } from './presets';

interface Props {
  window: DisplayWindow;
  presets: WindowPreset[];
  onWindow: (w: DisplayWindow) => void;
}

/** Keyboard route to window/level: a preset list plus centre and width fields. */
export function WindowControls({ window: win, presets, onWindow }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const active = matchingPreset(presets, win);
  return (
    <div className="viewer-window">
      <div className="field compact">
        <label htmlFor={`${ids}-preset`}>{t('viewer.preset')}</label>
        <select
          id={`${ids}-preset`}
          value={active ?? ''}
          onChange={(e) => {
            const p = presets.find((x) => x.id === e.target.value);
            if (p) onWindow({ centre: p.centre, width: p.width });
          }}
        >
          {active === null ? <option value="">{t('viewer.presetCustom')}</option> : null}
          {presets.map((p) => (
            <option key={p.id} value={p.id}>
              {t(`viewer.presets.${p.id}`)}
            </option>
          ))}
        </select>
      </div>
      <WindowNumber label={t('viewer.centre')} value={win.centre} onValue={(centre) => onWindow({ ...win, centre })} />
      <WindowNumber label={t('viewer.width')} value={win.width} min={Number.MIN_VALUE} onValue={(width) => onWindow({ ...win, width })} />
    </div>
  );
}

/** A number field that shows the live value but lets the user type freely until it parses. */
function WindowNumber({ label, value, min, onValue }: { label: string; value: number; min?: number; onValue: (v: number) => void }) {
  const id = useId();
  const fmt = useLocaleFormat();
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? String(Math.round(value * 100) / 100);
  return (
    <div className="field compact">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        step="any"
        inputMode="decimal"
        value={shown}
        title={fmt.number(value)}
        onChange={(e) => {
          setDraft(e.target.value);
          const parsed = parseNumber(e.target.value);
          if (parsed.kind === 'number' && (min === undefined || parsed.value >= min)) onValue(parsed.value);
        }}
        onBlur={() => setDraft(null)}
      />
    </div>
  );
}
