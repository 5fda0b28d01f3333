/**
 * Case export (FHIR R4 bundle or PDF report), audited. The file quotes the audit chain head as it
 * stood before the export's own event; the `case.export` event that follows records the format,
 * the SHA-256 of the exported bytes and that same head, in one transaction. If anything was
 * audited while the file was being drawn (another window, say), the file is drawn again against
 * the new head, so the export event directly follows the head the file names.
 */
import { createHash } from 'node:crypto';
import type { CaseExport, CaseExportFormat } from '../../contract/ipcContract';
import type { Actor } from '../actor';
import type { ClinicalModels } from '../diagnosis/diagnosisService';
import { collectCaseExport } from './caseExportSnapshot';
import type { CaseExportSnapshot } from './caseExportSnapshot';
import { buildCaseFhirBundle } from './caseFhirBundle';
import { assertValidFhir } from './fhirSchemaValidation';
import { renderCaseReportPdf } from './caseReportPdf';
import type { ReportLanguage } from './reportLabels';
import { renderReportImages } from './reportImages';
import type { ReportImage } from './reportImages';

/** Redraws when the chain moved while drawing; after these, the export goes out with its (older) head. */
const maxAttempts = 3;

export const exportMediaTypes: Record<CaseExportFormat, string> = {
  fhir: 'application/fhir+json',
  pdf: 'application/pdf',
};

export function exportFileName(caseId: string, format: CaseExportFormat, at: Date): string {
  const stamp = at.toISOString().slice(0, 10);
  switch (format) {
    case 'fhir':
      return `lantern-case-${caseId.slice(0, 8)}-${stamp}.fhir.json`;
    case 'pdf':
      return `lantern-case-${caseId.slice(0, 8)}-${stamp}.pdf`;
    default: {
      const unreachable: never = format;
      throw new Error(`unknown export format ${String(unreachable)}`);
    }
  }
}

export interface CaseExportFile {
  fileName: string;
  mediaType: string;
  bytes: Buffer;
  sha256: string;
  /** The head quoted in the file: the audit event just before this export's own. */
  chainHead: { seq: number; hash: string } | null;
  /** Seq of the export's own audit event. */
  auditSeq: number;
}

function sameHead(a: { seq: number; hash: string } | null, b: { seq: number; hash: string } | null): boolean {
  return (a?.seq ?? 0) === (b?.seq ?? 0) && (a?.hash ?? '') === (b?.hash ?? '');
}

export async function exportCaseFile(
  { store, user }: Actor,
  models: ClinicalModels,
  caseId: string,
  format: CaseExportFormat,
  now = new Date(),
  language: ReportLanguage = 'en',
): Promise<CaseExportFile> {
  let images: ReportImage[] | null = null;
  for (let attempt = 1; ; attempt++) {
    const snapshot: CaseExportSnapshot = collectCaseExport(store, models, caseId, user, now);
    let bytes: Buffer;
    switch (format) {
      case 'fhir': {
        const bundle = buildCaseFhirBundle(snapshot);
        // Checked before it leaves the app: a bundle that fails the FHIR schema is a bug, not a file.
        assertValidFhir(bundle);
        bytes = Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`, 'utf8');
        break;
      }
      case 'pdf':
        // Model re-runs for overlays do not depend on the chain head: done once, not per attempt.
        images ??= await renderReportImages(store, snapshot.images);
        bytes = await renderCaseReportPdf(snapshot, images, { language });
        break;
      default: {
        const unreachable: never = format;
        throw new Error(`unknown export format ${String(unreachable)}`);
      }
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const chainHead = snapshot.chain.head;
    const fileName = exportFileName(caseId, format, now);
    const event = store.transaction(() => {
      if (!sameHead(store.audit.head(), chainHead) && attempt < maxAttempts) return null;
      return store.audit.append({
        at: now.toISOString(),
        userId: user.id,
        action: 'case.export',
        encounterId: caseId,
        detail: {
          format,
          fileName,
          sha256,
          bytes: bytes.length,
          chainHead,
          exportId: snapshot.exportId,
          // Which overlays the report could redraw (re-run reproduced the stored sha256) and which not.
          ...(images ? { overlays: images.flatMap((i) => i.overlays.map((o) => ({ suggestionId: o.run.suggestionId, status: o.status }))) } : {}),
        },
      });
    });
    if (event) return { fileName, mediaType: exportMediaTypes[format], bytes, sha256, chainHead, auditSeq: event.seq };
  }
}

/** The contract's shape: the file as base64, for IPC and the loopback host. */
export async function exportCase(
  actor: Actor,
  models: ClinicalModels,
  caseId: string,
  format: CaseExportFormat,
  now = new Date(),
  language: ReportLanguage = 'en',
): Promise<CaseExport> {
  const file = await exportCaseFile(actor, models, caseId, format, now, language);
  return {
    fileName: file.fileName,
    mediaType: file.mediaType,
    dataBase64: file.bytes.toString('base64'),
    sha256: file.sha256,
    chainHead: file.chainHead,
    auditSeq: file.auditSeq,
  };
}
