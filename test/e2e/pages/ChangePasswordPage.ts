import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Changing one's own password: the forced screen after a temporary password (`forced`)
 * or the dialog from the account menu.
 */
export class ChangePasswordPage {
  readonly screen: Locator;
  readonly form: Locator;
  readonly current: Locator;
  readonly newPassword: Locator;
  readonly repeat: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly signOutInstead: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByRole('heading', { name: 'Choose a new password' });
    this.form = page.getByRole('form', { name: 'Change password' });
    this.current = this.form.getByLabel(/^(Current|Temporary) password/);
    this.newPassword = this.form.getByLabel(/^New password\s*\*?$/);
    this.repeat = this.form.getByLabel(/^New password again/);
    this.submit = this.form.getByRole('button', { name: /^(Change password|Save new password)$/ });
    this.error = this.form.getByRole('alert');
    this.signOutInstead = page.getByRole('button', { name: 'Sign out instead' });
  }

  async expectForced(): Promise<void> {
    await expect(this.screen).toBeVisible({ timeout: 30_000 });
    await expect(this.page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  }

  async change(current: string, next: string): Promise<void> {
    await this.current.fill(current);
    await this.newPassword.fill(next);
    await this.repeat.fill(next);
    await this.submit.click();
  }
}
