import type { Page } from '@playwright/test';
import { channels, contract } from '../../shared/contract';
import { exposedSurface } from '../support/surface';
import { expect, test } from './fixtures';
import type { GiftdeskApp } from './support/launch';

test.use({ launch: { demo: true, env: {}, allowConsoleErrors: /Content Security Policy/ } });

test('windows are isolated and sandboxed; navigation, pop-ups and permissions are denied', async ({ app, page }) => {
  const report = await app.securityReport(page);
  expect(report.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  expect(report.navigationPrevented).toBe(true);
  // A server redirect can only meet a navigation main allowed (its own load of app://, which
  // never redirects): the page cannot provoke one, so main's handler is asked directly.
  expect(report.redirectPrevented).toBe(true);
  expect(report.webviewPrevented).toBe(true);
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
  await watchPage(page);
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
  // The refusals are the CSP's (a script that failed for another reason would report none).
  await expect
    .poll(async () => [...new Set((await violations(page)).map((v) => `${v.directive} ${v.blocked}`))].sort())
    .toEqual(['script-src eval', 'script-src-elem https://example.com/evil.js', 'script-src-elem inline']);
});

test('channels refuse a signed-out caller even when called directly', async ({ page }) => {
  const answer = await page.evaluate(() =>
    (window as unknown as { giftdesk: { cards: { lookup(i: object): Promise<unknown> } } }).giftdesk.cards.lookup({ serial: '1700000000000000000' }),
  );
  expect(answer).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } });
});

// --- an attacker with script execution in the page (e.g. through a rendering bug) ---
// Each hostile element is injected with page.evaluate. The outside world is the fake web
// of support/launch.ts: the hostile site answers with a page of its own, so an attack that
// got through would show it (or appear in `app.web.requests()`), not a network error.

const HOSTILE = 'https://example.com/prize';
const REDIRECTING = 'https://example.com/redirect';
const HOSTILE_PAGE = '<!doctype html><title>Not Giftdesk</title><h1>You won</h1>';
const FORBIDDEN_FRAME = { ok: false, error: { code: 'FORBIDDEN', message: 'This window is not allowed to use Giftdesk channels.' } };

interface Violation {
  directive: string;
  blocked: string;
}

function serveHostileSite(app: GiftdeskApp) {
  app.web.serve(HOSTILE, { body: HOSTILE_PAGE });
  app.web.serve(REDIRECTING, { status: 302, headers: { location: HOSTILE } });
}

