/**
 * Every desk workflow with the keyboard alone: Tab / Shift+Tab to move, Enter and
 * Space to act, the console's shortcuts (Ctrl+L, Alt+B), Escape to close a dialog.
 * No element is clicked or filled by the test; a pointer-down listener proves no
 * mouse was used. Focus is asserted where a keyboard user needs it next.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { AccountsPage } from './pages/AccountsPage';
import { BalancePage } from './pages/BalancePage';
import { ApprovalsPage, CreditsPage } from './pages/CreditsPage';
import { RecoveryPage } from './pages/RecoveryPage';
import { Shell } from './pages/Shell';
import { demo, grouped, type DemoUserName } from './support/demo';

const us = demo.accounts.usCustomer.id;

/** Counts pointer presses from now on; a keyboard activation never makes one. */
async function watchPointer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { pointerPresses: number };
    w.pointerPresses = 0;
    window.addEventListener('pointerdown', () => (w.pointerPresses += 1), { capture: true });
  });
}

async function expectNoPointer(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { pointerPresses: number }).pointerPresses)).toBe(0);
}

/** Presses Tab (or Shift+Tab) until `target` has focus; fails if it is not reachable. */
async function tabTo(page: Page, target: Locator, options: { backward?: boolean; max?: number } = {}): Promise<void> {
  const max = options.max ?? 40;
  for (let presses = 0; presses <= max; presses++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(options.backward ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${String(target)} was not reached with ${max} presses of ${options.backward ? 'Shift+Tab' : 'Tab'}`);
}

/** Types into the focused field, after checking it is the one meant. */
async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await expect(field).toBeFocused();
  await page.keyboard.type(text);
}

/** In an open-able list (a Select with focus): the arrow keys open it and move, Enter picks. */
async function chooseOption(page: Page, name: string): Promise<void> {
  const highlighted = page.getByRole('listbox').locator('[data-combobox-selected]');
  for (let presses = 0; presses < 12; presses++) {
    await page.keyboard.press('ArrowDown');
    if ((await highlighted.count()) > 0 && (await highlighted.innerText()) === name) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`option ${name} was not reached with the arrow keys`);
}

/** Signs in from the sign-in screen by keyboard: the username field has focus on arrival. */
async function signInByKeyboard(page: Page, user: DemoUserName): Promise<Shell> {
  const form = page.getByRole('form', { name: 'Sign in' });
  await typeInto(page, form.getByLabel('Username'), demo.users[user].username);
  await page.keyboard.press('Tab');
  await typeInto(page, page.locator('input[type="password"]'), demo.users[user].password);
  await page.keyboard.press('Enter');
  const shell = new Shell(page);
  await expect(shell.nav).toBeVisible();
  return shell;
}

/** Opens a screen from the navigation: back from the screen's first field with Shift+Tab, then Enter. */
async function openScreen(page: Page, shell: Shell, name: string): Promise<void> {
  const link = shell.nav.getByRole('button', { name: new RegExp(`^${name}\\b`) });
  await tabTo(page, link, { backward: true });
  await page.keyboard.press('Enter');
  await expect(link).toHaveAttribute('aria-current', 'page');
}

test('lookup and balance: type, Enter, Ctrl+L back to the field, Alt+B to the balance', async ({ page, lookup }) => {
  await watchPointer(page);
  await signInByKeyboard(page, 'ava');
  // The Lookup screen opens with the serial field focused.
  await typeInto(page, lookup.serialField, demo.cards.redeemedUS.serial);
  await page.keyboard.press('Enter');
  await lookup.expectCard(grouped(demo.cards.redeemedUS.serial));

  // Ctrl+L returns to the field with its text selected, so the next serial replaces it.
  await tabTo(page, lookup.card.getByRole('button', { name: /Check balance/ }));
  await page.keyboard.press('Control+L');
  await expect(lookup.serialField).toBeFocused();
  expect(await lookup.serialField.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd, el.value.length])).toEqual([
    0,
    grouped(demo.cards.redeemedUS.serial).length,
    grouped(demo.cards.redeemedUS.serial).length,
  ]);
  await page.keyboard.type(demo.cards.activeUS.serial);
  await page.keyboard.press('Enter');
  await lookup.expectCard(grouped(demo.cards.activeUS.serial));

  // Alt+B from the card answers on the Balance screen, whose field then has focus.
  await page.keyboard.press('Alt+B');
  const balance = new BalancePage(page);
  await expect(balance.answer).toHaveAccessibleName(`Balance of card ${grouped(demo.cards.activeUS.serial)}`);
  await expect(balance.verdict).toContainText('Good to use');
  await expect(balance.serialField).toBeFocused();

  // And another inquiry straight from there.
  await page.keyboard.press('Control+A');
  await page.keyboard.type(demo.cards.voidUK.serial);
  await page.keyboard.press('Enter');
  await expect(balance.verdict).toContainText('Not redeemable');
  await expectNoPointer(page);
});

test('redeem: open the dialog, type code and ticket, submit; Escape closes it and focus returns', async ({ page }) => {
  await watchPointer(page);
  const shell = await signInByKeyboard(page, 'ava');
  await openScreen(page, shell, 'Accounts');
  const accounts = new AccountsPage(page);
  await tabTo(page, accounts.query);
  await page.keyboard.type(us);
  await page.keyboard.press('Enter');
  await expect(accounts.account).toHaveAccessibleName(`Account ${us}`);

  // Open the dialog: focus starts in the claim-code field.
  await tabTo(page, accounts.redeemButton);
  await page.keyboard.press('Enter');
  const dialog = accounts.redeemDialog;
  await expect(dialog.dialog).toBeVisible();
  await expect(dialog.code).toBeFocused();
  // Escape closes it without redeeming, and focus is back on the button that opened it.
  await page.keyboard.type('ABCD');
  await page.keyboard.press('Escape');
  await expect(dialog.dialog).toBeHidden();
  await expect(accounts.redeemButton).toBeFocused();

  // Again, for real: code, Tab, ticket, Enter.
  await page.keyboard.press('Enter');
  await expect(dialog.code).toBeFocused();
  await expect(dialog.code).toHaveValue('');
  await page.keyboard.type(demo.cards.activeUS.claimCode);
  await page.keyboard.press('Tab');
  await typeInto(page, dialog.ticket, 'T-9501');
  await page.keyboard.press('Enter');
  await expect(dialog.dialog).toBeHidden();
  await expect(page.getByText('Code redeemed')).toBeVisible();
  await expect(accounts.redeemButton).toBeFocused();
  expect((await accounts.newestEntry())[1]).toBe('Redemption');
  await expectNoPointer(page);
});

test("recovery: fill the caller's details, check, resolve to an account", async ({ page }) => {
  await watchPointer(page);
  const shell = await signInByKeyboard(page, 'ava');
  await openScreen(page, shell, 'Recovery');
  const recovery = new RecoveryPage(page);
  const card = demo.cards.damagedEmailUS;
  await tabTo(page, recovery.serialField);
  await page.keyboard.type(card.serial);
  await page.keyboard.press('Tab');
  await typeInto(page, recovery.ticketField, 'T-9601');
  await page.keyboard.press('Enter');

  // The caller's details: the form opens on its first field; Tab walks the rest.
  const form = recovery.detailsForm;
  await typeInto(page, form.getByLabel('Order number'), card.orderNumber);
  for (const [label, value] of [
    ['Purchaser name', card.purchaserName],
    ['Recipient name', card.recipientName],
    ['Delivery e-mail', card.deliveryAddress],
    ['Legible part of the code (optional)', card.claimCodeFragment],
  ] as const) {
    await page.keyboard.press('Tab');
    await typeInto(page, form.getByLabel(label), value);
  }
  await page.keyboard.press('Enter');
  await expect(recovery.outcome).toContainText('Caller verified');

  // Resolve: the check's answer replaced the form, and Tab carries on from there (not
  // from the top of the window) to the account search. Choose with Space, add with Enter.
  const accountField = recovery.resolve.getByLabel('Customer account');
  await tabTo(page, accountField, { max: 3 });
  await page.keyboard.type(us);
  await page.keyboard.press('Enter');
  const choice = recovery.resolve.getByRole('radio', { name: new RegExp(`^${us} `) });
  await tabTo(page, choice);
  await page.keyboard.press('Space');
  await expect(choice).toBeChecked();
  const add = recovery.resolve.getByRole('button', { name: new RegExp(`^Add .* to ${us}$`) });
  await tabTo(page, add);
  await page.keyboard.press('Enter');
  await expect(recovery.done).toContainText(`was added to account ${us}`);
  await expectNoPointer(page);
});

test('approve: an agent requests a credit, a supervisor approves one and rejects another through the dialogs', async ({ page }) => {
  test.slow(); // two users' whole workflows by keyboard, two slow password checks: near the 45 s default on a busy machine
  await watchPointer(page);
  // The agent: two requests through the Request-credit dialog, by keyboard.
  let shell = await signInByKeyboard(page, 'ava');
  await openScreen(page, shell, 'Credits');
  const credits = new CreditsPage(page);
  for (const ticketId of ['T-9701', 'T-9702']) {
    await tabTo(page, credits.newRequest);
    await page.keyboard.press('Enter');
    const request = credits.dialog;
    await expect(request.dialog).toBeVisible();
    const account = request.dialog.getByLabel('Customer account');
    await expect(account).toBeFocused();
    await page.keyboard.type(us);
    await page.keyboard.press('Enter');
    const choice = request.dialog.getByRole('radio', { name: new RegExp(`^${us} `) });
    await tabTo(page, choice);
    await page.keyboard.press('Space');
    await tabTo(page, request.amount);
    await page.keyboard.type('12.50');
    await page.keyboard.press('Tab');
    await expect(request.reason).toBeFocused();
    await chooseOption(page, 'Goodwill');
    await expect(request.reason).toHaveValue('Goodwill');
    await page.keyboard.press('Tab');
    // The dialog keeps the last ticket id (the same call often needs a second credit): replace it.
    await expect(request.ticket).toBeFocused();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(ticketId);
    await page.keyboard.press('Enter');
    await expect(request.dialog).toBeHidden();
    await expect(credits.row(ticketId)).toContainText('Pending');
    await expect(credits.newRequest).toBeFocused();
  }

  // Sign out through the account menu, and in again as a supervisor.
  await tabTo(page, shell.accountMenu, { backward: true });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Sign out' })).toBeVisible();
  // The menu's items in order: Change password, then Sign out.
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Change password' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
  await page.keyboard.press('Enter');
  shell = await signInByKeyboard(page, 'sam');
  await expect(shell.nav.getByLabel('2 awaiting your approval')).toBeVisible();
  await openScreen(page, shell, 'Approvals');
  const approvals = new ApprovalsPage(page);
  await expect(approvals.items).toHaveCount(2);

  // Approve the first: the dialog opens on its note; Tab to Approve, Enter.
  await tabTo(page, approvals.item('T-9701').getByRole('button', { name: 'Approve' }));
  await page.keyboard.press('Enter');
  const approve = page.getByRole('dialog', { name: /^Approve request/ });
  const note = approve.getByLabel('Note (optional)');
  await typeInto(page, note, 'Goodwill approved');
  await tabTo(page, approve.getByRole('button', { name: 'Approve' }));
  await page.keyboard.press('Enter');
  await expect(approve).toBeHidden();
  await expect(page.getByText('Credit approved and posted')).toBeVisible();
  await expect(approvals.items).toHaveCount(1);
  // The decided request left the queue; the next Tab goes on to the next request.
  await page.keyboard.press('Tab');
  await expect(approvals.item('T-9702').getByRole('button', { name: 'Approve' })).toBeFocused();

  // Reject the other: the reason is required, then Enter on Reject.
  await tabTo(page, approvals.item('T-9702').getByRole('button', { name: 'Reject' }), { max: 1 });
  await page.keyboard.press('Enter');
  const reject = page.getByRole('dialog', { name: /^Reject request/ });
  await typeInto(page, reject.getByLabel('Reason for rejecting'), 'Not covered by the goodwill policy');
  await tabTo(page, reject.getByRole('button', { name: 'Reject' }));
  await page.keyboard.press('Enter');
  await expect(reject).toBeHidden();
  await expect(page.getByText('Credit rejected')).toBeVisible();
  await expect(approvals.items).toHaveCount(0);
  await expectNoPointer(page);
});
