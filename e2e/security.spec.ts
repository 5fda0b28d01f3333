/**
 * The renderer's security as the page itself experiences it, in Debian Chromium against the
 * loopback host (the same CSP Electron serves): no inline script or eval, no network except the
 * app's own origin, and the host refuses calls that lack its token or come from elsewhere.
 */
import { test, expect, waitForScreen } from './fixtures';

test('CSP blocks injected inline scripts, styles and inline handlers, and any fetch beyond the app', async ({ page, startHost }) => {
  const host = await startHost();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto(host.launchUrl);
  // eval is refused by the header itself (Playwright's own evaluate is exempt, so it cannot probe it).
  const csp = response!.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  await waitForScreen(page, 'setup');

  const result = await page.evaluate(async () => {
    const w = window as unknown as { injected?: number };
    const script = document.createElement('script');
    script.textContent = 'window.injected = 1';
    document.body.appendChild(script);
    const style = document.createElement('style');
    style.textContent = 'body { display: none }';
    document.head.appendChild(style);
    // Inline event handlers are inline script too.
    const button = document.createElement('button');
    button.setAttribute('onclick', 'window.injected = 2');
    document.body.appendChild(button);
    button.click();
    const reach = (url: string) =>
      fetch(url, { mode: 'no-cors' }).then(
        () => 'reached',
        () => 'blocked',
      );
    return {
      inlineScriptRan: w.injected !== undefined,
      inlineStyleApplied: getComputedStyle(document.body).display === 'none',
      external: await reach('https://example.com/'),
      lan: await reach('http://192.168.1.1/'),
      metadata: await reach('http://169.254.169.254/latest/meta-data'),
      otherLoopbackPort: await reach('http://127.0.0.1:9/'),
    };
  });
  expect(result).toEqual({
    inlineScriptRan: false,
    inlineStyleApplied: false,
    external: 'blocked',
    lan: 'blocked',
    metadata: 'blocked',
    otherLoopbackPort: 'blocked',
  });
  expect(violations.length).toBeGreaterThan(0);
});

test('the host refuses calls without its token, with a wrong token, or from another origin', async ({ page, startHost, request }) => {
  const host = await startHost();
  await page.goto(host.launchUrl);
  await waitForScreen(page, 'setup');
  const token = new URLSearchParams(new URL(host.launchUrl).hash.slice(1)).get('token')!;
  const api = `${host.url.replace(/\/$/, '')}/api/sessionStatus`;
  const post = (headers: Record<string, string>) => request.post(api, { headers: { 'content-type': 'application/json', ...headers }, data: {} });
  expect((await post({ 'x-lantern-token': token })).status()).toBe(200);
  expect((await post({})).status()).toBe(401);
  expect((await post({ 'x-lantern-token': 'not-the-token' })).status()).toBe(401);
  expect((await post({ 'x-lantern-token': token, origin: 'https://evil.example' })).status()).toBe(403);
  // DNS rebinding: a page on another name pointed at 127.0.0.1 is not the app.
  expect((await post({ 'x-lantern-token': token, host: 'evil.example' })).status()).toBeGreaterThanOrEqual(400);
});
