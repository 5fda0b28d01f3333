import { useTranslation } from 'react-i18next';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';

interface Props {
  zoom: number | null;
  onZoom: (factor: number) => void;
  onFit: () => void;
  panMode: boolean;
  onPanMode: (on: boolean) => void;
}

export function ZoomControls({ zoom, onZoom, onFit, panMode, onPanMode }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  return (
    <div className="viewer-zoom" role="group" aria-label={t('viewer.zoomGroup')}>
      <button type="button" className="secondary small" aria-label={t('viewer.zoomOut')} onClick={() => onZoom(1 / 1.25)}>
        −
      </button>
      <span className="viewer-zoom-value">{zoom === null ? '' : fmt.percent(zoom)}</span>
      <button type="button" className="secondary small" aria-label={t('viewer.zoomIn')} onClick={() => onZoom(1.25)}>
        +
      </button>
      <button type="button" className="secondary small" onClick={onFit}>
        {t('viewer.fit')}
      </button>
      <button type="button" className="secondary small" aria-pressed={panMode} onClick={() => onPanMode(!panMode)}>
        {t('viewer.panMode')}
      </button>
    </div>
  );
}
