import { useId } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  index: number;
  count: number;
  onIndex: (index: number) => void;
}

/** Frame slider with previous/next buttons; "Frame i of n" is announced as it changes. */
export function FrameControls({ index, count, onIndex }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const text = t('viewer.frameOf', { index: index + 1, count });
  if (count <= 1) return <p className="viewer-frame-text muted">{text}</p>;
  return (
    <div className="viewer-frames">
      <button type="button" className="secondary small" aria-label={t('viewer.previousFrame')} disabled={index <= 0} onClick={() => onIndex(index - 1)}>
        ‹
      </button>
      <label htmlFor={id} className="sr-only">
        {t('viewer.frame')}
      </label>
      <input id={id} type="range" min={1} max={count} step={1} value={index + 1} aria-valuetext={text} onChange={(e) => onIndex(Number(e.target.value) - 1)} />
      <button type="button" className="secondary small" aria-label={t('viewer.nextFrame')} disabled={index >= count - 1} onClick={() => onIndex(index + 1)}>
        ›
      </button>
      <span className="viewer-frame-text" aria-live="polite" data-testid="viewer-frame">
        {text}
      </span>
    </div>
  );
}
