import { useTranslation } from 'react-i18next';
import { regionsFor, toggleRegion } from './bodyRegions';
import '../../styles/bodyMap.css';

/**
 * A body map for multiple-choice location questions: labelled regions laid out as a body, each a
 * toggle button (keyboard: Tab to it, Space or Enter) that chooses all its locations offered by the
 * question. The checkbox list below it stays for one side or a single spot.
 */
export function BodyMap({
  options,
  chosen,
  onChange,
  disabled,
}: {
  options: readonly string[];
  chosen: readonly string[];
  onChange: (next: string[]) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const regions = regionsFor(options);
  return (
    <div className="body-map" role="group" aria-label={t('interview.bodyMap')}>
      {regions.map((r) => {
        const n = r.codes.filter((c) => chosen.includes(c)).length;
        const pressed = n === r.codes.length;
        return (
          <button
            key={r.id}
            type="button"
            className={`body-region${n > 0 ? ' body-region-some' : ''}`}
            style={{ gridArea: r.area }}
            data-region={r.id}
            aria-pressed={pressed}
            disabled={disabled}
            onClick={() => onChange(toggleRegion(chosen, r))}
          >
            {t(`interview.body.${r.id}`)}
            {n > 0 && !pressed ? ` (${n})` : ''}
          </button>
        );
      })}
    </div>
  );
}
