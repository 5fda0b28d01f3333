/** Test support: the text a PDF shows, read with pdf.js as a reader would (no fonts loaded). */
export async function pdfText(bytes: Buffer): Promise<{ pages: number; byPage: string[]; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const byPage: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    byPage.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  await doc.destroy();
  return { pages: byPage.length, byPage, text: byPage.join('\n') };
}
