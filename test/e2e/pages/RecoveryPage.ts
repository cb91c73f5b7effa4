import { expect, type Locator, type Page } from '@playwright/test';

export interface CallerFacts {
  orderNumber: string;
  purchaserName: string;
  recipientName: string;
  deliveryAddress: string;
  claimCodeFragment?: string;
}

/** The guided Recovery screen: card → caller's details → result and resolution → done. */
export class RecoveryPage {
  readonly serialField: Locator;
  readonly ticketField: Locator;
  readonly continueButton: Locator;
  readonly detailsForm: Locator;
  readonly checkButton: Locator;
  readonly result: Locator;
  readonly outcome: Locator;
  readonly checks: Locator;
  readonly lockedBanner: Locator;
  readonly unlockButton: Locator;
  /** "Never unlocked", "Unlocked once", … on the card strip. */
  readonly unlockCount: Locator;
  readonly resolve: Locator;
  readonly done: Locator;
  readonly problem: Locator;

  constructor(readonly page: Page) {
    const cardForm = page.getByRole('form', { name: 'Recovery: card' });
    this.serialField = cardForm.getByLabel('Serial number');
    this.ticketField = cardForm.getByLabel('Ticket id');
    this.continueButton = cardForm.getByRole('button', { name: 'Continue' });
    this.detailsForm = page.getByRole('form', { name: "Caller's details" });
    this.checkButton = this.detailsForm.getByRole('button', { name: "Check the caller's details" });
    this.result = page.getByRole('region', { name: 'Check result' });
    this.outcome = this.result.getByRole('status');
    this.checks = this.result.getByRole('list', { name: 'Check results' });
    this.lockedBanner = page.getByRole('alert').filter({ hasText: 'Recovery is locked for this card' });
    this.unlockButton = this.lockedBanner.getByRole('button', { name: 'Unlock…' });
    this.unlockCount = page.getByRole('group', { name: 'Recovery unlocks', exact: true });
    this.resolve = page.getByRole('region', { name: 'Resolve' });
    this.done = page.getByRole('region', { name: 'Recovery complete' });
    this.problem = page.getByRole('alert').filter({ hasText: 'Cannot continue' });
  }

  async start(serial: string, ticketId: string): Promise<void> {
    await this.serialField.fill(serial);
    await this.ticketField.fill(ticketId);
    await this.continueButton.click();
  }

  async enterFacts(facts: CallerFacts): Promise<void> {
    const form = this.detailsForm;
    await form.getByLabel('Order number').fill(facts.orderNumber);
    await form.getByLabel('Purchaser name').fill(facts.purchaserName);
    await form.getByLabel('Recipient name').fill(facts.recipientName);
    await form.getByLabel(/^(Delivery e-mail|Shipping address)/).fill(facts.deliveryAddress);
    await form.getByLabel('Legible part of the code (optional)').fill(facts.claimCodeFragment ?? '');
  }

  async check(facts: CallerFacts): Promise<void> {
    await this.enterFacts(facts);
    await this.checkButton.click();
    await expect(this.result.or(this.lockedBanner).first()).toBeVisible();
  }

  /** "Recipient name: close match" etc., one string per field. */
  async checkLines(): Promise<string[]> {
    return (await this.checks.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  async applyToAccount(accountId: string): Promise<void> {
    await this.resolve.getByRole('radio', { name: 'Apply to an account' }).check({ force: true });
    await this.resolve.getByLabel('Customer account').fill(accountId);
    await this.resolve.getByRole('button', { name: 'Find' }).click();
    await this.resolve.getByRole('radio', { name: new RegExp(`^${accountId} `) }).check();
    await this.resolve.getByRole('button', { name: new RegExp(`^Add .* to ${accountId}$`) }).click();
  }

  async reissue(): Promise<void> {
    await this.resolve.getByText('Reissue a new card').click();
    await this.resolve.getByRole('button', { name: 'Cancel this card and send a new one' }).click();
  }

  async unlock(reason: string): Promise<void> {
    await this.unlockButton.click();
    const dialog = this.page.getByRole('dialog', { name: 'Unlock recovery' });
    await dialog.getByLabel('Reason').fill(reason);
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await expect(dialog).toBeHidden();
  }
}
