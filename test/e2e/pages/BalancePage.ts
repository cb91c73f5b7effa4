import { type Locator, type Page } from '@playwright/test';

/** The Balance inquiry screen. */
export class BalancePage {
  readonly serialField: Locator;
  readonly checkButton: Locator;
  readonly answer: Locator;
  readonly remaining: Locator;
  readonly verdict: Locator;
  readonly notFound: Locator;
  readonly suggestions: Locator;

  constructor(readonly page: Page) {
    const form = page.getByRole('form', { name: 'Balance inquiry' });
    this.serialField = form.getByLabel('Serial number');
    this.checkButton = form.getByRole('button', { name: 'Check balance' });
    this.answer = page.getByRole('region', { name: /^Balance of card / });
    this.remaining = this.answer.getByLabel('Remaining value');
    this.verdict = this.answer.getByRole('note');
    this.notFound = page.getByRole('alert').filter({ hasText: 'No card with serial' });
    this.suggestions = page.getByRole('list', { name: 'Did you mean' }).getByRole('button');
  }

  async check(serial: string): Promise<void> {
    await this.serialField.fill(serial);
    await this.serialField.press('Enter');
  }

  field(label: string): Locator {
    return this.answer.getByRole('group', { name: label, exact: true });
  }
}
