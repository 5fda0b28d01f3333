import { useTranslation } from 'react-i18next';
import type { Decision } from '../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../i18n/useLocaleFormat';

interface Props {
  decisions: readonly Decision[];
  /** The id of the heading that names the table. */
  labelledBy: string;
  /** The clinician-facing name of a suggested label (default: the label itself). */
  nameOf?: (label: string) => string;
  className?: string;
}

/** Who decided what about which suggestion, when and why: the case screen and the auditor's panel. */
export function DecisionHistoryTable({ decisions, labelledBy, nameOf = (label) => label, className = 'data-table' }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  if (decisions.length === 0) return <p className="muted">{t('decisions.noHistory')}</p>;
  return (
    <table className={className} aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">{t('decisions.when')}</th>
          <th scope="col">{t('decisions.who')}</th>
          <th scope="col">{t('decisions.suggestion')}</th>
          <th scope="col">{t('decisions.decision')}</th>
          <th scope="col">{t('decisions.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {decisions.map((d, i) => (
          <tr key={`${d.createdAt}-${d.label}-${i}`}>
            <td>{fmt.dateTime(d.createdAt)}</td>
            <td>{d.userName ?? t('decisions.unknownUser')}</td>
            <td>{nameOf(d.label)}</td>
            <td>{t(`decisions.action.${d.action}`)}</td>
            <td>{d.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