/** Starts recording the page's CSP violations, and marks this document so that a replacement shows. */
async function watchPage(page: Page): Promise<string> {
  // The sign-in screen checks the demo passwords (scrypt): slow on a busy machine.
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible({ timeout: 30_000 });
  await page.evaluate(() => {
    const w = window as unknown as { __violations?: Violation[]; __appDocument?: boolean };
    w.__appDocument = true;
    if (w.__violations) return;
    const list: Violation[] = [];
    w.__violations = list;
    document.addEventListener('securitypolicyviolation', (e) => list.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
  });
  return page.url();
}

function violations(page: Page): Promise<Violation[]> {
  return page.evaluate(() => [...((window as unknown as { __violations?: Violation[] }).__violations ?? [])]);
}

/** The page is still the same app document, alone: no other page, no new window in main, nothing asked of the outside. */
async function expectStillTheApp(app: GiftdeskApp, page: Page, url: string) {
  // Time for an attack that got through to land (a navigation, a pop-up's first load).
  await page.waitForTimeout(1500);
  // A pop-up the harness refuses is closed as soon as main's handler answers.
  await expect.poll(() => page.context().pages().length).toBe(1);
  expect(page.url()).toBe(url);
  // Read from the DOM, not with a locator: after a form submission the CSP refused,
  // Playwright waits forever for a navigation Chromium never started.
  expect(
    await page.evaluate(() => ({
      sameDocument: (window as unknown as { __appDocument?: boolean }).__appDocument === true,
      signInForm: document.querySelector('form input[type="password"]') !== null,
    })),
  ).toEqual({ sameDocument: true, signInForm: true });
  expect(await app.windowCount()).toBe(1);
  expect(app.web.requests()).toEqual([]);
}

test('an external link, in place or in a new window, or to a redirecting server, never replaces or joins the app page', async ({ app, page }) => {
  serveHostileSite(app);
  const url = await watchPage(page);
  for (const [href, target] of [
    [HOSTILE, ''],
    [HOSTILE, '_blank'],
    // Stopped at will-navigate, before the redirect is even requested.
    [REDIRECTING, ''],
    [REDIRECTING, '_blank'],
  ] as const) {
    await page.evaluate(
      (hostileLink) => {
        const link = document.createElement('a');
        link.id = 'hostile-link';
        link.href = hostileLink.href;
        if (hostileLink.target) link.target = hostileLink.target;
        link.textContent = 'Claim your prize';
        link.style.cssText = 'position:fixed;top:0;left:0;z-index:2147483647;background:#fff;padding:8px';
        document.body.append(link);
      },
      { href, target },
    );
    await page.locator('#hostile-link').click();
    await expectStillTheApp(app, page, url);
    await page.evaluate(() => document.getElementById('hostile-link')?.remove());
  }
});

test('window.open never opens a window, whatever it asks for', async ({ app, page }) => {
  serveHostileSite(app);
  const url = await watchPage(page);
  const outcomes = await page.evaluate(async (hostile) => {
    const results: string[] = [];
    for (const args of [[hostile], [hostile, '_blank'], [hostile, 'prize', 'width=400,height=300'], ['', 'blank'], [hostile, '_self']] as const) {
      const opened = window.open(...(args as unknown as [string, string?, string?]));
      // Electron answers a denied window.open with null; the harness closes the pop-up its handler refused.
      if (opened === null) {
        results.push('denied');
        continue;
      }
      const start = Date.now();
      while (!opened.closed && Date.now() - start < 2000) await new Promise((resolve) => setTimeout(resolve, 50));
      results.push(opened.closed ? 'denied' : opened === window ? 'same window' : 'opened');
    }
    return results;
  }, HOSTILE);
  // `_self` is a navigation of the page itself: will-navigate stops it, and window.open answers the page's own window.
  expect(outcomes.slice(0, 4)).toEqual(['denied', 'denied', 'denied', 'denied']);
  await expectStillTheApp(app, page, url);
});

test('script cannot navigate the page away: location, a meta refresh, a form', async ({ app, page }) => {
  serveHostileSite(app);
  const url = await watchPage(page);
  const attacks: ((hostile: string) => void)[] = [
    (hostile) => {
      location.href = hostile;
    },
    (hostile) => location.replace(hostile),
    (hostile) => {
      const refresh = document.createElement('meta');
      refresh.httpEquiv = 'refresh';
      refresh.content = `0;url=${hostile}`;
      document.head.append(refresh);
    },
    (hostile) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = hostile;
      document.body.append(form);
      form.submit();
    },
  ];
  for (const [i, attack] of attacks.entries()) {
    await test.step(`attack ${i + 1}`, async () => {
      await page.evaluate(attack, HOSTILE);
      await expectStillTheApp(app, page, url);
    });
  }
  // The form never even got to will-navigate: the CSP (form-action 'none') refused it.
  expect((await violations(page)).map((v) => v.directive)).toContain('form-action');
});

test('a javascript: URL navigation does not run, and the CSP reports it', async ({ app, page }) => {
  const url = await watchPage(page);
  await page.evaluate(() => {
    location.href = 'javascript:window.__javascriptUrlRan = true; void 0';
  });
  await page.evaluate(() => {
    const link = document.createElement('a');
    link.id = 'javascript-link';
    link.href = 'javascript:window.__javascriptLinkRan = true; void 0';
    link.textContent = 'Open';
    link.style.cssText = 'position:fixed;top:0;left:0;z-index:2147483647;background:#fff;padding:8px';
    document.body.append(link);
  });
  await page.locator('#javascript-link').click();
  // Two refusals, each reported by both policies (the meta tag's and the response header's).
  await expect.poll(async () => (await violations(page)).filter((v) => v.directive.startsWith('script-src') && v.blocked === 'inline').length).toBe(4);
  expect(
    await page.evaluate(() => {
      const w = window as unknown as { __javascriptUrlRan?: boolean; __javascriptLinkRan?: boolean };
      return { url: w.__javascriptUrlRan === true, link: w.__javascriptLinkRan === true };
    }),
  ).toEqual({ url: false, link: false });
  await expectStillTheApp(app, page, url);
});

