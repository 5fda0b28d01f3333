import { useTranslation } from 'react-i18next';
import { entityLabelText } from './entityColours';

/** What the colours and line styles of the highlighted note mean. */
export function EntityLegend({ colours }: { colours: Map<string, number> }) {
  const { t } = useTranslation();
  return (
    <div className="entity-legend">
      <span className="legend-title">{t('note.legend')}</span>
      <ul>
        {[...colours.entries()].map(([label, index]) => (
          <li key={label}>
            <mark className={`entity entity-c${index}`}>{entityLabelText(label)}</mark>
          </li>
        ))}
        <li>
          <mark className="entity legend-neutral assertion-absent">{t('note.legendAbsent')}</mark>
        </li>
        <li>
          <mark className="entity legend-neutral assertion-possible">{t('note.legendUncertain')}</mark>
        </li>
      </ul>
    </div>
  );
}
