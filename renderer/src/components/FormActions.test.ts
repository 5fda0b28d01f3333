import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormActions } from './FormActions';

const html = (props: Parameters<typeof FormActions>[0]) => renderToStaticMarkup(createElement(FormActions, props));

describe('FormActions', () => {
  it('renders the submit alone when nothing else is asked for', () => {
    expect(html({ submitLabel: 'Save' })).toBe('<div class="actions"><button type="submit" class="primary">Save</button></div>');
  });

  it('disables the submit and the second action while busy, but keeps a way out usable', () => {
    const busy = html({ submitLabel: 'Search', busy: true, secondary: { label: 'Clear', onClick: () => undefined } });
    expect(busy).toContain('<button type="submit" class="primary" disabled="">Search</button>');
    expect(busy).toContain('<button type="button" class="secondary" disabled="">Clear</button>');
    const cancel = html({ submitLabel: 'Save', busy: true, secondary: { label: 'Cancel', onClick: () => undefined, whileBusy: true } });
    expect(cancel).toContain('<button type="button" class="secondary">Cancel</button>');
  });

  it('announces work in a status line, present (and empty) whenever a status is given', () => {
    expect(html({ submitLabel: 'Save', status: 'Saving…', small: true })).toBe(
      '<div class="actions"><button type="submit" class="primary small">Save</button><span class="busy" role="status">Saving…</span></div>',
    );
    expect(html({ submitLabel: 'Save', status: null })).toContain('<span class="busy" role="status"></span>');
  });

  it('blocks both buttons while there is nothing to act on, and can put the second action first', () => {
    const out = html({ submitLabel: 'Restore', blocked: true, secondary: { label: 'Verify', onClick: () => undefined, first: true } });
    expect(out).toBe(
      '<div class="actions"><button type="button" class="secondary" disabled="">Verify</button><button type="submit" class="primary" disabled="">Restore</button></div>',
    );
    expect(html({ submitLabel: 'Restore', secondary: { label: 'Verify', onClick: () => undefined, first: true } })).toBe(
      '<div class="actions"><button type="button" class="secondary">Verify</button><button type="submit" class="primary">Restore</button></div>',
    );
  });
});
