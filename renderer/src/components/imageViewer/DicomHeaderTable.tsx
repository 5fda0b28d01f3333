import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** The DICOM header fields the app extracted; photographs have none. */
export function DicomHeaderTable({ header }: { header: Record<string, string> }) {
  const { t } = useTranslation();
  const id = useId();
  const rows = Object.entries(header);
  return (
    <details className="dicom-header">
      <summary id={id}>{t('viewer.headerHeading', { count: rows.length })}</summary>
      {rows.length === 0 ? (
        <p className="muted">{t('viewer.noHeader')}</p>
      ) : (
        <table className="data-table" aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">{t('viewer.headerField')}</th>
              <th scope="col">{t('viewer.headerValue')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
