import { expect, type Locator, type Page } from '@playwright/test';
import { demo, type DemoUserName } from '../support/demo';

/** The sign-in screen. */
export class SignInPage {
  readonly form: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly notice: Locator;
  readonly demoUsers: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'Sign in' });
    this.username = this.form.getByLabel('Username');
    this.password = this.form.getByLabel('Password', { exact: false }).and(page.locator('input[type="password"]'));
    this.submit = this.form.getByRole('button', { name: 'Sign in' });
    this.error = this.form.getByRole('alert');
    this.notice = this.form.getByRole('status');
    this.demoUsers = page.getByRole('table', { name: 'Demo sign-ins' });
  }

  async expectVisible(): Promise<void> {
    await expect(this.form).toBeVisible();
  }

  /** Fills the form and submits it; does not wait for the answer. */
  async signIn(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }

  /**
   * Submits and waits for this attempt's answer: a fresh message on the form (the old
   * one is marked stale first) or the console.
   */
  async attempt(username: string, password: string): Promise<void> {
    await this.form.locator('[role="alert"]').evaluateAll((alerts) => alerts.forEach((a) => a.setAttribute('data-stale', '')));
    await this.signIn(username, password);
    await expect(
      this.form.locator('[role="alert"]:not([data-stale])').or(this.page.getByRole('navigation', { name: 'Main' })),
    ).toBeVisible();
  }

  /** Signs in as a demo user and waits for the console. */
  async signInAs(user: DemoUserName): Promise<void> {
    await this.signIn(demo.users[user].username, demo.users[user].password);
    await expect(this.page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  }
}
