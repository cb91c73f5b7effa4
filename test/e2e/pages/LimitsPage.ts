import { expect, type Locator, type Page } from '@playwright/test';

/** The admins' Limits screen: general limits, credit limits per currency, supervisors' approval limits. */
export class LimitsPage {
  readonly heading: Locator;
  readonly signInTable: Locator;
  readonly recoveryTable: Locator;
  readonly creditTable: Locator;
  readonly approvalTable: Locator;
  readonly setApprovalButton: Locator;
  readonly dialog: Locator;
  readonly saveButton: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Limits', level: 1 });
    this.signInTable = page.getByRole('table', { name: 'Sign-in and session limits' });
    this.recoveryTable = page.getByRole('table', { name: 'Redemption and recovery limits' });
    this.creditTable = page.getByRole('table', { name: 'Manual credit limits per currency' });
    this.approvalTable = page.getByRole('table', { name: "Supervisors' approval limits" });
    this.setApprovalButton = page.getByRole('button', { name: 'Set an approval limit' });
    this.dialog = page.getByRole('dialog');
    this.saveButton = this.dialog.getByRole('button', { name: 'Save' });
  }

  /** A general limit's row, by its label ("Idle lock"). */
  generalRow(label: string): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: new RegExp(`^${label}\\b`) }) });
  }

  /** What a general limit is now, in words ("15 minutes"). */
  async generalValue(label: string): Promise<string> {
    return (await this.generalRow(label).getByRole('cell').first().innerText()).trim();
  }

  creditRow(currency: string): Locator {
    return this.creditTable.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: currency, exact: true }) });
  }

  approvalRow(username: string, currency: string): Locator {
    return this.approvalTable.getByRole('row').filter({ hasText: username }).filter({ hasText: currency });
  }

  /** Opens a general limit's dialog and saves `value` (or leaves it open on a refusal). */
  async changeGeneral(label: string, value: string): Promise<void> {
    await this.page.getByRole('button', { name: `Change ${label.toLowerCase()}` }).click();
    const field = this.dialog.getByRole('textbox', { name: new RegExp(`^${label} \\(`) });
    await field.fill(value);
    await this.saveButton.click();
  }

  async changeCredit(currency: string, which: 'most per request' | 'two approvals from', amount: string): Promise<void> {
    await this.page.getByRole('button', { name: `Change ${currency} ${which}` }).click();
    await this.dialog.getByRole('textbox').fill(amount);
    await this.saveButton.click();
  }

  async setApproval(supervisorLabel: string, currency: string, amount: string): Promise<void> {
    await this.setApprovalButton.click();
    await this.dialog.getByRole('combobox', { name: 'Supervisor' }).click();
    await this.page.getByRole('option', { name: supervisorLabel }).click();
    await this.dialog.getByRole('combobox', { name: 'Currency' }).click();
    await this.page.getByRole('option', { name: currency, exact: true }).click();
    await this.dialog.getByRole('textbox', { name: /^Approves up to/ }).fill(amount);
    await this.saveButton.click();
  }

  /** The message under the dialog's field (a refusal in words). */
  fieldError(): Locator {
    return this.dialog.getByRole('alert');
  }

  async expectClosed(): Promise<void> {
    await expect(this.dialog).toBeHidden();
  }
}
