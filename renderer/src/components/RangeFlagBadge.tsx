import { useTranslation } from 'react-i18next';
import type { RangeFlag } from '../../../electron/contract/ipcContract';

/** A flag is spelled out as well as coloured, so it never depends on colour vision. */
export function RangeFlagBadge({ flag, id }: { flag: RangeFlag; id?: string }) {
  const { t } = useTranslation();
  return (
    <span id={id} className={`flag flag-${flag}`} data-flag={flag}>
      {t(`flag.${flag}`)}
    </span>
  );
}
