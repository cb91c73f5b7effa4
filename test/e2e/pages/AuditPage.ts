import { expect, type Locator, type Page } from '@playwright/test';

/** The Audit screen: the search tab (filters, the virtualised grid, the entry drawer) and the ticket timeline tab. */
export class AuditPage {
  readonly verifyButton: Locator;
  readonly table: Locator;
  /** The entry rows rendered now (the grid is virtualised: only those near the view). */
  readonly rows: Locator;
  readonly result: Locator;
  readonly filterForm: Locator;
  readonly summary: Locator;
  readonly scroller: Locator;
  readonly drawer: Locator;
  readonly exportButton: Locator;
  /** "Exported N entries to <file>" after an export. */
  readonly exported: Locator;

  constructor(readonly page: Page) {
    this.verifyButton = page.getByRole('button', { name: 'Verify chain' });
    this.table = page.getByRole('grid', { name: 'Audit entries' });
    this.rows = this.table.getByRole('row').filter({ has: page.getByRole('gridcell') });
    this.result = page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: /Audit chain/ });
    this.filterForm = page.getByRole('form', { name: 'Filter the audit log' });
    this.summary = page.getByRole('status').filter({ hasText: /entr(y|ies)/ }).first();
    this.scroller = page.getByTestId('audit-scroller');
    this.drawer = page.getByRole('dialog', { name: /^Audit entry #\d+/ });
    this.exportButton = page.getByRole('button', { name: 'Export CSV' });
    this.exported = page.getByRole('status').filter({ hasText: /^Exported / });
  }

  /** The audit rows rendered, as { actor, action, subject } in the order shown (newest first). */
  async entries(): Promise<{ actor: string; action: string; subject: string }[]> {
    const rows = await this.rows.all();
    return Promise.all(
      rows.map(async (row) => {
        const cells = await row.getByRole('gridcell').allInnerTexts();
        return { actor: cells[2] ?? '', action: cells[3] ?? '', subject: cells[5] ?? '' };
      }),
    );
  }

  field(label: 'User' | 'Action (starts with)' | 'Card serial or account id' | 'Ticket id' | 'From (your local time)' | 'Until (your local time)'): Locator {
    return this.filterForm.getByLabel(label, { exact: true });
  }

  /** Fills the given fields (others left as they are) and searches. */
  async filter(values: Partial<Record<Parameters<AuditPage['field']>[0], string>>): Promise<void> {
    for (const [label, value] of Object.entries(values)) await this.field(label as Parameters<AuditPage['field']>[0]).fill(value);
    await this.filterForm.getByRole('button', { name: 'Search' }).click();
  }

  async clear(): Promise<void> {
    await this.filterForm.getByRole('button', { name: 'Clear' }).click();
  }

  async openRow(row: Locator): Promise<void> {
    await row.click();
    await expect(this.drawer).toBeVisible();
  }

  /** A labelled value in the drawer's details list. */
  detail(label: string): Locator {
    return this.drawer.locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');
  }

  async closeDrawer(): Promise<void> {
    await this.drawer.getByRole('button', { name: 'Close the entry' }).click();
    await expect(this.drawer).toBeHidden();
  }
}

/** The Audit screen's "Ticket timeline" tab. */
export class TicketPage {
  readonly tab: Locator;
  readonly form: Locator;
  readonly ticketField: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByRole('tab', { name: 'Ticket timeline' });
    this.form = page.getByRole('form', { name: 'Open a ticket' });
    this.ticketField = this.form.getByRole('textbox', { name: 'Ticket id' });
    this.status = page.getByRole('status').filter({ hasText: /ticket/i });
  }

  timeline(ticketId: string): Locator {
    return this.page.getByRole('region', { name: `Ticket ${ticketId}` });
  }

  async open(ticketId: string): Promise<void> {
    await this.tab.click();
    await this.ticketField.fill(ticketId);
    await this.ticketField.press('Enter');
    await expect(this.timeline(ticketId)).toBeVisible();
  }

  /** The timeline's sentences, in the order shown (oldest first). */
  async sentences(ticketId: string): Promise<string[]> {
    return this.timeline(ticketId).locator('.mantine-Timeline-itemTitle').allInnerTexts();
  }
}
