import { expect, type Locator, type Page } from '@playwright/test';

/** The serial-lookup screen and the card it shows. */
export class LookupPage {
  readonly serialField: Locator;
  readonly searchButton: Locator;
  readonly card: Locator;
  readonly status: Locator;
  readonly timeline: Locator;
  readonly notFound: Locator;
  readonly suggestions: Locator;
  readonly failure: Locator;

  constructor(readonly page: Page) {
    this.serialField = page.getByLabel('Serial number');
    this.searchButton = page.getByRole('button', { name: 'Look up' });
    this.card = page.getByRole('region', { name: /^Card / });
    this.status = this.card.getByLabel(/^Status: /);
    this.timeline = this.card.getByLabel('Card timeline');
    this.notFound = page.getByRole('alert').filter({ hasText: 'No card with serial' });
    this.suggestions = page.getByRole('list', { name: 'Did you mean' }).getByRole('button');
    this.failure = page.getByRole('alert').filter({ hasText: 'The lookup did not complete' });
  }

  /** Types a serial as an agent would (key by key) and presses Enter. */
  async search(serial: string): Promise<void> {
    await this.serialField.fill('');
    await this.serialField.pressSequentially(serial);
    await this.serialField.press('Enter');
  }

  /** A note on the card: 'Redeemed', 'Void' or 'Replacement card'. */
  note(title: string): Locator {
    return this.card.getByRole('note', { name: title });
  }

  /** The value shown under a field label on the card, e.g. field('Face value'). */
  field(label: string): Locator {
    return this.card.getByRole('group', { name: label, exact: true });
  }

  async expectCard(serialGrouped: string): Promise<void> {
    await expect(this.card).toHaveAccessibleName(`Card ${serialGrouped}`);
  }

  /** The field's error message, shown under it (Mantine links it as the input's description). */
  fieldError(): Locator {
    return this.page.locator('[id$="-error"]');
  }
}
