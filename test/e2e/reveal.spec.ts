/**
 * Revealing personal data (issue 14): a supervisor reveals one field with a reason and
 * a ticket, sees it in full with a countdown, and sees it masked again once the page's
 * clock has moved 60 seconds (Playwright's `page.clock`: the countdown runs in the
 * renderer). An agent sees no reveal control anywhere; an admin grants an agent the
 * permission and that agent can then reveal. The dialog is scanned with axe in both
 * colour schemes. Driven from the keyboard throughout.
 */
import { expect, test } from './fixtures';
import { AccountsPage } from './pages/AccountsPage';
import { LimitsPage } from './pages/LimitsPage';
import { RevealControls } from './pages/RevealControls';
import { UsersPage } from './pages/UsersPage';
import { expectAccessible } from './support/axe';
import { demo, grouped } from './support/demo';

const emailCard = demo.cards.damagedEmailUS;
const account = demo.accounts.usCustomer;

test('a supervisor reveals a purchaser name with a reason and a ticket, then it is masked again after 60 seconds', async ({ signIn, lookup, page }) => {
  // Two axe scans and a minute of page clock on a shared machine.
  test.slow();
  await signIn.signInAs('sam');
  await lookup.search(emailCard.serial);
  await lookup.expectCard(grouped(emailCard.serial));
  const reveal = new RevealControls(page, lookup.card);
  const purchaser = lookup.field('Purchaser');
  const masked = (await RevealControls.valueIn(purchaser).innerText()).trim();
  expect(masked).toContain('•');
  expect(masked).not.toContain(emailCard.purchaserName);

  // The page's clock from here on: the countdown's timers and Date are Playwright's.
  await page.clock.install();
  await reveal.open('purchaser name');
  await expectAccessible(page, 'Reveal dialog (supervisor)');
  // A reason that is no words is refused before anything is asked.
  await reveal.fill('12345', 'T-9001');
  await expect(reveal.dialog.getByText('Say why in a few words', { exact: false }).last()).toBeVisible();
  await reveal.dialog.getByRole('textbox', { name: 'Reason' }).fill('');
  await reveal.dialog.getByRole('textbox', { name: 'Ticket id' }).fill('');
  await reveal.dialog.getByRole('textbox', { name: 'Reason' }).focus();
  await reveal.fill('caller disputes who bought the card', 'T-9001');
  await expect(reveal.dialog).toBeHidden();

  await expect(purchaser).toContainText(emailCard.purchaserName);
  await expect(reveal.timer('purchaser name')).toHaveText(/masked again in (60|59) s/);
  // Only the asked-for field is shown in full.
  await expect(lookup.field('Recipient')).not.toContainText(emailCard.recipientName);
  // Focus stays on the one button, now Hide.
  await expect(reveal.hideButton('purchaser name')).toBeFocused();

  await page.clock.runFor(30_000);
  await expect(reveal.timer('purchaser name')).toHaveText(/masked again in (30|29) s/);
  await expect(purchaser).toContainText(emailCard.purchaserName);
  await page.clock.runFor(30_000);
  await expect(purchaser).not.toContainText(emailCard.purchaserName);
  await expect(RevealControls.valueIn(purchaser)).toHaveText(masked);
  await expect(reveal.timers).toHaveCount(0);
  await expect(reveal.button('purchaser name')).toBeVisible();
});

test('a revealed value can be hidden at once, and a field that needs another subject is not offered', async ({ signIn, shell, page }) => {
  await signIn.signInAs('sam');
  await shell.open('Accounts');
  const accounts = new AccountsPage(page);
  await accounts.open(account.id);
  const reveal = new RevealControls(page, accounts.account);
  await expect(reveal.buttons).toHaveCount(2);
  await reveal.reveal('account e-mail', 'customer asks which address is on file', 'T-9002');
  await expect(accounts.account).toContainText(account.email);
  await reveal.hideButton('account e-mail').press('Enter');
  await expect(accounts.account).not.toContainText(account.email);
  await expect(reveal.timers).toHaveCount(0);
});

test('an agent sees no reveal control on a card or an account', async ({ signIn, shell, lookup, page }) => {
  await signIn.signInAs('ava');
  await lookup.search(emailCard.serial);
  await lookup.expectCard(grouped(emailCard.serial));
  await expect(lookup.field('Purchaser')).toBeVisible();
  await expect(new RevealControls(page, lookup.card).buttons).toHaveCount(0);
  await shell.open('Accounts');
  const accounts = new AccountsPage(page);
  await accounts.open(account.id);
  await expect(new RevealControls(page, accounts.account).buttons).toHaveCount(0);
});

test('an admin grants an agent the reveal permission, and the agent can then reveal', async ({ signIn, shell, lookup, page }) => {
  test.slow();
  await signIn.signInAs('ada');
  await shell.open('Users');
  const users = new UsersPage(page);
  expect((await users.cells('ava'))[5]).toBe('No');
  const dialog = await users.openRevealPermission('ava');
  await expect(dialog.getByRole('radio', { name: "The role's default" })).toBeChecked();
  await expectAccessible(page, 'Reveal permission dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await users.setRevealPermission('ava', 'Granted');
  await expect.poll(async () => (await users.cells('ava'))[5]).toBe('Yes (granted)');
  await expectAccessible(page, 'Users with a granted reveal permission');
  await shell.signOut();

  await signIn.signInAs('ava');
  await lookup.search(emailCard.serial);
  await lookup.expectCard(grouped(emailCard.serial));
  const reveal = new RevealControls(page, lookup.card);
  await reveal.reveal('recipient name', 'caller asks who the card went to', 'T-9003');
  await expect(lookup.field('Recipient')).toContainText(emailCard.recipientName);
});

test('the daily cap is a limit on the Limits screen; past it a reveal is refused in words', async ({ signIn, shell, lookup, page }) => {
  test.slow();
  await signIn.signInAs('ada');
  await shell.open('Limits');
  const limits = new LimitsPage(page);
  expect(await limits.generalValue('Personal-data reveals per day')).toBe('20 reveals');
  await limits.changeGeneral('Personal-data reveals per day', '1');
  await limits.expectClosed();
  expect(await limits.generalValue('Personal-data reveals per day')).toBe('1 reveal');
  await shell.signOut();

  await signIn.signInAs('sky');
  await lookup.search(emailCard.serial);
  await lookup.expectCard(grouped(emailCard.serial));
  const reveal = new RevealControls(page, lookup.card);
  await reveal.reveal('purchaser name', 'caller disputes who bought the card', 'T-9004');
  await reveal.open('recipient name');
  await reveal.fill('caller asks who the card went to', 'T-9004');
  await expect(reveal.dialog.getByRole('alert')).toContainText('You have revealed personal data 1 time today');
  await expect(reveal.dialog.getByRole('alert')).toContainText('midnight UTC');
  await expect(lookup.field('Recipient')).not.toContainText(emailCard.recipientName);
});
