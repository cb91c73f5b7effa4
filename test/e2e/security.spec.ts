import { exposedSurface } from '../support/surface';
import { expect, test } from './fixtures';

test.use({ launch: { demo: true, env: {}, allowConsoleErrors: /Content Security Policy/ } });

test('windows are isolated and sandboxed; navigation, pop-ups and permissions are denied', async ({ app, page }) => {
  const report = await app.securityReport(page);
  expect(report.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  expect(report.navigationPrevented).toBe(true);
  expect(report.windowOpenDenied).toBe(true);
  expect(report.permissionDenied).toBe(true);
});

test('the page sees window.giftdesk built from the contract and no Node', async ({ page }) => {
  const surface = await page.evaluate(() => {
    const { on, ...calls } = (window as unknown as { giftdesk: Record<string, Record<string, unknown>> }).giftdesk;
    return {
      on: typeof on,
      calls: Object.fromEntries(Object.entries(calls).map(([domain, verbs]) => [domain, Object.keys(verbs).sort()])),
    };
  });
  // The contract's calls, and `on` for the contract's events: nothing else.
  expect(surface).toEqual({ on: 'function', calls: exposedSurface });
  const refused = await page.evaluate(() => {
    const api = (window as unknown as { giftdesk: { on(event: string, listener: unknown): unknown } }).giftdesk;
    try {
      api.on('ELECTRON_BROWSER_REQUIRE', () => undefined);
      return 'subscribed';
    } catch (error) {
      return (error as Error).message;
    }
  });
  expect(refused).toMatch(/unknown Giftdesk event/);
  const globals = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    frozen: Object.isFrozen((window as unknown as { giftdesk: object }).giftdesk),
  }));
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', frozen: true });
});

test('the Content Security Policy blocks inline and foreign scripts', async ({ page }) => {
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  const ran = await page.evaluate(async () => {
    const inline = document.createElement('script');
    inline.textContent = 'window.__inlineRan = true';
    document.head.appendChild(inline);
    const blocked = await new Promise<boolean>((resolve) => {
      const foreign = document.createElement('script');
      foreign.src = 'https://example.com/evil.js';
      foreign.onerror = () => resolve(true);
      foreign.onload = () => resolve(false);
      document.head.appendChild(foreign);
    });
    let evalRan = false;
    try {
      evalRan = (0, eval)('true');
    } catch {
      evalRan = false;
    }
    return { inline: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, foreignBlocked: blocked, evalRan };
  });
  expect(ran).toEqual({ inline: false, foreignBlocked: true, evalRan: false });
});

test('channels refuse a signed-out caller even when called directly', async ({ page }) => {
  const answer = await page.evaluate(() =>
    (window as unknown as { giftdesk: { cards: { lookup(i: object): Promise<unknown> } } }).giftdesk.cards.lookup({ serial: '1700000000000000000' }),
  );
  expect(answer).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } });
});
