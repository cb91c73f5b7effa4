/**
 * The accessibility scan: axe-core (through @axe-core/playwright) with the WCAG 2.1
 * A/AA rules, in the light and the dark colour scheme, plus the two checks axe does
 * not make for a whole screen: exactly one `main` landmark, and a name on every button.
 * A failure lists each violation readably (rule, impact, help, the offending nodes).
 */
import { appendFile } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import type { AxeResults, Result } from 'axe-core';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export type ColorScheme = 'light' | 'dark';
export const SCHEMES: readonly ColorScheme[] = ['light', 'dark'];
const SCHEME_KEY = 'giftdesk-color-scheme';

/** One scan's outcome, for the results table (GIFTDESK_A11Y_RESULTS names a JSON-lines file). */
export interface ScanRecord {
  screen: string;
  scheme: ColorScheme;
  violations: number;
  /** Rules that found something to check (passed, failed or needing review). */
  rulesApplied: number;
  /** Rules run (the WCAG 2.1 A/AA set). */
  rulesRun: number;
  incomplete: string[];
  /** How long the scan took. */
  ms: number;
}

function describeNode(node: Result['nodes'][number]): string {
  const target = node.target.map(String).join(' ');
  const summary = (node.failureSummary ?? '').replace(/\s+/g, ' ').trim();
  return `    - ${target}\n      ${node.html.replace(/\s+/g, ' ').slice(0, 200)}\n      ${summary}`;
}

/** Violations as text a reader can act on: one block per rule, its nodes below. */
export function formatViolations(violations: Result[]): string {
  return violations
    .map((v) => `  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${v.nodes.map(describeNode).join('\n')}`)
    .join('\n');
}

/** Waits until opening dialogs, fades and colour transitions have settled (axe reads computed colours). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const finite = document
      .getAnimations()
      .filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime ?? Infinity)));
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
  });
}

/**
 * Switches the colour scheme the way a second console window does: Mantine's
 * localStorage manager stores it and every window follows the `storage` event. Works
 * with a dialog open (the shell's toggle sits behind the dialog's overlay).
 */
export async function setColorScheme(page: Page, scheme: ColorScheme): Promise<void> {
  await page.evaluate(
    ({ key, value }) => {
      const previous = window.localStorage.getItem(key);
      window.localStorage.setItem(key, value);
      window.dispatchEvent(new StorageEvent('storage', { key, oldValue: previous, newValue: value, storageArea: window.localStorage }));
    },
    { key: SCHEME_KEY, value: scheme },
  );
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
}

/** Before the first load: the scheme the console opens in. */
export async function openInColorScheme(page: Page, scheme: ColorScheme): Promise<void> {
  await page.addInitScript(({ key, value }) => window.localStorage.setItem(key, value), { key: SCHEME_KEY, value: scheme });
}

async function record(entry: ScanRecord): Promise<void> {
  const file = process.env['GIFTDESK_A11Y_RESULTS'];
  if (file) await appendFile(file, `${JSON.stringify(entry)}\n`);
}

/**
 * AxeBuilder evaluates axe-core's source (about 550 KB) in the page twice on every
 * `analyze()`. Once per page load is enough: when axe is already there, it gets an
 * empty source and configures and runs the axe it finds.
 */
async function axeBuilder(page: Page): Promise<AxeBuilder> {
  const injected = await page.evaluate(() => 'axe' in window);
  return new AxeBuilder(injected ? { page, axeSource: 'void 0' } : { page });
}

/**
 * While a scan runs, motion is instant: a transition that starts mid-scan (a notification
 * closing on its timer, say) jumps to its end instead of being read half-faded, with a
 * foreground colour no screen ever rests on.
 */
const NO_MOTION_CSS = '*, *::before, *::after { transition-duration: 0s !important; transition-delay: 0s !important; animation-duration: 0s !important; animation-delay: 0s !important; }';

async function withoutMotion<T>(page: Page, run: () => Promise<T>): Promise<T> {
  await page.evaluate((css) => {
    const style = document.createElement('style');
    style.id = 'giftdesk-axe-no-motion';
    style.textContent = css;
    document.head.append(style);
  }, NO_MOTION_CSS);
  try {
    return await run();
  } finally {
    await page.evaluate(() => document.getElementById('giftdesk-axe-no-motion')?.remove()).catch(() => undefined);
  }
}

async function scanOnce(page: Page, screen: string, scheme: ColorScheme): Promise<AxeResults> {
  const started = Date.now();
  await settle(page);
  return withoutMotion(page, () => analyze(page, screen, scheme, started));
}

async function analyze(page: Page, screen: string, scheme: ColorScheme, started: number): Promise<AxeResults> {
  // Legacy mode runs axe in the page itself: no extra blank page, and no frames to visit here.
  // Only violations carry every node; passes are listed by rule (much quicker to hand back).
  // (`options` replaces what `withTags` set, so it comes first.)
  const results = await (await axeBuilder(page))
    .options({ resultTypes: ['violations'] })
    .withTags(WCAG_TAGS)
    .setLegacyMode(true)
    .analyze();
  const rulesApplied = new Set([...results.passes, ...results.violations, ...results.incomplete].map((r) => r.id)).size;
  const rulesRun = rulesApplied + results.inapplicable.length;
  await record({
    screen,
    scheme,
    violations: results.violations.length,
    rulesApplied,
    rulesRun,
    incomplete: results.incomplete.map((r) => r.id),
    ms: Date.now() - started,
  });
  return results;
}

/** Exactly one `main` landmark, and no button without an accessible name (visible or not). */
async function expectLandmarksAndNames(page: Page, where: string): Promise<void> {
  expect.soft(await page.getByRole('main').count(), `${where}: exactly one main landmark`).toBe(1);
  const unnamed = await page.getByRole('button').evaluateAll((buttons) =>
    buttons
      .filter((b) => {
        const labelledBy = (b.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .filter(Boolean)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join('');
        const name = `${b.getAttribute('aria-label') ?? ''}${labelledBy}${b.getAttribute('title') ?? ''}${(b as HTMLElement).innerText ?? ''}${b.querySelector('img[alt]')?.getAttribute('alt') ?? ''}`;
        return name.trim() === '';
      })
      .map((b) => b.outerHTML.slice(0, 160)),
  );
  expect.soft(unnamed, `${where}: buttons without a name`).toEqual([]);
}

/**
 * Scans what is on screen now in both colour schemes (then returns to the scheme it
 * found): zero WCAG 2.1 A/AA violations, one main landmark, every button named. The
 * assertions are soft, so one run reports every screen's findings; the test still fails.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const original = ((await page.locator('html').getAttribute('data-mantine-color-scheme')) ?? 'light') as ColorScheme;
  const order = original === 'dark' ? (['dark', 'light'] as const) : (['light', 'dark'] as const);
  const failures: string[] = [];
  for (const scheme of order) {
    if (scheme !== original) await setColorScheme(page, scheme);
    const results = await scanOnce(page, screen, scheme);
    if (results.violations.length > 0) {
      failures.push(`${screen} (${scheme}): ${results.violations.length} violation(s)\n${formatViolations(results.violations)}`);
    }
  }
  await setColorScheme(page, original);
  expect.soft(failures.join('\n\n'), `axe found WCAG 2.1 A/AA violations on ${screen}`).toBe('');
  await expectLandmarksAndNames(page, screen);
}
