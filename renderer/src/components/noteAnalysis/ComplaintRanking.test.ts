import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ComplaintRanking } from './ComplaintRanking';

describe('ComplaintRanking', () => {
  it('lists the labels in the order given, each with its probability in the caller’s format and a bar clamped to 0–100%', () => {
    const html = renderToStaticMarkup(
      createElement(ComplaintRanking, {
        ranking: [
          { label: 'Chest pain', probability: 0.625 },
          { label: 'Cough', probability: 1.2 },
          { label: 'Fever', probability: -0.1 },
        ],
        labelledBy: 'h1',
        format: (p: number) => `p=${p}`,
      }),
    );
    expect(html.startsWith('<ol class="complaint-list" aria-labelledby="h1">')).toBe(true);
    expect(html.indexOf('Chest pain')).toBeLessThan(html.indexOf('Cough'));
    expect(html.indexOf('Cough')).toBeLessThan(html.indexOf('Fever'));
    expect(html).toContain('<span class="probability">p=0.625</span>');
    expect(html).toContain('style="width:62.5%"');
    expect(html).toContain('style="width:100%"');
    expect(html).toContain('style="width:0%"');
    expect(html.match(/<li>/g)).toHaveLength(3);
  });
});