test('an iframe of another site or of the app itself is refused by the CSP and loads nothing', async ({ app, page }) => {
  serveHostileSite(app);
  const url = await watchPage(page);
  const subframeDocuments: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'document' && request.frame() !== page.mainFrame()) subframeDocuments.push(request.url());
  });
  const own = new URL('/index.html', url).toString();
  await page.evaluate(
    (sources) => {
      for (const src of sources) {
        const frame = document.createElement('iframe');
        frame.src = src;
        document.body.append(frame);
      }
    },
    [HOSTILE, own],
  );
  await expect
    // (Each violation is reported twice: by the meta tag's policy and by the response header's.)
    .poll(async () => [...new Set((await violations(page)).filter((v) => v.directive === 'frame-src').map((v) => new URL(v.blocked).origin))].sort())
    .toEqual([new URL(own).origin, new URL(HOSTILE).origin].sort());
  await expectStillTheApp(app, page, url);
  expect(subframeDocuments).toEqual([]);

  // An iframe the CSP lets in (about:blank, the page's own origin) cannot be sent elsewhere either.
  const before = (await violations(page)).length;
  await page.evaluate((hostile) => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    frame.contentWindow!.location.href = hostile;
  }, HOSTILE);
  await expect.poll(async () => (await violations(page)).slice(before).some((v) => v.directive === 'frame-src' && new URL(v.blocked).origin === new URL(HOSTILE).origin)).toBe(true);
  await expectStillTheApp(app, page, url);
  expect(subframeDocuments).toEqual([]);
});

test('an iframe cannot call window.giftdesk: its calls reach main from a subframe and are refused', async ({ app, page }) => {
  // Needs the harness to run the preload in a subframe; with Electron, test/ipc/wrapper.test.ts
  // covers the wrapper's rule (a frame with a parent is refused, even at the app's origin).
  test.skip(!app.preloadInSubFrame || !app.ipcSenders, 'runs the preload in a subframe: harness only');
  await watchPage(page);
  // An about:blank iframe (the CSP refuses any other): same origin as the page, scriptable by the attacker.
  await page.evaluate(() => {
    const frame = document.createElement('iframe');
    frame.name = 'probe';
    document.body.append(frame);
  });
  await expect.poll(() => page.frame({ name: 'probe' }) !== null).toBe(true);
  const frame = page.frame({ name: 'probe' })!;
  // As in Electron (nodeIntegrationInSubFrames off), the preload does not run in a subframe.
  expect(await frame.evaluate(() => typeof (window as unknown as { giftdesk?: unknown }).giftdesk)).toBe('undefined');

  // Even if it did (the harness runs the real preload there), main refuses the frame.
  await app.preloadInSubFrame!(page, frame);
  type Info = () => Promise<unknown>;
  const fromFrame = await frame.evaluate(() => (window as unknown as { giftdesk: { app: { info: Info } } }).giftdesk.app.info());
  const fromPage = await page.evaluate(() => (window as unknown as { giftdesk: { app: { info: Info } } }).giftdesk.app.info());
  expect(fromFrame).toEqual(FORBIDDEN_FRAME);
  expect(fromPage).toMatchObject({ ok: true });
  // What main was told: the frame's call came from a child of the app's main frame.
  const senders = (await app.ipcSenders!()).filter((s) => s.channel === 'app:info').map((s) => s.senderFrame);
  expect(senders.slice(-2)).toEqual([
    { url: 'about:blank', parent: { url: 'app://giftdesk/index.html', parent: null } },
    { url: 'app://giftdesk/index.html', parent: null },
  ]);
  // The frame cannot pass itself off as the main frame through the harness's transport either.
  const forged = await frame.evaluate(async () => {
    const response = await fetch('/__giftdesk/ipc', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-giftdesk-sender-frame': JSON.stringify({ url: `${location.origin}/index.html`, parentUrl: null }) },
      body: JSON.stringify({ windowId: 1, channel: 'app:info', args: [{}] }),
    });
    return ((await response.json()) as { result: unknown }).result;
  });
  expect(forged).toEqual(FORBIDDEN_FRAME);
});

