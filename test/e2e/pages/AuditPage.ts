import { type Locator, type Page } from '@playwright/test';

export class AuditPage {
  readonly verifyButton: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly result: Locator;

  constructor(readonly page: Page) {
    this.verifyButton = page.getByRole('button', { name: 'Verify chain' });
    this.table = page.getByRole('table', { name: 'Audit entries' });
    this.rows = this.table.locator('tbody tr');
    this.result = page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: /Audit chain/ });
  }

  /** The audit rows as { action, actor, subject } in the order shown (newest first). */
  async entries(): Promise<{ actor: string; action: string; subject: string }[]> {
    const rows = await this.rows.all();
    return Promise.all(
      rows.map(async (row) => {
        const cells = await row.locator('td').allInnerTexts();
        return { actor: cells[2] ?? '', action: cells[3] ?? '', subject: cells[4] ?? '' };
      }),
    );
  }
}
