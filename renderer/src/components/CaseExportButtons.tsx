import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseExportFormat, ErrorPayload } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { downloadFile } from '../fileDownload';
import { ErrorAlert } from './ErrorAlert';

/**
 * "Export PDF" / "Export FHIR" on a case: the app builds the file (and audits the export), the
 * browser saves it. One export at a time; the outcome is announced in a status line.
 */
export function CaseExportButtons({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState<CaseExportFormat | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function exportAs(format: CaseExportFormat) {
    setBusy(format);
    setError(null);
    setSaved(null);
    // The PDF prints in the language the clinician reads the app in.
    const result = await api.exportCase({ caseId, format, language: i18n.language.startsWith('zh') ? 'zh-CN' : 'en' });
    setBusy(null);
    if (!result.ok) return setError(result.error);
    downloadFile(result.value);
    setSaved(result.value.fileName);
  }

  const label = (format: CaseExportFormat) => {
    switch (format) {
      case 'pdf':
        return busy === 'pdf' ? t('caseExport.exportingPdf') : t('caseExport.pdf');
      case 'fhir':
        return busy === 'fhir' ? t('caseExport.exportingFhir') : t('caseExport.fhir');
      default: {
        const unreachable: never = format;
        return String(unreachable);
      }
    }
  };

  return (
    <div className="case-export">
      <div className="actions">
        {(['pdf', 'fhir'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="secondary"
            data-export-format={format}
            disabled={busy !== null}
            aria-busy={busy === format}
            onClick={() => void exportAs(format)}
          >
            {label(format)}
          </button>
        ))}
      </div>
      <p className="muted" role="status">
        {saved ? t('caseExport.saved', { fileName: saved }) : ''}
      </p>
      <ErrorAlert error={error} />
    </div>
  );
}
