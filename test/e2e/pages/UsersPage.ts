import { expect, type Locator, type Page } from '@playwright/test';

/** The Users screen (admins) and its dialogs. */
export class UsersPage {
  readonly table: Locator;
  readonly createButton: Locator;
  readonly createDialog: Locator;
  readonly resetDialog: Locator;
  readonly temporaryPassword: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Users' });
    // The screen's own button (the dialog, in a portal outside main, has one of the same name).
    this.createButton = page.getByRole('main').getByRole('button', { name: 'Create user' });
    this.createDialog = page.getByRole('dialog', { name: 'Create user' });
    this.resetDialog = page.getByRole('dialog', { name: /^Reset the password of / });
    this.temporaryPassword = this.resetDialog.getByTestId('temporary-password');
  }

  row(username: string): Locator {
    return this.table.locator(`tbody tr[data-username="${username}"]`);
  }

  /** The row's cells as shown (badges in capitals): username (with its badges), name, role, active, locked, reveals data, last sign-in. */
  async cells(username: string): Promise<string[]> {
    await expect(this.row(username)).toBeVisible();
    return (await this.row(username).locator('td').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  }

  async createUser(values: { username: string; displayName: string; role: 'Agent' | 'Supervisor' | 'Admin'; password: string }): Promise<void> {
    await this.createButton.click();
    const dialog = this.createDialog;
    await dialog.getByRole('textbox', { name: 'Username' }).fill(values.username);
    await dialog.getByRole('textbox', { name: 'Display name' }).fill(values.displayName);
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await this.page.getByRole('option', { name: values.role, exact: true }).click();
    await dialog.getByLabel(/^First password/).fill(values.password);
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });
    await expect(this.row(values.username)).toBeVisible();
  }

  async action(username: string, item: string): Promise<void> {
    await this.row(username).getByRole('button', { name: `Actions for ${username}` }).click();
    await this.page.getByRole('menuitem', { name: item }).click();
  }

  /** Resets the password and answers the temporary one the dialog shows (the dialog stays open). */
  async resetPassword(username: string): Promise<string> {
    await this.action(username, 'Reset password');
    await this.resetDialog.getByRole('button', { name: 'Reset password' }).click();
    await expect(this.temporaryPassword).toBeVisible({ timeout: 30_000 });
    return (await this.temporaryPassword.innerText()).trim();
  }

  /** Sets who may reveal personal data: "The role's default", "Granted" or "Withdrawn". */
  async setRevealPermission(username: string, choice: "The role's default" | 'Granted' | 'Withdrawn'): Promise<void> {
    const dialog = await this.openRevealPermission(username);
    await dialog.getByRole('radio', { name: choice }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  }

  async openRevealPermission(username: string): Promise<Locator> {
    await this.action(username, 'Reveal permission');
    const dialog = this.page.getByRole('dialog', { name: `Reveal permission of ${username}` });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async closeReset(): Promise<void> {
    await this.resetDialog.getByRole('button', { name: 'Done' }).click();
    await expect(this.resetDialog).toBeHidden();
  }
}