test('permission requests are denied: geolocation, notifications, media, clipboard', async ({ app, page }) => {
  // In the page: the harness grants Chromium exactly what main's handlers grant.
  const outcome = await page.evaluate(async () => {
    // Runs in the page: it cannot live outside page.evaluate.
    // oxlint-disable-next-line unicorn/consistent-function-scoping
    const within = <T,>(promise: Promise<T>, fallback: T) =>
      Promise.race([promise, new Promise<T>((resolve) => setTimeout(() => resolve(fallback), 3000))]);
    const states: Record<string, string> = {};
    for (const name of ['geolocation', 'notifications', 'camera', 'microphone', 'clipboard-read']) {
      states[name] = await navigator.permissions.query({ name: name as PermissionName }).then(
        (status) => status.state,
        (error: Error) => `error: ${error.name}`,
      );
    }
    const geolocation = await within(
      new Promise<string>((resolve) =>
        navigator.geolocation.getCurrentPosition(
          () => resolve('granted'),
          (error) => resolve(`error ${error.code}`),
          { timeout: 2000 },
        ),
      ),
      'no answer',
    );
    const notifications = await within(Notification.requestPermission(), 'no answer' as NotificationPermission);
    const media = await within(
      navigator.mediaDevices.getUserMedia({ audio: true, video: true }).then(
        () => 'granted',
        (error: Error) => error.name,
      ),
      'no answer',
    );
    const clipboard = await within(
      navigator.clipboard.readText().then(
        () => 'read',
        (error: Error) => error.name,
      ),
      'no answer',
    );
    return { states, geolocation, notifications, media, clipboard };
  });
  for (const [name, state] of Object.entries(outcome.states)) expect(state, name).not.toBe('granted');
  expect(outcome.geolocation).not.toBe('granted');
  expect(outcome.notifications).not.toBe('granted');
  expect(outcome.media).not.toBe('granted');
  expect(outcome.clipboard).not.toBe('read');
  // And main's handlers themselves, asked directly for each permission.
  const report = await app.securityReport(page);
  expect(report.permissionDenied).toBe(true);
});

test('window.giftdesk is exactly the contract, and cannot be replaced or extended', async ({ page }) => {
  // Derived here from shared/contract.ts, independently of buildApi: domain → its verbs.
  const fromContract: Record<string, string[]> = {};
  for (const channel of channels) {
    const [domain, verb] = channel.split(':') as [string, string];
    (fromContract[domain] ??= []).push(verb);
  }
  for (const verbs of Object.values(fromContract)) verbs.sort();
  expect(channels.some((channel) => (contract[channel] as { testOnly?: true }).testOnly)).toBe(true); // a test build exposes those too
  const surface = await page.evaluate(() => {
    const { on, ...calls } = (window as unknown as { giftdesk: Record<string, Record<string, unknown>> }).giftdesk;
    return {
      on: typeof on,
      calls: Object.fromEntries(
        Object.entries(calls).map(([domain, verbs]) => [domain, Object.entries(verbs).filter(([, f]) => typeof f === 'function').map(([v]) => v).sort()]),
      ),
      keys: Object.keys(calls).length,
    };
  });
  expect(surface).toEqual({ on: 'function', calls: fromContract, keys: Object.keys(fromContract).length });

  // contextBridge copies and freezes what it exposes (Electron's contextBridge docs); the
  // harness's stand-in does the same. A preload that exposed more, or anything outside the
  // contract, fails the comparison above.
  const tampering = await page.evaluate(() => {
    const w = window as unknown as { giftdesk: Record<string, Record<string, unknown>> & { evil?: unknown } };
    const original = w.giftdesk;
    const lookup = original['cards']!['lookup'];
    const descriptor = Object.getOwnPropertyDescriptor(window, 'giftdesk');
    // oxlint-disable-next-line unicorn/consistent-function-scoping
    const attempt = (change: () => void) => {
      try {
        change();
      } catch {
        // refused loudly (strict mode, defineProperty): as good as silently
      }
    };
    attempt(() => (w.giftdesk = {} as typeof original));
    attempt(() => delete (w as { giftdesk?: unknown }).giftdesk);
    attempt(() => Object.defineProperty(window, 'giftdesk', { value: {} }));
    attempt(() => (original['cards']!['lookup'] = () => 'stolen'));
    attempt(() => (original['cards'] = {}));
    attempt(() => (original.evil = () => 'added'));
    attempt(() => Object.setPrototypeOf(original['cards']!, { lookup: () => 'stolen' }));
    return {
      writable: descriptor?.writable,
      configurable: descriptor?.configurable,
      unchanged: w.giftdesk === original && original['cards']!['lookup'] === lookup && !('evil' in original),
      frozen: [original, ...Object.values(original).filter((v) => typeof v === 'object')].every((v) => Object.isFrozen(v)),
    };
  });
  expect(tampering).toEqual({ writable: false, configurable: false, unchanged: true, frozen: true });
});
