import type { Locator, Page } from '@playwright/test';

/**
 * The screen a console shows instead of its screens when its store cannot be opened or
 * its team server cannot be reached or trusted (at start-up, or while signed in).
 */
export class StoreErrorPage {
  readonly heading: Locator;
  /** The main process's message, in words. */
  readonly reason: Locator;
  /** What to check next. */
  readonly hint: Locator;
  readonly tryAgain: Locator;

  constructor(readonly page: Page) {
    const screen = page.getByRole('main').filter({ has: page.getByRole('button', { name: 'Try again' }) });
    this.heading = screen.getByRole('heading', { level: 2 });
    this.reason = screen.getByRole('alert');
    this.hint = screen.getByTestId('store-error-hint');
    this.tryAgain = screen.getByRole('button', { name: 'Try again' });
  }
}
