/**
 * A generated section of a model card, between its own two marker comments: replaced where it
 * stands, or appended, so each script rewrites only its part of a card another script wrote.
 */
import * as fs from 'node:fs';

/** The card's text with `section` (which starts with `begin` and ends with `end`) in place of the old one, or appended. */
export function withCardSection(text: string, section: string, begin: string, end: string): string {
  const b = text.indexOf(begin);
  const e = text.indexOf(end);
  // The blank lines around a removed section go with it (re-runs must not pile them up).
  const base = b >= 0 && e > b ? `${text.slice(0, b).replace(/\s+$/, '')}\n\n${text.slice(e + end.length).replace(/^\s+/, '')}` : text;
  return `${base.replace(/\s+$/, '')}\n\n${section}\n`;
}

/** Rewrites the section in the card file; a card that does not exist yet is left to the script that writes it. */
export function writeCardSection(file: string, section: string, begin: string, end: string): void {
  if (!fs.existsSync(file)) return;
  fs.writeFileSync(file, withCardSection(fs.readFileSync(file, 'utf8'), section, begin, end));
}
