import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImageModelResult } from '../../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import { ColourBar } from './ColourBar';

interface Props {
  meaning: ImageModelResult['overlay']['meaning'];
  opacity: number;
  onOpacity: (o: number) => void;
  visible: boolean;
  onVisible: (v: boolean) => void;
}

export function OverlayControls({ meaning, opacity, onOpacity, visible, onVisible }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  return (
    <div className="overlay-controls">
      <div className="field compact">
        <label htmlFor={`${ids}-opacity`}>{t('viewer.opacity')}</label>
        <input
          id={`${ids}-opacity`}
          type="range"
          min={0}
          max={100}
          step={5}
          value={Math.round(opacity * 100)}
          aria-valuetext={fmt.percent(opacity)}
          onChange={(e) => onOpacity(Number(e.target.value) / 100)}
        />
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={visible} onChange={(e) => onVisible(e.target.checked)} />
        {t('viewer.showOverlay')}
      </label>
      <ColourBar meaning={meaning} />
    </div>
  );
}
