/**
 * Saving a file the app produced (a case report, a FHIR bundle): bytes arrive as base64 in the
 * contract's envelope and leave through a Blob, an object URL and an `a[download]` click — no
 * inline script or style, so the strict CSP holds, and nothing is sent anywhere.
 */

export interface DownloadableFile {
  fileName: string;
  mediaType: string;
  dataBase64: string;
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The object URL outlives the click long enough for the browser to read it, then is released. */
const revokeAfterMs = 60_000;

export function downloadFile(file: DownloadableFile, doc: Document = document): void {
  const blob = new Blob([base64ToBytes(file.dataBase64)], { type: file.mediaType });
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  // Some browsers only follow a click on a link that is in the document.
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), revokeAfterMs);
}
