import { expect, type Locator, type Page } from '@playwright/test';

export interface CreditForm {
  account?: string;
  amount: string;
  reason: 'Damaged code' | 'Code not working' | 'Goodwill' | 'Service recovery' | 'Other (note required)';
  ticketId: string;
  note?: string;
}

/** The manual-credit request dialog (from an account, the Credits screen or a failed recovery). */
export class RequestCreditDialog {
  readonly dialog: Locator;
  readonly amount: Locator;
  readonly reason: Locator;
  readonly ticket: Locator;
  readonly note: Locator;
  readonly serial: Locator;
  readonly balanceAfter: Locator;
  readonly submit: Locator;
  readonly problem: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Request a (credit for|manual credit)/ });
    this.amount = this.dialog.getByLabel(/^Amount/);
    this.reason = this.dialog.getByRole('combobox', { name: 'Reason' });
    this.ticket = this.dialog.getByLabel('Ticket id', { exact: true });
    this.note = this.dialog.getByLabel(/^Note/);
    this.serial = this.dialog.getByLabel('Card serial (optional)');
    this.balanceAfter = this.dialog.getByLabel('Balance after this credit');
    this.submit = this.dialog.getByRole('button', { name: 'Request credit' });
    this.problem = this.dialog.getByRole('alert');
  }

  async chooseAccount(accountId: string): Promise<void> {
    await this.dialog.getByLabel('Customer account').fill(accountId);
    await this.dialog.getByRole('button', { name: 'Find' }).click();
    await this.dialog.getByRole('radio', { name: new RegExp(`^${accountId} `) }).check();
  }

  async enter(form: CreditForm): Promise<void> {
    if (form.account) await this.chooseAccount(form.account);
    await this.amount.fill(form.amount);
    await this.reason.click();
    await this.page.getByRole('option', { name: form.reason }).click();
    await this.ticket.fill(form.ticketId);
    if (form.note !== undefined) await this.note.fill(form.note);
  }

  async request(form: CreditForm): Promise<void> {
    await this.enter(form);
    await this.submit.click();
    await expect(this.dialog).toBeHidden();
  }
}

/** "My requests" on the Credits screen. */
export class CreditsPage {
  readonly newRequest: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly refresh: Locator;
  readonly dialog: RequestCreditDialog;

  constructor(readonly page: Page) {
    this.newRequest = page.getByRole('button', { name: 'New request' });
    this.table = page.getByRole('table', { name: 'My requests' });
    this.rows = this.table.locator('tbody tr');
    this.refresh = page.getByRole('button', { name: 'Refresh' });
    this.dialog = new RequestCreditDialog(page);
  }

  row(ticketId: string): Locator {
    return this.rows.filter({ hasText: ticketId });
  }
}

/** The supervisors' Approvals queue. */
export class ApprovalsPage {
  readonly queue: Locator;
  readonly items: Locator;

  constructor(readonly page: Page) {
    this.queue = page.getByRole('region', { name: 'Approval queue' }).or(page.locator('[aria-label="Approval queue"]'));
    this.items = page.getByRole('article', { name: /^Credit request \d+$/ });
  }

  item(ticketId: string): Locator {
    return this.items.filter({ hasText: `ticket ${ticketId}` });
  }

  async approve(ticketId: string, note = ''): Promise<void> {
    await this.item(ticketId).getByRole('button', { name: 'Approve' }).click();
    const dialog = this.page.getByRole('dialog', { name: /^Approve request/ });
    if (note) await dialog.getByLabel('Note (optional)').fill(note);
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await expect(dialog).toBeHidden();
  }

  async reject(ticketId: string, reason: string): Promise<void> {
    await this.item(ticketId).getByRole('button', { name: 'Reject' }).click();
    const dialog = this.page.getByRole('dialog', { name: /^Reject request/ });
    await dialog.getByLabel('Reason for rejecting').fill(reason);
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await expect(dialog).toBeHidden();
  }
}
