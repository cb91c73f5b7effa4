import { expect, type Locator, type Page } from '@playwright/test';

/** The supervisor dashboard: the period, the table switch, and each chart's section. */
export class DashboardPage {
  readonly heading: Locator;
  readonly tablesSwitch: Locator;
  readonly refresh: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Dashboard', level: 1 });
    this.tablesSwitch = page.getByRole('switch', { name: 'Show numbers as tables' });
    this.refresh = page.getByRole('button', { name: 'Refresh' });
  }

  /** The period choice: '7 days', '30 days', '90 days', '1 year'. */
  period(label: string): Locator {
    return this.page.getByRole('radio', { name: label });
  }

  /** A chart's section by its title. */
  section(title: string): Locator {
    return this.page.getByRole('region', { name: title });
  }

  /** A chart by its accessible name (a picture with its numbers on hover). */
  chart(name: string | RegExp): Locator {
    return this.page.getByRole('img', { name });
  }

  /** Points at a chart's first bar, as a supervisor hovering for the numbers. */
  async hoverBar(chart: string): Promise<void> {
    await this.chart(chart).locator('.recharts-bar-rectangle').first().hover();
  }

  /** The numbers a chart shows on hover. */
  tooltip(chart: string): Locator {
    return this.chart(chart).locator('.recharts-tooltip-wrapper');
  }

  /** A visible numbers table by its name. */
  table(name: string): Locator {
    return this.page.getByRole('table', { name });
  }

  /** A table's body rows as their cell texts. */
  async rows(name: string): Promise<string[][]> {
    const table = this.table(name);
    await expect(table).toBeVisible();
    const rows = await table.locator('tbody tr').all();
    return Promise.all(rows.map((row) => row.locator('td').allInnerTexts()));
  }

  async showTables(): Promise<void> {
    await this.tablesSwitch.check();
    await expect(this.tablesSwitch).toBeChecked();
  }
}
