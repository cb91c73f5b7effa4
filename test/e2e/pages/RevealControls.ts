import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The Reveal buttons beside masked personal data (inside a card or an account view)
 * and the dialog that asks for a reason and a ticket. Fields by their words:
 * 'purchaser name', 'recipient name', 'delivery e-mail', 'shipping address',
 * 'account name', 'account e-mail'.
 */
export class RevealControls {
  readonly dialog: Locator;
  readonly buttons: Locator;
  readonly timers: Locator;

  constructor(
    readonly page: Page,
    readonly within: Locator,
  ) {
    this.dialog = page.getByRole('dialog', { name: /^Reveal the / });
    this.buttons = within.getByRole('button', { name: /^(Reveal|Hide) / });
    this.timers = within.getByRole('timer');
  }

  /** The value (masked, or revealed) inside a field's group. */
  static valueIn(group: Locator): Locator {
    return group.locator('[data-revealed]');
  }

  button(field: string): Locator {
    return this.within.getByRole('button', { name: `Reveal ${field}`, exact: true });
  }

  hideButton(field: string): Locator {
    return this.within.getByRole('button', { name: `Hide ${field}`, exact: true });
  }

  timer(field: string): Locator {
    return this.within.getByRole('timer', { name: new RegExp(`^${field} masked again in \\d+ seconds$`) });
  }

  /** Opens the dialog for a field from the keyboard (focus on its button, Enter). */
  async open(field: string): Promise<void> {
    await this.button(field).focus();
    await this.page.keyboard.press('Enter');
    await expect(this.dialog).toBeVisible();
  }

  /** Types the reason (the dialog focuses it), tabs to the ticket id and submits with Enter: keyboard only. */
  async fill(reason: string, ticketId: string): Promise<void> {
    await expect(this.dialog.getByRole('textbox', { name: 'Reason' })).toBeFocused();
    await this.page.keyboard.type(reason);
    await this.page.keyboard.press('Tab');
    await expect(this.dialog.getByRole('textbox', { name: 'Ticket id' })).toBeFocused();
    await this.page.keyboard.type(ticketId);
    await this.page.keyboard.press('Enter');
  }

  async reveal(field: string, reason: string, ticketId: string): Promise<void> {
    await this.open(field);
    await this.fill(reason, ticketId);
    await expect(this.dialog).toBeHidden();
    await expect(this.timer(field)).toBeVisible();
  }
}
