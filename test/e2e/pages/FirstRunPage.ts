import { expect, type Locator, type Page } from '@playwright/test';

/** The first-run screen: a store without users makes its first administrator. */
export class FirstRunPage {
  readonly form: Locator;
  readonly username: Locator;
  readonly displayName: Locator;
  readonly password: Locator;
  readonly repeat: Locator;
  readonly submit: Locator;
  readonly rules: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'Create the first administrator' });
    this.username = this.form.getByRole('textbox', { name: 'Username' });
    this.displayName = this.form.getByRole('textbox', { name: 'Display name' });
    this.password = this.form.getByLabel(/^Password\s*\*?$/);
    this.repeat = this.form.getByLabel(/^Password again/);
    this.submit = this.form.getByRole('button', { name: 'Create administrator' });
    this.rules = this.form.getByRole('list', { name: 'Rules' });
    this.error = this.form.getByRole('alert');
  }

  async expectVisible(): Promise<void> {
    await expect(this.form).toBeVisible();
  }

  async fillIn(values: { username: string; displayName: string; password: string; repeat?: string }): Promise<void> {
    await this.username.fill(values.username);
    await this.displayName.fill(values.displayName);
    await this.password.fill(values.password);
    await this.repeat.fill(values.repeat ?? values.password);
  }

  /** Creates the admin and waits for the console. */
  async createAdmin(values: { username: string; displayName: string; password: string }): Promise<void> {
    await this.fillIn(values);
    await this.submit.click();
    // A password hash (scrypt, slow on purpose) stands between the click and the console.
    await expect(this.page.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 30_000 });
  }
}
