import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImageModelResult } from '../../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import { renderColourBar } from './colourMap';

type Meaning = ImageModelResult['overlay']['meaning'];

/** The overlay's legend: the colour map drawn once, with what its ends mean for this overlay. */
export function ColourBar({ meaning }: { meaning: Meaning }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ref = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const data = ctx.createImageData(256, 1);
    renderColourBar(data.data);
    ctx.putImageData(data, 0, 0);
  }, []);

  // Vessel probability is a probability (byte / 255); saliency is relative importance on 0–255.
  const ticks = meaning === 'vessel-probability' ? [fmt.number(0), fmt.number(0.5), fmt.number(1)] : [fmt.number(0), fmt.number(128), fmt.number(255)];
  return (
    <figure className="colour-bar">
      <canvas ref={ref} width={256} height={1} aria-hidden="true" />
      <div className="colour-bar-ticks" aria-hidden="true">
        {ticks.map((tick, i) => (
          <span key={i}>{tick}</span>
        ))}
      </div>
      <figcaption>{t(`viewer.legend.${meaning}`)}</figcaption>
    </figure>
  );
}
