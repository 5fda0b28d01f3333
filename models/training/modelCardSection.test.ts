import { describe, expect, it } from 'vitest';
import { withCardSection } from './modelCardSection';

const begin = '<!-- begin -->';
const end = '<!-- end -->';
const section = (body: string) => `${begin}\n${body}\n${end}`;

describe('withCardSection', () => {
  it('appends the section after one blank line when the card has none', () => {
    expect(withCardSection('# Card\n\nText.\n\n\n', section('new'), begin, end)).toBe(`# Card\n\nText.\n\n${section('new')}\n`);
  });

  it('replaces the old section and keeps what stood around it, moving the section to the end (its blank lines go with it)', () => {
    const card = `# Card\n\n${section('old')}\n\n## Limits\n\nNone known.\n`;
    expect(withCardSection(card, section('new'), begin, end)).toBe(`# Card\n\n## Limits\n\nNone known.\n\n${section('new')}\n`);
  });

  it('is stable: writing the same section twice gives the same card', () => {
    const once = withCardSection('# Card\n', section('x'), begin, end);
    expect(withCardSection(once, section('x'), begin, end)).toBe(once);
  });
});
