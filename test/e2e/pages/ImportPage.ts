import { type Locator, type Page } from '@playwright/test';

/** The Import screen (admins): a card batch chosen in the system's open dialog. */
export class ImportPage {
  readonly skipInvalid: Locator;
  readonly importButton: Locator;
  readonly cancelButton: Locator;
  readonly result: Locator;
  readonly refusal: Locator;

  constructor(readonly page: Page) {
    this.skipInvalid = page.getByRole('checkbox', { name: /Import the valid rows/ });
    this.importButton = page.getByRole('button', { name: 'Choose a file and import' });
    this.cancelButton = page.getByRole('button', { name: 'Cancel import' });
    this.result = page.getByRole('status').filter({ hasText: /^Imported / });
    this.refusal = page.getByRole('alert').filter({ hasText: 'Nothing was imported' });
  }

  /** Starts an import; the harness's open dialog "chooses" the file its launch named. */
  async importChosenFile(options: { skipInvalid?: boolean } = {}): Promise<void> {
    if (options.skipInvalid) await this.skipInvalid.check();
    await this.importButton.click();
  }
}
