import { expect, type Locator, type Page } from '@playwright/test';

/** The Redeem dialog on an account. */
export class RedeemDialog {
  readonly dialog: Locator;
  readonly code: Locator;
  readonly ticket: Locator;
  readonly submit: Locator;
  readonly refusal: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Redeem a code to / });
    this.code = this.dialog.getByLabel('Claim code', { exact: true });
    this.ticket = this.dialog.getByLabel('Ticket id', { exact: true });
    this.submit = this.dialog.getByRole('button', { name: 'Redeem' });
    this.refusal = this.dialog.getByRole('alert');
  }

  /** Enters the code (the field regroups it as printed) and the ticket, and submits. */
  async redeem(code: string, ticket = 'T-1001'): Promise<void> {
    await this.code.fill(code);
    await this.ticket.fill(ticket);
    await this.submit.click();
  }

  /**
   * Submits and waits for this attempt's answer: a fresh refusal, a field flagged
   * before sending, or the dialog closing on success.
   */
  async attempt(code: string, ticket = 'T-1001'): Promise<void> {
    await this.refusal.evaluateAll((alerts) => alerts.forEach((a) => a.setAttribute('data-stale', '')));
    await this.redeem(code, ticket);
    const fresh = this.dialog.locator('[role="alert"]:not([data-stale])');
    const flagged = this.dialog.locator('input[aria-invalid="true"]');
    await expect
      .poll(async () => (await fresh.count()) > 0 || (await flagged.count()) > 0 || !(await this.dialog.isVisible()), {
        intervals: [50],
      })
      .toBe(true);
  }
}

/** The Customer accounts screen and the account it shows. */
export class AccountsPage {
  readonly query: Locator;
  readonly results: Locator;
  readonly account: Locator;
  readonly balance: Locator;
  readonly ledger: Locator;
  readonly ledgerRows: Locator;
  readonly chart: Locator;
  readonly redeemButton: Locator;
  readonly redeemDialog: RedeemDialog;

  constructor(readonly page: Page) {
    this.query = page.getByLabel('Account id, e-mail or name');
    this.results = page.getByRole('table', { name: 'Accounts' });
    this.account = page.getByRole('region', { name: /^Account / });
    this.balance = this.account.getByLabel('Gift-card balance');
    this.ledger = this.account.getByRole('table', { name: 'Ledger' });
    this.ledgerRows = this.ledger.locator('tbody tr');
    this.chart = this.account.getByRole('img', { name: 'Balance over time' });
    this.redeemButton = this.account.getByRole('button', { name: 'Redeem a code' });
    this.redeemDialog = new RedeemDialog(page);
  }

  async search(query: string): Promise<void> {
    await this.query.fill(query);
    await this.query.press('Enter');
  }

  /** Searches and opens the account (directly when it is the only match). */
  async open(accountId: string, query = accountId): Promise<void> {
    await this.search(query);
    await expect(this.account.or(this.results)).toBeVisible();
    if (!(await this.account.isVisible())) await this.page.getByRole('button', { name: `Open ${accountId}` }).click();
    await expect(this.account).toHaveAccessibleName(`Account ${accountId}`);
  }

  /** The ledger's newest row as its cell texts. */
  async newestEntry(): Promise<string[]> {
    return this.ledgerRows.first().locator('td').allInnerTexts();
  }
}
