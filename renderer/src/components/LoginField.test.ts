import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LoginField } from './LoginField';

const html = (props: Partial<Parameters<typeof LoginField>[0]>) =>
  renderToStaticMarkup(createElement(LoginField, { label: 'Login', value: 'amina', onChange: () => undefined, autoComplete: 'username', ...props }));

describe('LoginField', () => {
  it('labels one input that types the login as stored, with no capitalisation or spelling help and the contract length', () => {
    const out = html({});
    const id = /<label for="([^"]+)">Login<\/label>/.exec(out)?.[1];
    expect(id).toBeTruthy();
    expect(out).toContain(`id="${id}"`);
    expect(out).toContain('autoComplete="username"');
    expect(out).toContain('autoCapitalize="none"');
    expect(out).toContain('spellCheck="false"');
    expect(out).toContain('maxLength="40"');
    expect(out).toContain('value="amina"');
    expect(out).not.toContain('aria-invalid');
    expect(out).not.toContain('aria-describedby');
    expect(out).not.toContain('class="hint"');
  });

  it('ties a hint to the input and flags it invalid when asked', () => {
    const out = html({ hint: 'Lower case letters', invalid: true, autoComplete: 'off' });
    const hintId = /<p id="([^"]+)" class="hint">Lower case letters<\/p>/.exec(out)?.[1];
    expect(hintId).toBeTruthy();
    expect(out).toContain(`aria-describedby="${hintId}"`);
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('autoComplete="off"');
  });
});
