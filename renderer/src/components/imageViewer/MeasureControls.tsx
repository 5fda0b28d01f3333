import { useTranslation } from 'react-i18next';
import type { ViewerTool } from './ViewerViewport';

interface Props {
  tool: ViewerTool;
  onTool: (tool: ViewerTool) => void;
  inverted: boolean;
  onInvert: (on: boolean) => void;
  onReset: () => void;
}

/** What a drag on the image does (window/level, length, rectangle ROI), invert and reset. */
export function MeasureControls({ tool, onTool, inverted, onInvert, onReset }: Props) {
  const { t } = useTranslation();
  return (
    <div className="viewer-tools" role="group" aria-label={t('viewer.tools')}>
      {(['window', 'length', 'roi'] as const).map((id) => (
        <button key={id} type="button" className="secondary small" aria-pressed={tool === id} onClick={() => onTool(id)}>
          {t(`viewer.tool.${id}`)}
        </button>
      ))}
      <button type="button" className="secondary small" aria-pressed={inverted} onClick={() => onInvert(!inverted)}>
        {t('viewer.invert')}
      </button>
      <button type="button" className="secondary small" onClick={onReset}>
        {t('viewer.reset')}
      </button>
    </div>
  );
}
