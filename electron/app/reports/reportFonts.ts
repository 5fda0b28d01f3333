/**
 * The report's typeface: Noto Sans CJK SC ("Noto Sans Hans", SIL OFL 1.1), from the pinned npm
 * package @embedpdf/fonts-sc, so Chinese names print on every machine without system fonts. It
 * also covers Latin (Vietnamese included), Greek and Cyrillic. Only the glyphs a report uses are
 * embedded (pdfkit subsets the font), so a report stays small.
 *
 * A character the font lacks would print as an empty box with no warning; `printable` swaps it for
 * a visible marker and counts it, and the report says how many were replaced.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

export type ReportFontWeight = 'regular' | 'bold';

const fontFiles: Record<ReportFontWeight, string> = {
  regular: 'NotoSansHans-Regular.otf',
  bold: 'NotoSansHans-Bold.otf',
};

/** Shown in place of a character the font cannot draw. */
export const missingGlyphMarker = '\u25a1';

export class ReportFontMissingError extends Error {
  override readonly name = 'ReportFontMissingError';
}

const cache = new Map<ReportFontWeight, Buffer>();
let coverage: fontkit.Font | undefined;

/** The package exports only its JS entry; the font files sit beside it under fonts/. */
export function reportFontPath(weight: ReportFontWeight): string {
  const entry = require.resolve('@embedpdf/fonts-sc');
  return join(dirname(entry), '..', 'fonts', fontFiles[weight]);
}

export function reportFont(weight: ReportFontWeight): Buffer {
  let bytes = cache.get(weight);
  if (!bytes) {
    try {
      bytes = readFileSync(reportFontPath(weight));
    } catch (err) {
      throw new ReportFontMissingError(`The report font (${fontFiles[weight]}) is not installed: ${(err as Error).message}`);
    }
    cache.set(weight, bytes);
  }
  return bytes;
}

function coverageFont(): fontkit.Font {
  if (!coverage) {
    const font = fontkit.create(reportFont('regular'));
    if (!('hasGlyphForCodePoint' in font)) throw new ReportFontMissingError('The report font is a collection, not a single font.');
    coverage = font;
  }
  return coverage;
}

/**
 * Text as the report can print it: tabs become spaces, other control characters (except line
 * breaks) are dropped, and characters the font lacks become the marker. Returns the count replaced.
 */
export function printable(text: string): { text: string; replaced: number } {
  const font = coverageFont();
  let replaced = 0;
  let out = '';
  // NFC first: a name typed with combining accents prints with the font's precomposed letters.
  for (const ch of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, '    ')) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n') out += ch;
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    else if (font.hasGlyphForCodePoint(cp)) out += ch;
    else {
      out += missingGlyphMarker;
      replaced += 1;
    }
  }
  return { text: out, replaced };
}
